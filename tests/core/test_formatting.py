"""How figures and dates read: hours, minutes, days and weeks as a person writes them."""

import datetime

import pytest
from django.template import Context, Template

from core.formatting import DASH, day_as_written, hours, minutes, week_as_written, week_start


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1620, "27 h"),
        (90, "1.5 h"),
        (60, "1 h"),
        (0, "0 h"),
        (2, "< 0.1 h"),
        (3, "0.1 h"),
        (100, "1.7 h"),
        (None, "—"),
    ],
)
def test_minutes_read_as_hours_to_a_tenth(count, text):
    assert hours(count) == text


def test_the_hours_filter_is_the_same_helper():
    rendered = Template("{% load formatting %}{{ m|hours }}").render(Context({"m": 1620}))

    assert rendered == "27 h"


@pytest.mark.parametrize(("count", "text"), [(1, "1 minute"), (0, "0 minutes"), (45, "45 minutes")])
def test_minutes_are_pluralised(count, text):
    assert minutes(count) == text


def test_a_day_is_written_without_a_leading_zero():
    assert day_as_written(datetime.date(2021, 12, 7)) == "7 Dec 2021"


@pytest.mark.parametrize(
    ("first", "last", "text"),
    [
        ((2026, 12, 7), (2026, 12, 13), f"7 {DASH} 13 Dec 2026"),
        ((2026, 11, 30), (2026, 12, 6), f"30 Nov {DASH} 6 Dec 2026"),
        ((2025, 12, 29), (2026, 1, 4), f"29 Dec 2025 {DASH} 4 Jan 2026"),
    ],
)
def test_a_week_is_written_with_the_year_once(first, last, text):
    assert week_as_written(datetime.date(*first), datetime.date(*last)) == text


def test_a_week_starts_on_monday():
    assert week_start(datetime.date(2026, 12, 13)) == datetime.date(2026, 12, 7)  # a Sunday
    assert week_start(datetime.date(2026, 12, 7)) == datetime.date(2026, 12, 7)
