from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.forms import add_service_errors, form_data


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


class NoteForm(forms.Form):
    text = forms.CharField()


def test_an_empty_post_binds_the_form_and_shows_what_is_missing():
    request = RequestFactory().post("/", {})

    form = NoteForm(form_data(request))

    assert form.is_bound and not form.is_valid()
    assert form.errors["text"] == ["This field is required."]


def test_a_get_leaves_the_form_unbound():
    form = NoteForm(form_data(RequestFactory().get("/", {"text": "x"})))

    assert not form.is_bound
