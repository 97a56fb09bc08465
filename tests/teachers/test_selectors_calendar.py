"""Reads of the school calendar (teachers/selectors.py): dates and weekdays as a person writes
them, the school year, and the calendar page's rows in two queries."""

import datetime

import pytest

from teachers.selectors import (
    dates_as_written,
    school_calendar,
    school_year_start,
    weekdays_as_written,
)
from teachers.services import non_school_day_add
from tests.factories import SchoolFactory

D = datetime.date


@pytest.mark.parametrize(
    ("first", "last", "text"),
    [
        (D(2026, 11, 26), D(2026, 11, 26), "Thu 26 Nov 2026"),
        (D(2026, 12, 21), D(2026, 12, 25), "Mon 21 – Fri 25 Dec 2026"),
        (D(2026, 11, 25), D(2026, 12, 4), "Wed 25 Nov – Fri 4 Dec 2026"),
        (D(2026, 12, 21), D(2027, 1, 1), "Mon 21 Dec 2026 – Fri 1 Jan 2027"),
    ],
)
def test_dates_are_written_as_a_person_writes_them(first, last, text):
    assert dates_as_written(first, last) == text


@pytest.mark.parametrize(
    ("weekdays", "text"),
    [
        ({1, 2, 3, 4, 5}, "Monday to Friday"),
        ({1, 2, 3, 4, 5, 6}, "Monday to Saturday"),
        ({1, 3, 5}, "Monday, Wednesday and Friday"),
        ({1, 2}, "Monday and Tuesday"),
        ({6}, "Saturday"),
    ],
)
def test_weekdays_are_written_in_words(weekdays, text):
    assert weekdays_as_written(weekdays) == text


def test_the_school_year_starts_on_1_august():
    assert school_year_start(D(2026, 12, 7)) == D(2026, 8, 1)
    assert school_year_start(D(2026, 8, 1)) == D(2026, 8, 1)
    assert school_year_start(D(2026, 7, 31)) == D(2025, 8, 1)


@pytest.mark.django_db
def test_school_calendar_counts_the_school_days_each_break_takes_out(django_assert_num_queries):
    school = SchoolFactory(school_weekdays="123456")
    non_school_day_add(school=school, starts_on=D(2026, 6, 1), name="Last year")
    non_school_day_add(
        school=school, starts_on=D(2026, 12, 21), ends_on=D(2027, 1, 1), name="Winter break"
    )
    non_school_day_add(school=school, starts_on=D(2026, 12, 13), name="A Sunday")

    with django_assert_num_queries(2):
        calendar = school_calendar(school=school, today=D(2026, 12, 7))

    assert [(r.day.name, r.school_days_out) for r in calendar.rows] == [
        ("A Sunday", 0),
        ("Winter break", 11),  # Monday to Saturday, two weeks less Sunday 27 December
    ]
    assert calendar.weekdays_text == "Monday to Saturday"
    assert (calendar.since, calendar.earlier_count) == (D(2026, 8, 1), 1)
    assert calendar.today_is_school_day and calendar.today_closure is None
    assert calendar.next_school_day == D(2026, 12, 8)
    on_break = school_calendar(school=school, today=D(2026, 12, 24))
    assert (on_break.today_closure, on_break.next_school_day) == ("Winter break", D(2027, 1, 2))
