"""Reads about schools, people and roles."""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from teachers.models import (
    Disposition,
    Membership,
    NonSchoolDay,
    Orientation,
    School,
    Teacher,
    TimeFocus,
)
from teachers.school_days import SchoolDays, weekdays_from

_ROLES_ATTR = "_coaching_roles"


def user_roles(*, user: User) -> frozenset[str]:
    """The roles this user holds through active memberships (memoised on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _ROLES_ATTR, None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True)
        )
        setattr(user, _ROLES_ATTR, cached)
    return cached


def user_time_zone(*, user: User) -> str | None:
    """The time zone of the user's school: the teacher's own school, else the first school of
    an active membership (district-wide roles: the first school of the district)."""
    own = School.objects.filter(teachers__user=user)
    member = School.objects.filter(
        Q(memberships__user=user, memberships__is_active=True)
        | Q(district__memberships__user=user, district__memberships__is_active=True)
    )
    for schools in (own, member):
        name = schools.order_by("name").values_list("time_zone", flat=True).first()
        if name:
            return name
    return None


@dataclass(frozen=True)
class Stance:
    """The coaching stance suggested by a teacher's profile, and why."""

    kind: str  # "inquiry" or "advocacy"
    reasons: tuple[str, ...]
    framing: str

    @property
    def label(self) -> str:
        return self.kind.capitalize()


_DISPOSITION_RULES: dict[str, tuple[str, str]] = {
    Disposition.OVERWHELMED: (
        "advocacy",
        "Overwhelmed: name one small, concrete step and model it; open questions add load.",
    ),
    Disposition.SKEPTICAL: (
        "inquiry",
        "Skeptical: ask questions anchored in student evidence so the conclusion is theirs.",
    ),
    Disposition.PERFECTIONIST: (
        "advocacy",
        "Perfectionist: set a bounded, good-enough target with a clear finish line.",
    ),
    Disposition.AVOIDS_VULNERABILITY: (
        "inquiry",
        "Avoids vulnerability: low-stakes questions about students, not about the teacher; "
        "let them choose what to look at.",
    ),
}
_FRAMING = {
    TimeFocus.PAST: "Connect the move to what already worked in their classroom.",
    TimeFocus.PRESENT: "Keep the conversation on tomorrow's lesson and today's students.",
    TimeFocus.FUTURE: "Tie the move to the goals they have for the unit and the year.",
}


def teacher_suggested_stance(*, teacher: Teacher) -> Stance:
    """Inquiry (the teacher leads the thinking) or advocacy (the coach names the move).

    Rule: the disposition decides, except for a teacher who is ready, where the orientation
    decides (learning -> inquiry, performance -> advocacy). The time focus sets the framing.
    """
    reasons: list[str] = []
    if teacher.disposition in _DISPOSITION_RULES:
        kind, reason = _DISPOSITION_RULES[teacher.disposition]
        reasons.append(reason)
    elif teacher.orientation == Orientation.LEARNING:
        kind = "inquiry"
        reasons.append("Ready and learning-oriented: let them lead the analysis of the evidence.")
    else:
        kind = "advocacy"
        reasons.append(
            "Ready but performance-oriented: give clear success criteria and a model to match."
        )
    if teacher.orientation == Orientation.PERFORMANCE and teacher.disposition != Disposition.READY:
        reasons.append(
            "Performance-oriented: talk about student results, never a judgement of the teacher."
        )
    return Stance(kind=kind, reasons=tuple(reasons), framing=_FRAMING[teacher.time_focus])


# --- The school calendar -------------------------------------------------------------------------

SCHOOL_YEAR_FIRST_MONTH = 8  # a school year runs from 1 August to 31 July (as the CSV exports)
WEEKDAY_NAMES = {
    1: "Monday",
    2: "Tuesday",
    3: "Wednesday",
    4: "Thursday",
    5: "Friday",
    6: "Saturday",
    7: "Sunday",
}


def school_year_start(day: datetime.date) -> datetime.date:
    """1 August of the school year ``day`` falls in."""
    year = day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1
    return datetime.date(year, SCHOOL_YEAR_FIRST_MONTH, 1)


def dates_as_written(first: datetime.date, last: datetime.date) -> str:
    """A day or a run of days as a person writes them, joined by an en dash: "Thu 26 Nov 2026";
    "Mon 21 - Fri 25 Dec 2026", "Wed 25 Nov - Fri 4 Dec 2026", "Mon 21 Dec 2026 - Fri 1 Jan
    2027" (the month and year said once when they are shared)."""

    def day(d: datetime.date, *, month: bool = True, year: bool = True) -> str:
        text = f"{d:%a} {d.day}"
        if month:
            text += f" {d:%b}"
        return text + (f" {d.year}" if year else "")

    if first == last:
        return day(first)
    if first.year != last.year:
        return f"{day(first)} – {day(last)}"
    if first.month != last.month:
        return f"{day(first, year=False)} – {day(last)}"
    return f"{day(first, month=False, year=False)} – {day(last)}"


def weekdays_as_written(weekdays: Iterable[int]) -> str:
    """ "Monday to Friday", "Monday to Saturday", "Monday, Wednesday and Friday"."""
    days = sorted(set(weekdays))
    if not days:
        return "no day"
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAY_NAMES[days[0]]} to {WEEKDAY_NAMES[days[-1]]}"
    names = [WEEKDAY_NAMES[d] for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def school_days_out(*, school: School, first: datetime.date, last: datetime.date) -> int:
    """The school's teaching weekdays from ``first`` to ``last`` (both included): the school
    days a holiday or break over them takes out (a weekend inside a break is no loss)."""
    open_every_weekday = SchoolDays(weekdays=weekdays_from(school.school_weekdays))
    return open_every_weekday.count(first - datetime.timedelta(days=1), last)


@dataclass(frozen=True)
class CalendarRow:
    """A holiday or break as the calendar page lists it."""

    day: NonSchoolDay
    dates: str  # as written
    school_days_out: int  # teaching weekdays it closes (a weekend inside a break is no loss)
    is_past: bool
    is_now: bool


@dataclass(frozen=True)
class SchoolCalendar:
    school: School
    today: datetime.date  # in the school's time zone
    since: datetime.date  # the first day of this school year
    weekdays: frozenset[int]
    weekdays_text: str
    rows: list[CalendarRow]  # this school year and later, by first day
    earlier_count: int  # holidays and breaks of earlier school years (kept, not listed)
    today_is_school_day: bool
    today_closure: str | None  # the holiday or break today falls in
    next_school_day: datetime.date


def school_calendar(*, school: School, today: datetime.date | None = None) -> SchoolCalendar:
    """A school's weekdays and its holidays and breaks of this school year and later, with the
    school days each takes out (two queries)."""
    if today is None:
        today = timezone.localdate(timezone=zoneinfo.ZoneInfo(school.time_zone))
    since = school_year_start(today)
    days = list(school.non_school_days.filter(ends_on__gte=since).order_by("starts_on", "pk"))
    earlier = school.non_school_days.filter(ends_on__lt=since).count()
    weekdays = weekdays_from(school.school_weekdays)
    calendar = SchoolDays(
        weekdays=weekdays,
        closures=tuple(sorted((d.starts_on, d.ends_on, d.name) for d in days)),
    )
    one_day = datetime.timedelta(days=1)
    rows = [
        CalendarRow(
            day=d,
            dates=dates_as_written(d.starts_on, d.ends_on),
            school_days_out=school_days_out(school=school, first=d.starts_on, last=d.ends_on),
            is_past=d.ends_on < today,
            is_now=d.starts_on <= today <= d.ends_on,
        )
        for d in days
    ]
    return SchoolCalendar(
        school=school,
        today=today,
        since=since,
        weekdays=weekdays,
        weekdays_text=weekdays_as_written(weekdays),
        rows=rows,
        earlier_count=earlier,
        today_is_school_day=calendar.is_school_day(today),
        today_closure=calendar.closure_on(today),
        next_school_day=calendar.on_or_after(today + one_day),
    )
