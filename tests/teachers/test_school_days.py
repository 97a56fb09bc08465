"""School-day arithmetic (teachers/school_days.py): weekends, holidays and breaks are not school
days; counting and adding in school days, so a break stretches a deadline instead of eating it;
the calendars load in one query."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teachers.models import NonSchoolDay
from teachers.school_days import (
    DEFAULT_WEEKDAYS,
    SchoolDays,
    school_days_by_school,
    school_days_for,
    weekdays_from,
)
from tests.factories import SchoolFactory

D = datetime.date
# December 2026: Mon 7, Fri 11, Sat 12, Sun 13, Mon 14, Fri 18, Sat 19 ... Fri 1 Jan 2027.
MON, FRI, SAT, SUN = D(2026, 12, 7), D(2026, 12, 11), D(2026, 12, 12), D(2026, 12, 13)
WINTER_BREAK = (D(2026, 12, 21), D(2027, 1, 1), "Winter break")  # Mon 21 Dec to Fri 1 Jan
THANKSGIVING = (D(2026, 11, 26), D(2026, 11, 26), "Thanksgiving")  # a Thursday


def _days(*closures, weekdays=DEFAULT_WEEKDAYS) -> SchoolDays:
    return SchoolDays(weekdays=frozenset(weekdays), closures=tuple(sorted(closures)))


# --- Single days -----------------------------------------------------------------------------


def test_weekends_are_not_school_days():
    days = _days()
    assert [days.is_school_day(MON + datetime.timedelta(n)) for n in range(7)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    assert days.closure_on(SAT) is None  # a weekend is no holiday


def test_a_one_day_holiday_is_not_a_school_day_and_has_its_name():
    days = _days(THANKSGIVING)
    assert not days.is_school_day(D(2026, 11, 26))
    assert days.closure_on(D(2026, 11, 26)) == "Thanksgiving"
    assert days.is_school_day(D(2026, 11, 25)) and days.is_school_day(D(2026, 11, 27))


def test_a_break_spanning_a_weekend_closes_its_weekdays_only():
    days = _days(WINTER_BREAK)
    first, last, _ = WINTER_BREAK
    day = first
    while day <= last:
        assert not days.is_school_day(day), day
        # The weekend inside the break is a weekend, not a closed teaching day.
        expected = "Winter break" if day.isoweekday() <= 5 else None
        assert days.closure_on(day) == expected, day
        day += datetime.timedelta(days=1)
    assert days.is_school_day(D(2026, 12, 18)) and days.is_school_day(D(2027, 1, 4))
    assert days.count(D(2026, 12, 18), D(2027, 1, 4)) == 1  # only Monday 4 January


def test_on_or_after_and_on_or_before_skip_weekends_and_breaks():
    days = _days(WINTER_BREAK)
    assert days.on_or_after(MON) == MON  # a school day is itself
    assert days.on_or_before(MON) == MON
    assert days.on_or_after(SAT) == D(2026, 12, 14)
    assert days.on_or_before(SUN) == FRI
    assert days.on_or_after(D(2026, 12, 23)) == D(2027, 1, 4)
    assert days.on_or_before(D(2026, 12, 23)) == D(2026, 12, 18)


# --- Counting and adding -----------------------------------------------------------------------


def test_add_counts_school_days_only():
    days = _days()
    assert days.add(MON, 1) == D(2026, 12, 8)
    assert days.add(FRI, 1) == D(2026, 12, 14)  # over the weekend
    assert days.add(MON, 10) == D(2026, 12, 21)  # two school weeks
    assert days.add(D(2026, 12, 14), -1) == FRI  # backwards over the weekend
    assert days.add(SAT, 0) == D(2026, 12, 14)  # 0: the day, or the next school day
    assert days.add(MON, 0) == MON


def test_a_break_stretches_add_instead_of_eating_it():
    plain, with_break = _days(), _days(WINTER_BREAK)
    start = D(2026, 12, 14)
    assert plain.add(start, 10) == D(2026, 12, 28)
    # Four school days before the break (15 to 18 Dec), six after it (4 to 11 Jan) ...
    assert with_break.add(start, 10) == D(2027, 1, 11)
    assert with_break.count(start, with_break.add(start, 10)) == 10
    # ... and a revisit window of 10 to 20 school days keeps its length across the break.
    assert with_break.count(start, with_break.add(start, 20)) == 20
    assert with_break.add(with_break.add(start, 10), -10) == start


def test_count_is_exclusive_of_the_start_and_inclusive_of_the_end():
    days = _days(THANKSGIVING)
    assert days.count(MON, MON) == 0
    assert days.count(FRI, MON) == 0  # backwards: nothing has passed
    assert days.count(MON, FRI) == 4
    assert days.count(FRI, D(2026, 12, 14)) == 1
    assert days.count(D(2026, 11, 23), D(2026, 11, 27)) == 3  # Thursday is a holiday


def test_closures_between_lists_the_breaks_that_overlap():
    days = _days(THANKSGIVING, WINTER_BREAK)
    assert days.closures_between(D(2026, 12, 1), D(2026, 12, 21)) == [WINTER_BREAK]
    assert days.closures_between(D(2027, 1, 1), D(2027, 2, 1)) == [WINTER_BREAK]
    assert days.closures_between(D(2026, 11, 27), D(2026, 12, 20)) == []
    assert days.closures_between(D(2026, 11, 1), D(2027, 1, 31)) == [THANKSGIVING, WINTER_BREAK]


def test_a_six_day_week_school_teaches_on_saturday():
    days = _days(WINTER_BREAK, weekdays={1, 2, 3, 4, 5, 6})
    assert days.is_school_day(SAT) and not days.is_school_day(SUN)
    assert days.add(FRI, 1) == SAT
    assert days.add(SAT, 1) == D(2026, 12, 14)
    assert days.count(D(2026, 12, 6), D(2026, 12, 13)) == 6
    assert days.closure_on(D(2026, 12, 26)) == "Winter break"  # a Saturday inside the break
    assert days.on_or_after(D(2026, 12, 20)) == D(2027, 1, 2)  # Saturday after the break


def test_weekdays_from_reads_the_school_field():
    assert weekdays_from("12345") == DEFAULT_WEEKDAYS
    assert weekdays_from("123456") == frozenset(range(1, 7))
    assert weekdays_from("71") == frozenset({1, 7})
    assert weekdays_from("") == DEFAULT_WEEKDAYS  # never a calendar with no school day


# --- Against a brute-force day loop ---------------------------------------------------------------

BASE = D(2026, 8, 1)


def _brute_school_day(weekdays, closures, day) -> bool:
    return day.isoweekday() in weekdays and not any(a <= day <= b for a, b, _ in closures)


def _brute_count(weekdays, closures, after, until) -> int:
    total, day = 0, after + datetime.timedelta(days=1)
    while day <= until:
        total += _brute_school_day(weekdays, closures, day)
        day += datetime.timedelta(days=1)
    return total


closure_strategy = st.tuples(
    st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=20)
).map(
    lambda t: (
        BASE + datetime.timedelta(days=t[0]),
        BASE + datetime.timedelta(days=t[0] + t[1]),
        f"Closed {t[0]}",
    )
)
calendar_strategy = st.tuples(
    st.sets(st.integers(min_value=1, max_value=7), min_size=1),
    st.lists(closure_strategy, max_size=8),
)


@settings(max_examples=150, deadline=None)
@given(
    calendar=calendar_strategy,
    after=st.integers(min_value=-20, max_value=340),
    span=st.integers(min_value=-10, max_value=200),
)
def test_count_equals_a_day_by_day_loop(calendar, after, span):
    weekdays, closures = calendar
    days = _days(*closures, weekdays=weekdays)
    first = BASE + datetime.timedelta(days=after)
    until = first + datetime.timedelta(days=span)
    assert days.count(first, until) == _brute_count(weekdays, closures, first, until)


@settings(max_examples=150, deadline=None)
@given(
    calendar=calendar_strategy,
    start=st.integers(min_value=-20, max_value=340),
    n=st.integers(min_value=-25, max_value=25),
)
def test_add_lands_on_a_school_day_n_school_days_away(calendar, start, n):
    weekdays, closures = calendar
    days = _days(*closures, weekdays=weekdays)
    day = BASE + datetime.timedelta(days=start)
    result = days.add(day, n)
    assert _brute_school_day(weekdays, closures, result)
    assert days.is_school_day(result)
    one = datetime.timedelta(days=1)
    if n > 0:  # the n-th school day after ``day``
        assert _brute_count(weekdays, closures, day, result) == n
        assert _brute_count(weekdays, closures, day, result - one) == n - 1
    elif n < 0:  # the |n|-th school day before ``day``
        assert _brute_count(weekdays, closures, result - one, day - one) == -n
    else:  # ``day`` itself or the first school day after it
        assert result >= day and _brute_count(weekdays, closures, day - one, result - one) == 0


# --- Loading calendars -------------------------------------------------------------------------


@pytest.mark.django_db
def test_school_days_for_loads_a_school_calendar_in_one_query(django_assert_num_queries):
    school = SchoolFactory(school_weekdays="123456")
    NonSchoolDay.objects.create(
        school=school, starts_on=D(2026, 11, 26), ends_on=D(2026, 11, 26), name="Thanksgiving"
    )
    NonSchoolDay.objects.create(
        school=SchoolFactory(), starts_on=MON, ends_on=MON, name="Another school's day"
    )
    with django_assert_num_queries(1):
        days = school_days_for(school=school)
    assert days.weekdays == frozenset(range(1, 7))
    assert days.closures == (THANKSGIVING,)
    assert days.is_school_day(MON)


@pytest.mark.django_db
def test_school_days_by_school_loads_every_calendar_in_one_query(django_assert_num_queries):
    schools = [SchoolFactory() for _ in range(4)]
    schools[3].school_weekdays = "1234"
    for i, school in enumerate(schools[:3]):
        NonSchoolDay.objects.create(
            school=school, starts_on=MON, ends_on=MON + datetime.timedelta(days=i), name=f"Day {i}"
        )
    with django_assert_num_queries(1):
        calendars = school_days_by_school(schools=schools)
    assert set(calendars) == {s.pk for s in schools}
    assert [calendars[s.pk].count(D(2026, 12, 6), D(2026, 12, 11)) for s in schools] == [
        4,
        3,
        2,
        4,
    ]
    assert calendars[schools[3].pk].weekdays == frozenset({1, 2, 3, 4})
    with django_assert_num_queries(0):
        assert school_days_by_school(schools=[]) == {}
