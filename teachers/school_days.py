"""What decides a school day: a school's teaching weekdays (Monday to Friday by default) minus its
holidays and breaks (``NonSchoolDay``). Every date the app proposes (a revisit, a plan's
sessions, a reminder) is counted in school days through this module, so a break stretches a
deadline instead of eating it.

Load a school's calendar once (``school_days_for`` or, for many schools, ``school_days_by_school``:
one query for all) and ask the returned ``SchoolDays`` as often as needed: it holds no database
handle.
"""

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from teachers.models import NonSchoolDay, School

DEFAULT_WEEKDAYS = frozenset({1, 2, 3, 4, 5})
# A search for the next school day gives up after this many days (a calendar closed for longer is
# a data error): the day reached is returned, so nothing loops for ever.
SEARCH_LIMIT_DAYS = 800


def weekdays_from(value: str) -> frozenset[int]:
    """ISO weekday numbers from a School.school_weekdays string ("12345")."""
    days = frozenset(int(c) for c in value if c in "1234567")
    return days or DEFAULT_WEEKDAYS


@dataclass(frozen=True)
class SchoolDays:
    """One school's calendar: ``weekdays`` (ISO numbers) and the closed dates with their names."""

    weekdays: frozenset[int] = DEFAULT_WEEKDAYS
    closures: tuple[tuple[datetime.date, datetime.date, str], ...] = ()
    _closed: dict[datetime.date, str] = field(default_factory=dict, repr=False, compare=False)
    _closed_sorted: list[datetime.date] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        closed: dict[datetime.date, str] = {}
        for starts_on, ends_on, name in self.closures:
            day = starts_on
            while day <= ends_on:
                if day.isoweekday() in self.weekdays:
                    closed.setdefault(day, name)
                day += datetime.timedelta(days=1)
        object.__setattr__(self, "_closed", closed)
        object.__setattr__(self, "_closed_sorted", sorted(closed))

    # --- single days ---

    def is_school_day(self, day: datetime.date) -> bool:
        return day.isoweekday() in self.weekdays and day not in self._closed

    def closure_on(self, day: datetime.date) -> str | None:
        """The holiday or break ``day`` falls in, if it is a teaching weekday closed by one."""
        return self._closed.get(day)

    def on_or_after(self, day: datetime.date) -> datetime.date:
        """``day`` if it is a school day, else the next school day."""
        for _ in range(SEARCH_LIMIT_DAYS):
            if self.is_school_day(day):
                return day
            day += datetime.timedelta(days=1)
        return day

    def on_or_before(self, day: datetime.date) -> datetime.date:
        """``day`` if it is a school day, else the school day before it."""
        for _ in range(SEARCH_LIMIT_DAYS):
            if self.is_school_day(day):
                return day
            day -= datetime.timedelta(days=1)
        return day

    # --- counting ---

    def add(self, day: datetime.date, school_days: int) -> datetime.date:
        """The school day ``school_days`` school days after ``day`` (before it when negative);
        0 gives ``day`` itself if it is a school day, else the next one."""
        if school_days == 0:
            return self.on_or_after(day)
        step = datetime.timedelta(days=1 if school_days > 0 else -1)
        left = abs(school_days)
        for _ in range(SEARCH_LIMIT_DAYS + left * 7):
            day += step
            if self.is_school_day(day):
                left -= 1
                if left == 0:
                    return day
        return day

    def count(self, after: datetime.date, until: datetime.date) -> int:
        """School days ``d`` with ``after < d <= until`` (0 when ``until <= after``): how many
        school days have passed since ``after`` by ``until``."""
        if until <= after:
            return 0
        return self._weekdays_between(after, until) - self._closed_between(after, until)

    def _weekdays_between(self, after: datetime.date, until: datetime.date) -> int:
        days = (until - after).days
        weeks, rest = divmod(days, 7)
        total = weeks * len(self.weekdays)
        start = after.isoweekday()
        for offset in range(1, rest + 1):
            if (start + offset - 1) % 7 + 1 in self.weekdays:
                total += 1
        return total

    def _closed_between(self, after: datetime.date, until: datetime.date) -> int:
        dates = self._closed_sorted
        return bisect.bisect_right(dates, until) - bisect.bisect_right(dates, after)

    def closures_between(
        self, first: datetime.date, last: datetime.date
    ) -> list[tuple[datetime.date, datetime.date, str]]:
        """The holidays and breaks overlapping ``first``..``last`` (both included)."""
        return [c for c in self.closures if c[0] <= last and c[1] >= first]


def _closures(rows: Iterable[tuple]) -> tuple[tuple[datetime.date, datetime.date, str], ...]:
    return tuple(sorted((starts_on, ends_on, name) for starts_on, ends_on, name in rows))


def school_days_for(*, school: School) -> SchoolDays:
    """The calendar of one school (one query)."""
    rows = NonSchoolDay.objects.filter(school=school).values_list("starts_on", "ends_on", "name")
    return SchoolDays(weekdays=weekdays_from(school.school_weekdays), closures=_closures(rows))


def school_days_by_school(*, schools: Iterable[School]) -> dict[int, SchoolDays]:
    """The calendars of many schools, by school id, in one query whatever their number."""
    schools = list(schools)
    rows: dict[int, list[tuple]] = defaultdict(list)
    for school_id, starts_on, ends_on, name in NonSchoolDay.objects.filter(
        school_id__in=[s.pk for s in schools]
    ).values_list("school_id", "starts_on", "ends_on", "name"):
        rows[school_id].append((starts_on, ends_on, name))
    return {
        s.pk: SchoolDays(weekdays=weekdays_from(s.school_weekdays), closures=_closures(rows[s.pk]))
        for s in schools
    }
