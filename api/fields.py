"""Serializer fields with the same plausibility rules as the pages' forms (core.forms)."""

from rest_framework import serializers

from core.forms import _plausible_window


def _check_window(day) -> None:
    earliest, latest = _plausible_window()
    if not earliest <= day <= latest:
        raise serializers.ValidationError(
            f"Pick a date between {earliest:%d %b %Y} and {latest:%d %b %Y}."
        )


class PlausibleDateField(serializers.DateField):
    """A date within a few years of today (year 1 or 9999 is a slip of the finger)."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        _check_window(day)
        return day


class PlausibleDateTimeField(serializers.DateTimeField):
    """A date and time within a few years of today."""

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        _check_window(moment.date())
        return moment


def text(**kwargs) -> serializers.CharField:
    """A required text of at most 4,000 characters (NUL characters are refused by DRF)."""
    kwargs.setdefault("max_length", 4000)
    return serializers.CharField(**kwargs)
