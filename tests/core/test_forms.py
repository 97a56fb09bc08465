from django import forms
from django.core.exceptions import ValidationError

from core.forms import add_service_errors


class DueForm(forms.Form):
    due = forms.DateField(required=False)


def test_service_errors_go_next_to_their_field_or_to_the_top():
    form = DueForm(data={})
    form.is_valid()

    add_service_errors(
        form,
        ValidationError({"due_on": "In the past.", "cycle": "Closed."}),
        rename={"due_on": "due"},
    )

    assert form.errors["due"] == ["In the past."]
    assert form.non_field_errors() == ["Closed."]


def test_a_service_error_without_a_field_goes_to_the_top():
    form = DueForm(data={})
    form.is_valid()

    add_service_errors(form, ValidationError("This teacher already has a cycle under way."))

    assert form.non_field_errors() == ["This teacher already has a cycle under way."]
    assert "due" not in form.errors
