"""Form helpers shared by every app's views."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.utils import timezone


def form_data(request: HttpRequest) -> QueryDict | None:
    """The data to bind a page's form to: the POST, even an empty one (``request.POST or
    None`` would show an empty POST the blank form again, without saying what is missing)."""
    return request.POST if request.method == "POST" else None


def add_service_errors(
    form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: errors keyed by a field go next to that
    field (a model field may be renamed to the form's name through ``rename``); errors for
    fields the form does not have, and errors without a key, go to the top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    rename = rename or {}
    for name, errors in exc.error_dict.items():
        name = rename.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


# Dates and times a person can mean: a few years back (history) to a couple of years ahead.
# Anything outside is a slip of the finger, and year 1 or 9999 breaks time-zone arithmetic.
YEARS_BACK, YEARS_AHEAD = 5, 2


def _plausible_window() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return (
        today - datetime.timedelta(days=365 * YEARS_BACK),
        today + datetime.timedelta(days=365 * YEARS_AHEAD),
    )


class PlausibleDateField(forms.DateField):
    """A date within YEARS_BACK years before and YEARS_AHEAD years after today."""

    def validate(self, value) -> None:
        super().validate(value)
        earliest, latest = _plausible_window()
        if value and not earliest <= value <= latest:
            raise ValidationError(
                f"Pick a date between {earliest:%d %b %Y} and {latest:%d %b %Y}.", code="range"
            )


class PlausibleDateTimeField(forms.DateTimeField):
    """A date and time within YEARS_BACK years before and YEARS_AHEAD years after today."""

    def validate(self, value) -> None:
        super().validate(value)
        earliest, latest = _plausible_window()
        if value and not earliest <= value.date() <= latest:
            raise ValidationError(
                f"Pick a date between {earliest:%d %b %Y} and {latest:%d %b %Y}.", code="range"
            )
