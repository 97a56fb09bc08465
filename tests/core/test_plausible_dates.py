import datetime

import pytest
from django import forms
from django.utils import timezone

from core.forms import PlausibleDateField, PlausibleDateTimeField


class VisitForm(forms.Form):
    on = PlausibleDateField()
    at = PlausibleDateTimeField(input_formats=["%Y-%m-%dT%H:%M"])


def test_dates_a_person_can_mean_are_accepted():
    today = timezone.localdate()
    form = VisitForm(data={"on": today.isoformat(), "at": f"{today.isoformat()}T10:30"})

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("year", [1, 1999, 9999])
def test_far_off_dates_get_a_message_not_a_crash(year):
    form = VisitForm(data={"on": f"{year:04d}-06-01", "at": f"{year:04d}-12-31T23:59"})

    assert not form.is_valid()
    assert "Pick a date between" in form.errors["on"][0]
    assert "Pick a date between" in form.errors["at"][0]


def test_two_years_ahead_is_the_limit():
    limit = timezone.localdate() + datetime.timedelta(days=365 * 2)

    assert VisitForm(data={"on": limit.isoformat(), "at": f"{limit}T09:00"}).is_valid()
    later = limit + datetime.timedelta(days=1)
    assert not VisitForm(data={"on": later.isoformat(), "at": f"{later}T09:00"}).is_valid()
