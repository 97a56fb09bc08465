"""Reads for the coaching pages. Each selector runs a fixed number of queries, whatever the
number of teachers, cycles or coaches (prefetching and grouped aggregates, no query per row)."""

import bisect
import datetime
import math
import uuid
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Field,
    IntegerField,
    Min,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Mod, NullIf, Sign, TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import capfirst

from accounts.models import User
from coaching.access import LEADER_ROLES, READ, cycles_for, schools_for, teachers_for
from coaching.models import (
    DIRECT_CATEGORIES,
    OPEN_STATES,
    AgreedMove,
    CoachingCycle,
    CoachingSession,
    ContextBrief,
    CycleState,
    Debrief,
    Move,
    NeedArea,
    Outcome,
    PersistentProblem,
    Reflection,
    Reminder,
    ReminderKind,
    Revisit,
    RevisitStatus,
    SessionKind,
    TimeCategory,
    TimeEntry,
)
from core.formatting import week_as_written, week_start
from observations.models import Observation, Phase
from teachers.models import (
    COACH_HOURS_PER_MONTH_DEFAULT,
    CaseloadAssignment,
    Membership,
    Role,
    School,
    Teacher,
)
from teachers.school_days import SchoolDays, school_days_by_school, school_days_for
from teachers.selectors import teacher_suggested_stance

# --- Caseload ------------------------------------------------------------------------------------

CADENCE_DAYS = 28  # a teacher untouched for longer has fallen off the 2-to-4-week cadence


@dataclass(frozen=True)
class CaseloadRow:
    teacher: Teacher
    cycle: CoachingCycle | None
    next_revisit: Revisit | None
    last_touch: datetime.date | None
    today: datetime.date

    @property
    def days_since_touch(self) -> int | None:
        return (self.today - self.last_touch).days if self.last_touch else None

    @property
    def overdue(self) -> bool:
        return self.next_revisit is not None and self.next_revisit.due_on < self.today

    @property
    def no_active_cycle(self) -> bool:
        return self.cycle is None

    @property
    def off_cadence(self) -> bool:
        return self.days_since_touch is None or self.days_since_touch > CADENCE_DAYS


def _open_cycles_prefetch() -> Prefetch:
    scheduled = Revisit.objects.filter(status=RevisitStatus.SCHEDULED).order_by("due_on")
    return Prefetch(
        "cycles",
        queryset=CoachingCycle.objects.filter(state__in=OPEN_STATES)
        .select_related("assessment", "agreed_move__move", "persistent_problem")
        .prefetch_related(Prefetch("revisits", queryset=scheduled, to_attr="scheduled_revisits")),
        to_attr="open_cycles",
    )


def _latest(qs, field_name: str) -> Subquery:
    return Subquery(qs.order_by(f"-{field_name}").values(field_name)[:1])


def caseload_rows(*, coach: User, today: datetime.date | None = None) -> list[CaseloadRow]:
    """The coach's caseload with each teacher's open cycle, next revisit and last touch."""
    today = today or timezone.localdate()
    observed = Observation.objects.filter(teacher=OuterRef("pk"), started_at__isnull=False)
    met = CoachingSession.objects.filter(cycle__teacher=OuterRef("pk"), held_at__isnull=False)
    caseload = CaseloadAssignment.objects.filter(coach=coach, ended_on__isnull=True)
    teachers = (
        teachers_for(coach, READ)
        .filter(id__in=caseload.values("teacher_id"))
        .annotate(last_observed=_latest(observed, "started_at"), last_met=_latest(met, "held_at"))
        .prefetch_related(_open_cycles_prefetch())
        .order_by("last_name", "first_name")
    )
    rows = []
    for teacher in teachers:
        cycle = teacher.open_cycles[0] if teacher.open_cycles else None
        touches = [t for t in (teacher.last_observed, teacher.last_met) if t is not None]
        last_touch = timezone.localtime(max(touches)).date() if touches else None
        revisit = cycle.scheduled_revisits[0] if cycle and cycle.scheduled_revisits else None
        rows.append(CaseloadRow(teacher, cycle, revisit, last_touch, today))
    return rows


# --- Caseload: filter and sort -------------------------------------------------------------------

CASELOAD_SHOW = {
    "all": "All teachers",
    "overdue": "Overdue revisit",
    "no_cycle": "No active cycle",
    "off_cadence": "Off cadence (over 4 weeks)",
}
CASELOAD_SORTS = {
    "name": "Name, A to Z",
    "-name": "Name, Z to A",
    "-touch": "Longest since last touch",
    "touch": "Most recently touched",
    "revisit": "Next revisit, soonest first",
    "-revisit": "Next revisit, latest first",
    "state": "Cycle state, planned first",
    "-state": "Cycle state, no cycle first",
}
_STATE_RANK = {CycleState.PLANNED: 0, CycleState.ACTIVE: 1, CycleState.DEBRIEFED: 2}


def _name_key(row: CaseloadRow) -> tuple[str, str]:
    return (row.teacher.last_name.lower(), row.teacher.first_name.lower())


def caseload_rows_filter(
    *, rows: Iterable[CaseloadRow], show: str = "all", need_area: str = "", sort: str = "name"
) -> list[CaseloadRow]:
    """Keep the rows ``show`` and ``need_area`` ask for, in the order ``sort`` names (a key of
    CASELOAD_SORTS; a leading "-" reverses it). Ties go by name. Rows without a value for the
    sort key (no revisit scheduled) come last either way; a teacher never touched counts as
    the longest untouched. No query: it works on caseload_rows()'s rows."""
    kept = [
        r
        for r in rows
        if (show != "overdue" or r.overdue)
        and (show != "no_cycle" or r.no_active_cycle)
        and (show != "off_cadence" or r.off_cadence)
        and (not need_area or (r.cycle is not None and r.cycle.assessment.need_area == need_area))
    ]
    kept.sort(key=_name_key)
    descending, key = sort.startswith("-"), sort.lstrip("-")
    if key == "name":
        return kept[::-1] if descending else kept
    if key == "touch":
        kept.sort(
            key=lambda r: math.inf if r.days_since_touch is None else r.days_since_touch,
            reverse=descending,
        )
        return kept
    if key == "revisit":
        dated = [r for r in kept if r.next_revisit is not None]
        dated.sort(key=lambda r: r.next_revisit.due_on, reverse=descending)
        return dated + [r for r in kept if r.next_revisit is None]
    if key == "state":
        kept.sort(
            key=lambda r: _STATE_RANK.get(r.cycle.state, 3) if r.cycle else 4, reverse=descending
        )
        return kept
    return kept


# --- Dashboards ----------------------------------------------------------------------------------
#
# Process figures for principals and district leaders, per coach and per school, over a period:
# never the content of coaching. school_dashboard() runs SCHOOL_DASHBOARD_QUERIES queries
# whatever the number of schools, coaches, teachers, cycles or weeks: each figure is grouped in
# the database by (school, coach, ...), and no query returns a row per visit, session, revisit or
# sweep. Times become dates in each school's own time zone in the database too (TruncDate per
# zone, or the instants at which a school's dates start). Cadence comes back as one row per
# teacher (a bitmask of the days touched), the caseload as one row per assignment.

DASHBOARD_DAYS = 90  # the default period: the last 90 days, today included
DASHBOARD_MAX_WEEKS = 105  # the cadence series keeps at most the last two years of weeks
DIRECT_TARGET_PCT = (60, 80)  # Deussen et al. (2007): 60-80% expected (Reading First saw 28%)
PROGRESS_OUTCOMES = (Outcome.MASTERED, Outcome.PROGRESSING)
# Capacity: hours a caseload needs a month = teachers x hours per cycle x cycles per month.
CAPACITY_CYCLES_PER_MONTH = 1.0  # monthly: the slow end of the 2-to-4-week cadence
CAPACITY_OWN_MIN_CYCLES = 3  # completed cycles with logged time before a coach's own average counts
CAPACITY_LOOKBACK_DAYS = 180
SCHOOL_DASHBOARD_QUERIES = 10
# Cadence kept: a touch in the last CADENCE_SCHOOL_DAYS school days (four school weeks, the far
# end of the revisit window), counted on the school's calendar so a break is not neglect.
CADENCE_SCHOOL_DAYS = 20


@dataclass(frozen=True)
class DashboardFilters:
    """What a dashboard counts: a period (``period_start`` to ``period_end``, both included),
    optionally one coach (a user id) and one need area.

    The need area narrows every figure that counts cycles (open, active, closed and their
    outcomes, moves mastered, need-area mix, overdue revisits, engagement change, minutes per
    completed cycle, the school's cycle states). Caseload, cadence, logged time and capacity are
    about teachers and coaches, not cycles: the need area leaves them alone."""

    period_start: datetime.date
    period_end: datetime.date
    coach_id: int | None = None
    need_area: str | None = None

    def __post_init__(self) -> None:
        if self.period_start > self.period_end:
            raise ValueError("The period must start on or before its end.")
        if self.need_area is not None and self.need_area not in NeedArea.values:
            raise ValueError(f"Unknown need area: {self.need_area!r}.")

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1

    @classmethod
    def default(
        cls,
        *,
        today: datetime.date,
        days: int = DASHBOARD_DAYS,
        coach_id: int | None = None,
        need_area: str | None = None,
    ) -> "DashboardFilters":
        """The last ``days`` days up to ``today`` (included)."""
        start = today - datetime.timedelta(days=days - 1)
        return cls(period_start=start, period_end=today, coach_id=coach_id, need_area=need_area)

    def week_ends(self) -> list[datetime.date]:
        """The ends of the weeks of the cadence series, oldest first: the period's last day and
        every seventh day before it that is still inside the period (at most
        DASHBOARD_MAX_WEEKS)."""
        ends = []
        day = self.period_end
        while day >= self.period_start and len(ends) < DASHBOARD_MAX_WEEKS:
            ends.append(day)
            day -= datetime.timedelta(days=7)
        return ends[::-1]


# The dashboards' filter dates: outside these years a date is a typing mistake (the filter form
# says so next to the field), and the figures' windows around it (a day either side, the cadence
# weeks before the period) must stay valid dates.
FILTER_EARLIEST = datetime.date(2000, 1, 1)
FILTER_LATEST = datetime.date(2099, 12, 31)


def _parse_date(value: str | None) -> datetime.date | None:
    """An ISO date of the dashboards' range; None for anything else (the default then)."""
    try:
        day = datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is not None and FILTER_EARLIEST <= day <= FILTER_LATEST else None


def dashboard_coaches(*, user: User) -> QuerySet[User]:
    """The coaches (active coach memberships) at the schools the user leads, by name: the
    choices of the dashboards' coach filter."""
    return (
        User.objects.filter(
            memberships__school__in=schools_for(user, LEADER_ROLES),
            memberships__role=Role.COACH,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


def dashboard_filters(
    *,
    user: User,
    params: Mapping[str, str] | None = None,
    today: datetime.date | None = None,
) -> DashboardFilters:
    """Filters from a page's query string: ``start`` and ``end`` (ISO dates), ``coach`` (a user
    id) and ``need_area``. Missing or invalid values fall back to the defaults: the last
    DASHBOARD_DAYS days up to today at the user's first school (by name). One query, none when
    ``today`` is given."""
    params = params or {}
    if today is None:
        first = schools_for(user, LEADER_ROLES).order_by("name").first()
        today = school_today(first) if first else timezone.localdate()
    end = _parse_date(params.get("end")) or today
    start = _parse_date(params.get("start")) or end - datetime.timedelta(days=DASHBOARD_DAYS - 1)
    if start > end:
        start = end - datetime.timedelta(days=DASHBOARD_DAYS - 1)
    coach = params.get("coach") or ""
    need_area = params.get("need_area") or None
    return DashboardFilters(
        period_start=start,
        period_end=end,
        coach_id=int(coach) if coach.isdigit() else None,
        need_area=need_area if need_area in NeedArea.values else None,
    )


@dataclass(frozen=True)
class Capacity:
    """The hours a coach's caseload needs a month at its cadence against the hours the coach
    has: ``hours_needed = teachers x hours_per_cycle x cycles_per_month``. The inputs are kept
    so a page can show the arithmetic.

    ``hours_per_cycle_source``: "own" (the coach's logged minutes over their own completed
    cycles, ``own_cycles`` of them in the last CAPACITY_LOOKBACK_DAYS days) or "school" (the
    school's default hours per cycle, when the coach has fewer than CAPACITY_OWN_MIN_CYCLES).
    ``hours_available_source``: "coach" (the coach membership's hours per month) or "default"
    (COACH_HOURS_PER_MONTH_DEFAULT)."""

    teachers: int
    hours_per_cycle: float
    cycles_per_month: float
    hours_available: float
    hours_per_cycle_source: str = "school"
    own_cycles: int = 0
    hours_available_source: str = "default"

    @property
    def hours_needed(self) -> float:
        return round(self.teachers * self.hours_per_cycle * self.cycles_per_month, 2)

    @property
    def overloaded(self) -> bool:
        return self.hours_needed > self.hours_available

    @property
    def load(self) -> float | None:
        """Hours needed over hours available (above 1: overloaded)."""
        return self.hours_needed / self.hours_available if self.hours_available else None

    @property
    def hours_over(self) -> float:
        """Hours a month the caseload needs beyond those available (0 when it fits)."""
        return max(round(self.hours_needed - self.hours_available, 2), 0.0)

    @property
    def minutes_needed(self) -> int:
        """``hours_needed`` in minutes, for the one hours formatter (core.formatting.hours)."""
        return round(self.hours_needed * 60)

    @property
    def minutes_available(self) -> int:
        return round(self.hours_available * 60)

    @property
    def minutes_over(self) -> int:
        return round(self.hours_over * 60)

    @property
    def minutes_per_cycle(self) -> int:
        return round(self.hours_per_cycle * 60)

    @property
    def teachers_fewer_to_fit(self) -> int | None:
        """The fewest teachers to take off the caseload so it fits the hours available (0 when
        it fits; None when a teacher costs no hours)."""
        per_teacher = self.hours_per_cycle * self.cycles_per_month
        if not self.overloaded:
            return 0
        if per_teacher <= 0:
            return None
        return min(math.ceil(round(self.hours_over / per_teacher, 6)), self.teachers)

    @property
    def hours_more_to_fit(self) -> int:
        """Whole hours a month to add to the coach's so the caseload fits (0 when it fits)."""
        return math.ceil(round(self.hours_over, 6))

    @property
    def hours_per_cycle_to_fit(self) -> float | None:
        """The longest cycle (hours, down to a tenth) with which the caseload fits the hours
        available; None without teachers or cycles."""
        cycles = self.teachers * self.cycles_per_month
        if cycles <= 0:
            return None
        return math.floor(round(self.hours_available / cycles * 10, 6)) / 10

    @property
    def minutes_more_to_fit(self) -> int:
        return self.hours_more_to_fit * 60

    @property
    def minutes_per_cycle_to_fit(self) -> int | None:
        """``hours_per_cycle_to_fit`` in minutes; None when no cycle length would fit."""
        to_fit = self.hours_per_cycle_to_fit
        return round(to_fit * 60) if to_fit else None


def capacity_for(
    *,
    teachers: int,
    school_cycle_hours: float | Decimal,
    own_minutes: int = 0,
    own_cycles: int = 0,
    hours_per_month: float | Decimal | None = None,
    cycles_per_month: float = CAPACITY_CYCLES_PER_MONTH,
) -> Capacity:
    """A coach's capacity: hours per cycle are the coach's own (``own_minutes`` logged on
    ``own_cycles`` completed cycles, over 60) once they have CAPACITY_OWN_MIN_CYCLES such
    cycles, else the school's default; hours available are the membership's hours per month, or
    COACH_HOURS_PER_MONTH_DEFAULT. No query."""
    own = own_cycles >= CAPACITY_OWN_MIN_CYCLES
    return Capacity(
        teachers=teachers,
        hours_per_cycle=round(own_minutes / own_cycles / 60, 2)
        if own
        else float(school_cycle_hours),
        cycles_per_month=cycles_per_month,
        hours_available=float(
            COACH_HOURS_PER_MONTH_DEFAULT if hours_per_month is None else hours_per_month
        ),
        hours_per_cycle_source="own" if own else "school",
        own_cycles=own_cycles,
        hours_available_source="default" if hours_per_month is None else "coach",
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percent(share: float | None) -> int | None:
    """The app's one rule for a share shown as a percentage: the nearest whole percent, an
    exact half to the even one (Python's round). From counts, use percent_of (exact)."""
    return None if share is None else round(share * 100)


def percent_of(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` as a whole percent by the same rule, computed exactly from the
    counts (no floating point), so percentOf() in static/js/live_observation.js and the
    dashboard's SQL (_shown_percent_sql) give the same figure: 197 of 500 -> 39."""
    return round(Fraction(100 * part, whole)) if whole else None


def percent_points(before: int | None, after: int | None) -> int | None:
    """The change between two shown percentages in percentage points: their difference, so
    39.4% -> 78.6% reads 39% -> 79%, +40 points (not the +39 of the unrounded shares).
    pointsBetween() in live_observation.js is the same."""
    if before is None or after is None:
        return None
    return after - before


def _shown_percent_sql(engaged: Sum, present: Sum):
    """percent_of in SQL (SQLite and PostgreSQL), on integers only: floor((200 e + p) / 2p) is
    the nearest whole percent with an exact half rounded up; an exact half (the division has
    no remainder) that came out odd goes down to the even one. NULL when ``present`` is 0."""
    present = NullIf(present, Value(0))
    twice, double = engaged * 200 + present, present * 2
    up = twice / double  # integer division
    exact_half = 1 - Sign(Mod(twice, double))  # 1 when the remainder is 0
    return Cast(up - exact_half * Mod(up, 2), IntegerField())


def _pct(share: float | None) -> int | None:
    return percent(share)


@dataclass
class CoachFigures:
    """One coach's figures at one school over the filters' period; with ``coach`` None, a
    school's totals (the sums over its coaches; every share is recomputed from the sums).

    - ``caseload``: teachers now on the caseload (current assignments).
    - ``open_cycles``: cycles planned, active or debriefed ("active cycles" on the page);
      ``active_cycles`` those in state active only. ``need_areas``: open cycles by need area.
    - ``closed``: cycles closed in the period, by outcome; ``moves_mastered``: those mastered.
    - ``overdue_revisits``: scheduled revisits whose due date has had a school day pass since
      it (due before the school's last school day up to today: a revisit due on the eve of a
      break is not overdue during the break); ``overdue_oldest_school_days``: the school days
      since the oldest one's due date (None without overdue revisits).
    - cadence: ``cadence_caseload`` teachers on the caseload on the period's last day, of whom
      ``cadence_touched`` had a touch (a held session, a started observation or a done revisit,
      any of the teacher's cycles) in the CADENCE_SCHOOL_DAYS school days up to that day
      (the school's calendar: holidays and breaks do not count), school dates;
      ``cadence_weekly_counts``: (touched, caseload) the same way at each of
      SchoolFigures.weeks.
    - engagement: over the ``engagement_observations`` observations of the coach's cycles that
      started in the period and have sweeps in both phases, ``engagement_points_sum`` adds each
      one's after-the-move share minus before-the-move share (each pooled over its sweeps:
      engaged / present), in percentage points; ``engagement_change`` is their mean.
    - time: ``minutes_by_category``, ``minutes_total``, ``minutes_direct`` (direct coaching and
      observation) logged in the period.
    - ``completed_cycle_minutes`` logged by the coach on the ``completed_cycles_timed`` cycles
      closed in the period that have logged time (whenever it was logged);
      ``minutes_per_completed_cycle`` divides them (cycles with no logged time are left out,
      they would make a cycle look free).
    - ``capacity``: see Capacity (None for a school's totals)."""

    coach: User | None
    school_id: int | None = None
    caseload: int = 0
    open_cycles: int = 0
    active_cycles: int = 0
    overdue_revisits: int = 0
    overdue_oldest_school_days: int | None = None
    closed: dict[str, int] = field(default_factory=dict)
    need_areas: dict[str, int] = field(default_factory=dict)
    minutes_total: int = 0
    minutes_direct: int = 0
    minutes_by_category: dict[str, int] = field(default_factory=dict)
    cadence_caseload: int = 0
    cadence_touched: int = 0
    cadence_weekly_counts: list[tuple[int, int]] = field(default_factory=list)
    engagement_observations: int = 0
    engagement_points_sum: float = 0.0
    completed_cycles_timed: int = 0
    completed_cycle_minutes: int = 0
    capacity: Capacity | None = None

    @property
    def closed_total(self) -> int:
        return sum(self.closed.values())

    @property
    def closed_by_outcome(self) -> list[tuple[str, int]]:
        """(label, count) in the outcomes' own order, e.g. [("Mastered", 2), ("Not yet", 1)]."""
        return [(o.label, self.closed[o.value]) for o in Outcome if self.closed.get(o.value)]

    @property
    def moves_mastered(self) -> int:
        return self.closed.get(Outcome.MASTERED, 0)

    @property
    def progressed(self) -> int:
        """Cycles closed in the period as mastered or progressing."""
        return sum(self.closed.get(o, 0) for o in PROGRESS_OUTCOMES)

    @property
    def progressed_share(self) -> float | None:
        return _share(self.progressed, self.closed_total)

    @property
    def need_area_mix(self) -> list[tuple[str, str, int]]:
        """(need area, label, open cycles) for every need area, in their own order."""
        return [(a.value, a.label, self.need_areas.get(a.value, 0)) for a in NeedArea]

    @property
    def cadence_kept(self) -> float | None:
        return _share(self.cadence_touched, self.cadence_caseload)

    @property
    def cadence_pct(self) -> int | None:
        return _pct(self.cadence_kept)

    @property
    def cadence_weekly(self) -> list[float | None]:
        return [_share(touched, caseload) for touched, caseload in self.cadence_weekly_counts]

    @property
    def engagement_change(self) -> float | None:
        """Mean change in engagement after the move, in percentage points."""
        if not self.engagement_observations:
            return None
        return self.engagement_points_sum / self.engagement_observations

    @property
    def direct_share(self) -> float | None:
        return _share(self.minutes_direct, self.minutes_total)

    @property
    def direct_pct(self) -> int | None:
        return _pct(self.direct_share)

    @property
    def direct_status(self) -> str | None:
        """ "below", "within" or "above" the DIRECT_TARGET_PCT band; None with no logged time."""
        if not self.minutes_total:
            return None
        low, high = DIRECT_TARGET_PCT
        if self.minutes_direct * 100 < low * self.minutes_total:
            return "below"
        if self.minutes_direct * 100 > high * self.minutes_total:
            return "above"
        return "within"

    @property
    def minutes_per_completed_cycle(self) -> float | None:
        if not self.completed_cycles_timed:
            return None
        return self.completed_cycle_minutes / self.completed_cycles_timed


def _add_counts(into: dict[str, int], more: dict[str, int]) -> None:
    for key, n in more.items():
        into[key] = into.get(key, 0) + n


def _figures_total(figures: list[CoachFigures], weeks: int) -> CoachFigures:
    total = CoachFigures(coach=None, cadence_weekly_counts=[(0, 0)] * weeks)
    for f in figures:
        total.school_id = f.school_id
        for name in (
            "caseload",
            "open_cycles",
            "active_cycles",
            "overdue_revisits",
            "minutes_total",
            "minutes_direct",
            "cadence_caseload",
            "cadence_touched",
            "engagement_observations",
            "engagement_points_sum",
            "completed_cycles_timed",
            "completed_cycle_minutes",
        ):
            setattr(total, name, getattr(total, name) + getattr(f, name))
        if f.overdue_oldest_school_days is not None:
            total.overdue_oldest_school_days = max(
                total.overdue_oldest_school_days or 0, f.overdue_oldest_school_days
            )
        _add_counts(total.closed, f.closed)
        _add_counts(total.need_areas, f.need_areas)
        _add_counts(total.minutes_by_category, f.minutes_by_category)
        total.cadence_weekly_counts = [
            (a + c, b + d)
            for (a, b), (c, d) in zip(
                total.cadence_weekly_counts, f.cadence_weekly_counts, strict=True
            )
        ]
    return total


@dataclass
class SchoolFigures:
    """A school's figures: ``coaches`` (one CoachFigures per active coach membership, by name),
    ``states`` (all its cycles by state, narrowed by the filters' coach and need area), the
    ``filters`` used and the cadence series' ``weeks`` (week-end dates, oldest first);
    ``cadence_since``: the first day a touch keeps cadence at the period's end (the school's
    calendar: CADENCE_SCHOOL_DAYS school days back)."""

    school: School
    coaches: list[CoachFigures]
    states: dict[str, int]
    filters: DashboardFilters | None = None
    weeks: list[datetime.date] = field(default_factory=list)
    cadence_since: datetime.date | None = None

    @property
    def overdue_revisits(self) -> int:
        return sum(c.overdue_revisits for c in self.coaches)

    @property
    def totals(self) -> CoachFigures:
        """The school's totals: every figure summed over its coaches (coach None)."""
        return _figures_total(self.coaches, len(self.weeks))

    @property
    def hours_needed(self) -> float:
        return round(sum(c.capacity.hours_needed for c in self.coaches if c.capacity), 2)

    @property
    def hours_available(self) -> float:
        return round(sum(c.capacity.hours_available for c in self.coaches if c.capacity), 2)

    @property
    def minutes_needed(self) -> int:
        """``hours_needed`` in minutes, for the one hours formatter (core.formatting.hours)."""
        return round(self.hours_needed * 60)

    @property
    def minutes_available(self) -> int:
        return round(self.hours_available * 60)

    @property
    def overloaded_coaches(self) -> list[CoachFigures]:
        return [c for c in self.coaches if c.capacity and c.capacity.overloaded]


def _coach_q(prefix: str, coach_id: int | None) -> Q:
    return Q() if coach_id is None else Q(**{prefix: coach_id})


def _need_q(prefix: str, need_area: str | None) -> Q:
    return Q() if need_area is None else Q(**{prefix: need_area})


def _utc_bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """A window of instants holding every school date from ``start`` to ``end`` in any time
    zone (a day's margin each side); rows inside it are then kept by their school date."""
    utc = datetime.UTC
    return (
        datetime.datetime.combine(start - datetime.timedelta(days=1), datetime.time(), utc),
        datetime.datetime.combine(end + datetime.timedelta(days=2), datetime.time(), utc),
    )


def _touch_dates(
    *, school_ids: list[int], zones: dict[int, zoneinfo.ZoneInfo], start, end
) -> dict[int, list[datetime.date]]:
    """Each teacher's touch dates from ``start`` to ``end`` (school dates), sorted: held
    sessions, started observations (one query) and done revisits (one query)."""
    low, high = _utc_bounds(start, end)
    sessions = (
        CoachingSession.objects.filter(
            cycle__teacher__school_id__in=school_ids, held_at__gte=low, held_at__lt=high
        )
        .values_list("cycle__teacher_id", "cycle__teacher__school_id", "held_at")
        .order_by()
    )
    visits = (
        Observation.objects.filter(
            teacher__school_id__in=school_ids, started_at__gte=low, started_at__lt=high
        )
        .values_list("teacher_id", "teacher__school_id", "started_at")
        .order_by()
    )
    touches: dict[int, set[datetime.date]] = defaultdict(set)
    for teacher_id, school_id, at in sessions.union(visits, all=True):
        day = timezone.localtime(at, zones[school_id]).date()
        if start <= day <= end:
            touches[teacher_id].add(day)
    for teacher_id, day in (
        Revisit.objects.filter(
            cycle__teacher__school_id__in=school_ids,
            status=RevisitStatus.DONE,
            completed_on__range=(start, end),
        )
        .values_list("cycle__teacher_id", "completed_on")
        .order_by()
        .distinct()
    ):
        touches[teacher_id].add(day)
    return {teacher_id: sorted(days) for teacher_id, days in touches.items()}


def _cadence_since(calendar: SchoolDays, on: datetime.date) -> datetime.date:
    """The first day a touch keeps cadence on ``on``: CADENCE_SCHOOL_DAYS school days before
    ``on``'s last school day, so at most CADENCE_SCHOOL_DAYS school days have passed since it.
    On a Monday-to-Friday calendar without holidays, 28 days before a school day; a break
    pushes it back by the break's length."""
    return calendar.add(calendar.on_or_before(on), -CADENCE_SCHOOL_DAYS)


def _touched_within(days: list[datetime.date], since: datetime.date, on: datetime.date) -> bool:
    """A touch from ``since`` to ``on`` (both included; ``since`` from _cadence_since)."""
    i = bisect.bisect_right(days, on)
    return i > 0 and days[i - 1] >= since


def _day_start(day: datetime.date, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The first instant of a school date: an instant falls on ``day`` or later in ``zone`` if
    and only if it is at or after this one (so a range of instants selects a range of school
    dates). True of every IANA zone since 2012; a midnight that a daylight-saving gap skips
    gives the gap's start."""
    return datetime.datetime.combine(day, datetime.time(), zone)


def _zone_schools(schools: list[School]) -> dict[zoneinfo.ZoneInfo, list[int]]:
    """The schools' ids by time zone."""
    zones: dict[zoneinfo.ZoneInfo, list[int]] = defaultdict(list)
    for school in schools:
        zones[zoneinfo.ZoneInfo(school.time_zone)].append(school.id)
    return dict(zones)


def _on_school_dates(
    field: str,
    school_field: str,
    zones: dict[zoneinfo.ZoneInfo, list[int]],
    first: datetime.date,
    last: datetime.date,
) -> Q:
    """Rows whose instant ``field`` falls on a date from ``first`` to ``last`` (both included)
    in the time zone of the row's school (``school_field``, one of ``zones``' schools)."""
    after = last + datetime.timedelta(days=1)
    starts = {zone: (_day_start(first, zone), _day_start(after, zone)) for zone in zones}
    # The instants of every zone first, so an index on ``field`` can be used.
    q = Q(
        **{
            f"{field}__gte": min(low for low, _ in starts.values()),
            f"{field}__lt": max(high for _, high in starts.values()),
        }
    )
    by_zone = Q()
    for zone, ids in zones.items():
        low, high = starts[zone]
        by_zone |= Q(**{f"{school_field}__in": ids, f"{field}__gte": low, f"{field}__lt": high})
    return q & by_zone


TOUCH_MASK_BITS = 63  # days a mask column holds (a bigint that stays positive)


def _school_date_of(
    field: str, school_field: str, zones: dict[zoneinfo.ZoneInfo, list[int]]
) -> TruncDate | Case:
    """The date of the instant ``field`` in the time zone of the row's school (``school_field``,
    one of ``zones``' schools): one conversion a row."""
    if len(zones) == 1:
        return TruncDate(field, tzinfo=next(iter(zones)))
    return Case(
        *(
            When(**{f"{school_field}__in": ids}, then=TruncDate(field, tzinfo=zone))
            for zone, ids in zones.items()
        ),
        output_field=DateField(),
    )


def _touched_weeks(
    *,
    school_ids: list[int],
    zones: dict[zoneinfo.ZoneInfo, list[int]],
    weeks: list[datetime.date],
    calendars: dict[int, SchoolDays],
    teacher_school: dict[int, int],
) -> dict[int, int]:
    """Each touched teacher's week ends as a bitmask (bit i: ``weeks[i]``): a touch (a held
    session, a started observation or a done revisit, any of the teacher's cycles) in the
    CADENCE_SCHOOL_DAYS school days up to the week end on the calendar of the teacher's school
    (``teacher_school``: teacher id to school id; ``calendars`` by school id), school dates.
    One query and one row a teacher: the database turns each touch into its school date, then
    into a bit (days before the period's last day) of a mask column (TOUCH_MASK_BITS days each)
    and ORs a teacher's bits together."""
    end = weeks[-1]
    since = {
        school_id: [_cadence_since(calendar, week_end) for week_end in weeks]
        for school_id, calendar in calendars.items()
    }
    first = min((days[0] for days in since.values()), default=weeks[0])
    span = (end - first).days  # the oldest day looked at, in days before end
    # Instants that may fall on those school dates somewhere, so the indexes can be used.
    low = min(_day_start(first, zone) for zone in zones)
    high = max(_day_start(end + datetime.timedelta(days=1), zone) for zone in zones)
    touches = (
        CoachingSession.objects.filter(
            cycle__teacher__school_id__in=school_ids, held_at__gte=low, held_at__lt=high
        )
        .annotate(
            touch_teacher=F("cycle__teacher_id"),
            touch_day=_school_date_of("held_at", "cycle__teacher__school_id", zones),
        )
        .values_list("touch_teacher", "touch_day")
        .order_by()
        .union(
            Observation.objects.filter(
                teacher__school_id__in=school_ids, started_at__gte=low, started_at__lt=high
            )
            .annotate(
                touch_teacher=F("teacher_id"),
                touch_day=_school_date_of("started_at", "teacher__school_id", zones),
            )
            .values_list("touch_teacher", "touch_day")
            .order_by(),
            Revisit.objects.filter(
                cycle__teacher__school_id__in=school_ids,
                status=RevisitStatus.DONE,
                completed_on__range=(first, end),
            )
            .annotate(touch_teacher=F("cycle__teacher_id"), touch_day=F("completed_on"))
            .values_list("touch_teacher", "touch_day")
            .order_by(),
            all=True,
        )
    )
    connection = connections[touches.db]
    sql, params = touches.query.get_compiler(using=touches.db).as_sql()
    if connection.vendor == "sqlite":
        days_back = 'CAST(julianday(%s) - julianday("touch_day") AS INTEGER)'
        bits_or = "SUM(DISTINCT {})"  # distinct powers of two add up to their OR
    else:
        days_back = '(%s - "touch_day")'
        bits_or = "BIT_OR({})"
    masks = ", ".join(
        bits_or.format(
            f'CASE WHEN "days_back" BETWEEN {low_bit} AND {low_bit + TOUCH_MASK_BITS - 1}'
            f' THEN CAST(1 AS BIGINT) << ("days_back" - {low_bit}) END'
        )
        for low_bit in range(0, span + 1, TOUCH_MASK_BITS)
    )
    touched: dict[int, int] = defaultdict(int)
    # Only the ORM's own SQL and integer constants are formatted in; every value is a query
    # parameter, so nothing can be injected (bandit B608).
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "touch_teacher", {masks} FROM ('  # nosec B608  # see above
            f'SELECT "touch_teacher", {days_back} AS "days_back" FROM ({sql}) touches'
            f') touch_days GROUP BY "touch_teacher"',
            [connection.ops.adapt_datefield_value(end), *params],
        )
        for teacher_id, *parts in cursor.fetchall():
            for c, part in enumerate(parts):
                if part:
                    touched[teacher_id] |= int(part) << (TOUCH_MASK_BITS * c)
    # Each school's windows as masks of days before the period's end: a week end back to the
    # first day of its cadence window.
    windows = {
        school_id: [
            ((1 << ((end - start).days - (end - week_end).days + 1)) - 1) << (end - week_end).days
            for week_end, start in zip(weeks, starts, strict=True)
        ]
        for school_id, starts in since.items()
    }
    result = {}
    for teacher_id, mask in touched.items():
        school_windows = windows.get(teacher_school.get(teacher_id))
        if school_windows:
            result[teacher_id] = sum(
                1 << i for i, window in enumerate(school_windows) if mask & window
            )
    return result


def _regrouped(rows: QuerySet, *, by: tuple[str, ...], sums: tuple[str, ...]) -> list[tuple]:
    """A second level of grouping, which the ORM cannot write: ``SELECT by..., COUNT(*),
    SUM(s)... FROM (rows) GROUP BY by...`` over an aggregated ``values()`` queryset (``by`` and
    ``sums`` name its columns). One query; the rows stay in the database."""
    connection = connections[rows.db]
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    name = connection.ops.quote_name
    keys = ", ".join(name(column) for column in by)
    totals = ", ".join(["COUNT(*)", *(f"SUM({name(column)})" for column in sums)])
    # The ORM's own SQL and quoted column names; values are parameters (bandit B608).
    query = f"SELECT {keys}, {totals} FROM ({sql}) per_row GROUP BY {keys}"  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _school_figures(
    *, schools: list[School], filters: DashboardFilters, today: datetime.date
) -> list[SchoolFigures]:
    """The figures of ``schools`` (already in the user's scope). SCHOOL_DASHBOARD_QUERIES - 1
    queries, none when ``schools`` is empty."""
    if not schools:
        return []
    school_ids = [s.id for s in schools]
    by_id = {s.id: s for s in schools}
    zones = _zone_schools(schools)
    start, end, coach_id, need_area = (
        filters.period_start,
        filters.period_end,
        filters.coach_id,
        filters.need_area,
    )
    period = (start, end)
    weeks = filters.week_ends()

    memberships = (
        Membership.objects.filter(school_id__in=school_ids, role=Role.COACH, is_active=True)
        .filter(_coach_q("user_id", coach_id))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    hours_per_month: dict[tuple[int, int], Decimal | None] = {}
    figures: dict[tuple[int, int], CoachFigures] = {}
    for m in memberships:
        figures[(m.school_id, m.user_id)] = CoachFigures(
            coach=m.user, school_id=m.school_id, cadence_weekly_counts=[(0, 0)] * len(weeks)
        )
        hours_per_month[(m.school_id, m.user_id)] = m.hours_per_month

    def bucket(school_id: int, coach: int) -> CoachFigures | None:
        return figures.get((school_id, coach))

    # Caseload now, and on each week's end (for cadence; the last week ends the period).
    assignments = list(
        CaseloadAssignment.objects.filter(teacher__school_id__in=school_ids)
        .filter(_coach_q("coach_id", coach_id))
        .filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=start, started_on__lte=end),
        )
        .values_list("teacher__school_id", "coach_id", "teacher_id", "started_on", "ended_on")
    )
    calendars = school_days_by_school(schools=schools)
    touched = _touched_weeks(
        school_ids=school_ids,
        zones=zones,
        weeks=weeks,
        calendars=calendars,
        teacher_school={teacher_id: sid for sid, _, teacher_id, _, _ in assignments},
    )
    weekly: dict[tuple[int, int], tuple[list[int], list[int]]] = {
        key: ([0] * len(weeks), [0] * len(weeks)) for key in figures
    }
    for school_id, coach, teacher_id, started_on, ended_on in assignments:
        b = bucket(school_id, coach)
        if b is None:
            continue
        if ended_on is None:
            b.caseload += 1
        touched_weeks = touched.get(teacher_id, 0)
        touched_counts, caseload_counts = weekly[(school_id, coach)]
        # The weeks whose end is on the caseload: started on or before, ended on or after it.
        for i in range(
            bisect.bisect_left(weeks, started_on),
            len(weeks) if ended_on is None else bisect.bisect_right(weeks, ended_on),
        ):
            caseload_counts[i] += 1
            touched_counts[i] += (touched_weeks >> i) & 1
    for key, (touched_counts, caseload_counts) in weekly.items():
        b = figures[key]
        b.cadence_weekly_counts = list(zip(touched_counts, caseload_counts, strict=True))
        b.cadence_touched, b.cadence_caseload = b.cadence_weekly_counts[-1]

    # Cycles: by state (all time), open ones by need area, closed in the period by outcome.
    states: dict[int, dict[str, int]] = {
        sid: dict.fromkeys(CycleState.values, 0) for sid in school_ids
    }
    for row in (
        CoachingCycle.objects.filter(teacher__school_id__in=school_ids)
        .filter(_coach_q("coach_id", coach_id), _need_q("assessment__need_area", need_area))
        .values("teacher__school_id", "coach_id", "state", "outcome", "assessment__need_area")
        .annotate(n=Count("id"), in_period=Count("id", filter=Q(closed_on__range=period)))
    ):
        school_id, state = row["teacher__school_id"], row["state"]
        states[school_id][state] += row["n"]
        b = bucket(school_id, row["coach_id"])
        if b is None:
            continue
        if state in OPEN_STATES:
            b.open_cycles += row["n"]
            b.active_cycles += row["n"] if state == CycleState.ACTIVE else 0
            area = row["assessment__need_area"]
            b.need_areas[area] = b.need_areas.get(area, 0) + row["n"]
        elif row["in_period"]:
            outcome = row["outcome"]
            b.closed[outcome] = b.closed.get(outcome, 0) + row["in_period"]

    # Overdue: due before the school's last school day up to today (a school day has passed).
    for row in (
        Revisit.objects.filter(
            _overdue_q("cycle__teacher__school_id", calendars, today),
            status=RevisitStatus.SCHEDULED,
        )
        .filter(
            _coach_q("cycle__coach_id", coach_id),
            _need_q("cycle__assessment__need_area", need_area),
        )
        .values("cycle__teacher__school_id", "cycle__coach_id")
        .annotate(n=Count("id"), oldest=Min("due_on"))
    ):
        school_id = row["cycle__teacher__school_id"]
        if b := bucket(school_id, row["cycle__coach_id"]):
            b.overdue_revisits = row["n"]
            b.overdue_oldest_school_days = calendars[school_id].count(row["oldest"], today)

    for row in (
        TimeEntry.objects.filter(
            school_id__in=school_ids, entry_date__range=period, archived_at__isnull=True
        )
        .filter(_coach_q("coach_id", coach_id))
        .values("school_id", "coach_id", "category")
        .annotate(total=Sum("minutes"))
    ):
        if b := bucket(row["school_id"], row["coach_id"]):
            minutes = row["total"] or 0
            b.minutes_by_category[row["category"]] = minutes
            b.minutes_total += minutes
            if row["category"] in DIRECT_CATEGORIES:
                b.minutes_direct += minutes

    # Minutes the coach logged on their own closed cycles: those closed in the period (minutes
    # per completed cycle) and those closed in the lookback (capacity's hours per cycle).
    lookback = (today - datetime.timedelta(days=CAPACITY_LOOKBACK_DAYS - 1), today)
    in_period = Q(cycle__closed_on__range=period) & _need_q(
        "cycle__assessment__need_area", need_area
    )
    in_lookback = Q(cycle__closed_on__range=lookback)
    own = {}
    for row in (
        TimeEntry.objects.filter(
            cycle__teacher__school_id__in=school_ids,
            cycle__state=CycleState.CLOSED,
            coach_id=F("cycle__coach_id"),
            archived_at__isnull=True,
        )
        .filter(_coach_q("coach_id", coach_id))
        .filter(in_period | in_lookback)
        .values("cycle__teacher__school_id", "coach_id")
        .annotate(
            period_minutes=Sum("minutes", filter=in_period),
            period_cycles=Count("cycle_id", distinct=True, filter=in_period),
            own_minutes=Sum("minutes", filter=in_lookback),
            own_cycles=Count("cycle_id", distinct=True, filter=in_lookback),
        )
    ):
        key = (row["cycle__teacher__school_id"], row["coach_id"])
        own[key] = (row["own_minutes"] or 0, row["own_cycles"])
        if b := figures.get(key):
            b.completed_cycle_minutes = row["period_minutes"] or 0
            b.completed_cycles_timed = row["period_cycles"]

    # Engagement: each observation's change as its pages show it (the after-the-move percent
    # minus the before-the-move percent, each pooled over its sweeps and rounded by
    # percent_of), then their count and sum per school and coach.
    def share(phase: str):
        sample = Q(engagement_samples__phase=phase)
        return _shown_percent_sql(
            Sum("engagement_samples__engaged_count", filter=sample, output_field=IntegerField()),
            Sum("engagement_samples__present_count", filter=sample, output_field=IntegerField()),
        )

    observations = (
        Observation.objects.filter(
            _on_school_dates("started_at", "cycle__teacher__school_id", zones, start, end)
        )
        .filter(
            _coach_q("cycle__coach_id", coach_id),
            _need_q("cycle__assessment__need_area", need_area),
        )
        # Only observations with sweeps (an inner join that the sums below reuse).
        .filter(engagement_samples__phase__in=(Phase.BEFORE_MOVE, Phase.AFTER_MOVE))
        .values("id", "cycle__teacher__school_id", "cycle__coach_id")
        .annotate(points=share(Phase.AFTER_MOVE) - share(Phase.BEFORE_MOVE))
        .filter(points__isnull=False)
        .order_by()
    )
    for school_id, coach, n, points in _regrouped(
        observations, by=("cycle__teacher__school_id", "cycle__coach_id"), sums=("points",)
    ):
        if b := bucket(school_id, coach):
            b.engagement_observations = n
            b.engagement_points_sum = points

    for key, b in figures.items():
        own_minutes, own_cycles = own.get(key, (0, 0))
        b.capacity = capacity_for(
            teachers=b.caseload,
            school_cycle_hours=by_id[key[0]].default_cycle_hours,
            own_minutes=own_minutes,
            own_cycles=own_cycles,
            hours_per_month=hours_per_month[key],
        )

    return [
        SchoolFigures(
            school=school,
            coaches=[f for (sid, _), f in figures.items() if sid == school.id],
            states=states[school.id],
            filters=filters,
            weeks=weeks,
            cadence_since=_cadence_since(calendars[school.id], end),
        )
        for school in schools
    ]


def _overdue_q(school_field: str, calendars: dict[int, SchoolDays], today: datetime.date) -> Q:
    """Revisits due before their school's last school day up to ``today``: at least one school
    day has passed since the due date. One condition per distinct cutoff, not per school."""
    by_cutoff: dict[datetime.date, list[int]] = defaultdict(list)
    for school_id, calendar in calendars.items():
        by_cutoff[calendar.on_or_before(today)].append(school_id)
    q = Q(pk__in=[])
    for cutoff, ids in by_cutoff.items():
        q |= Q(**{f"{school_field}__in": ids, "due_on__lt": cutoff})
    return q


def school_dashboard(
    *,
    user: User,
    filters: DashboardFilters | None = None,
    today: datetime.date | None = None,
    period_days: int | None = None,
) -> list[SchoolFigures]:
    """Process figures per school and coach for the schools the user leads (a principal's own
    schools; a district leader's or administrator's district), by name. Aggregates only: no
    coaching notes or evidence. Without ``filters``: the last ``period_days`` days (default
    DASHBOARD_DAYS) up to ``today`` (default: today at the user's first school).
    SCHOOL_DASHBOARD_QUERIES queries (one when the user leads no school)."""
    schools = list(schools_for(user, LEADER_ROLES).order_by("name"))
    if today is None:
        today = school_today(schools[0]) if schools else timezone.localdate()
    if filters is None:
        filters = DashboardFilters.default(today=today, days=period_days or DASHBOARD_DAYS)
    return _school_figures(schools=schools, filters=filters, today=today)


@dataclass(frozen=True)
class CaseloadPoint:
    """One coach on the "caseload size against outcomes" plot: ``caseload`` now, the cycles
    closed in the period (``closed``), the share of them mastered or progressing, and the
    cadence kept (shares 0 to 1, None without closed cycles or caseload)."""

    school_id: int
    school: str
    coach_id: int
    coach: str
    caseload: int
    closed: int
    progressed_share: float | None
    cadence_kept: float | None


def _pearson(pairs: list[tuple[float, float]]) -> float | None:
    if len(pairs) < 3:
        return None
    n = len(pairs)
    mx = sum(x for x, _ in pairs) / n
    my = sum(y for _, y in pairs) / n
    sxy = sum((x - mx) * (y - my) for x, y in pairs)
    sxx = sum((x - mx) ** 2 for x, _ in pairs)
    syy = sum((y - my) ** 2 for _, y in pairs)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else None


@dataclass
class DistrictFigures:
    """Schools side by side (each with its ``totals`` and coaches) and one CaseloadPoint per
    coach."""

    schools: list[SchoolFigures]
    points: list[CaseloadPoint]

    @property
    def caseload_outcome_correlation(self) -> float | None:
        """Pearson's r between caseload size and the share of closed cycles mastered or
        progressing, over the coaches with closed cycles in the period; None under three."""
        return _pearson(
            [
                (p.caseload, p.progressed_share)
                for p in self.points
                if p.progressed_share is not None
            ]
        )


def district_dashboard(
    *,
    user: User,
    filters: DashboardFilters | None = None,
    today: datetime.date | None = None,
) -> DistrictFigures:
    """The schools the user leads side by side (a district leader or administrator: the
    district's schools; a principal: their own school(s) only), and caseload size against
    outcomes per coach. The queries of school_dashboard(), no more."""
    schools = school_dashboard(user=user, filters=filters, today=today)
    points = [
        CaseloadPoint(
            school_id=sf.school.id,
            school=sf.school.name,
            coach_id=c.coach.pk,
            coach=c.coach.display_name,
            caseload=c.caseload,
            closed=c.closed_total,
            progressed_share=c.progressed_share,
            cadence_kept=c.cadence_kept,
        )
        for sf in schools
        for c in sf.coaches
    ]
    return DistrictFigures(schools=schools, points=points)


@dataclass(frozen=True)
class OverloadedCoach:
    """A coach whose caseload needs more hours a month than they have, and what would make it
    fit (each alone): ``teachers_fewer`` teachers fewer, ``more_minutes`` more a month, or
    cycles of ``cycle_minutes_to_fit`` instead of ``cycle_minutes``. Times in minutes, for the
    one hours formatter."""

    coach: str
    school: str
    needed_minutes: int
    available_minutes: int
    over_minutes: int
    teachers: int
    teachers_fewer: int | None
    more_minutes: int
    cycle_minutes: int
    cycle_minutes_to_fit: int | None


@dataclass(frozen=True)
class CoachCount:
    """A coach and a count of theirs (overdue revisits) or a share (direct time, percent)."""

    coach: str
    school: str
    n: int


@dataclass(frozen=True)
class DashboardSummary:
    """What needs a leader's attention across the schools shown, as data the page words in
    sentences: overloaded coaches (most hours over first), overdue revisits (how many, the
    oldest in school days, per coach), cadence kept (teachers seen in the last
    CADENCE_SCHOOL_DAYS school days of all on the caseloads, ``cadence_since`` the first day
    counted at a school when only one is shown) and coaches whose direct time is below
    DIRECT_TARGET_PCT (lowest first). ``several_schools``: name the school next to a coach."""

    several_schools: bool
    overloaded: list[OverloadedCoach]
    overdue_revisits: int
    overdue_oldest_school_days: int | None
    overdue_by_coach: list[CoachCount]
    cadence_touched: int
    cadence_caseload: int
    cadence_since: datetime.date | None
    below_direct: list[CoachCount]

    @property
    def all_clear(self) -> bool:
        return not (self.overloaded or self.overdue_revisits or self.below_direct)


def dashboard_summary(*, schools: list[SchoolFigures]) -> DashboardSummary:
    """The summary on top of the dashboard, from the figures already read. No query."""
    rows = [(sf, c) for sf in schools for c in sf.coaches]
    overloaded = []
    for sf, c in rows:
        cap = c.capacity
        if not (cap and cap.overloaded):
            continue
        overloaded.append(
            OverloadedCoach(
                coach=c.coach.display_name,
                school=sf.school.name,
                needed_minutes=cap.minutes_needed,
                available_minutes=cap.minutes_available,
                over_minutes=cap.minutes_over,
                teachers=cap.teachers,
                teachers_fewer=cap.teachers_fewer_to_fit,
                more_minutes=cap.minutes_more_to_fit,
                cycle_minutes=cap.minutes_per_cycle,
                cycle_minutes_to_fit=cap.minutes_per_cycle_to_fit,
            )
        )
    overloaded.sort(key=lambda o: (-o.over_minutes, o.coach))
    oldest = [c.overdue_oldest_school_days for _, c in rows if c.overdue_revisits]
    below = [
        CoachCount(coach=c.coach.display_name, school=sf.school.name, n=c.direct_pct)
        for sf, c in rows
        if c.direct_status == "below"
    ]
    return DashboardSummary(
        several_schools=len(schools) > 1,
        overloaded=overloaded,
        overdue_revisits=sum(c.overdue_revisits for _, c in rows),
        overdue_oldest_school_days=max((d for d in oldest if d is not None), default=None),
        overdue_by_coach=sorted(
            (
                CoachCount(coach=c.coach.display_name, school=sf.school.name, n=c.overdue_revisits)
                for sf, c in rows
                if c.overdue_revisits
            ),
            key=lambda o: (-o.n, o.coach),
        ),
        cadence_touched=sum(c.cadence_touched for _, c in rows),
        cadence_caseload=sum(c.cadence_caseload for _, c in rows),
        cadence_since=schools[0].cadence_since if len(schools) == 1 else None,
        below_direct=sorted(below, key=lambda o: (o.n, o.coach)),
    )


def _day_label(day: datetime.date, *, with_year: bool) -> str:
    """A chart's date as a person writes it: "7 Dec", or "7 Dec 2026" when the series spans
    more than one year."""
    return f"{day.day} {day:%b %Y}" if with_year else f"{day.day} {day:%b}"


def dashboard_plot_data(*, schools: list[SchoolFigures]) -> dict:
    """The plots' data, plain lists and numbers for ``json_script``: cadence kept per week
    (percent), time by category (minutes), open cycles by need area and engagement change
    (percentage points), one row per coach (``coach_id`` None for a school's totals). No
    query."""
    weeks = schools[0].weeks if schools else []

    def rows(sf: SchoolFigures) -> list[tuple[int | None, str, CoachFigures]]:
        return [(c.coach.pk, c.coach.display_name, c) for c in sf.coaches] + [
            (None, "All coaches", sf.totals)
        ]

    def head(sf: SchoolFigures, coach_id: int | None, name: str) -> dict:
        return {
            "school_id": sf.school.id,
            "school": sf.school.name,
            "coach_id": coach_id,
            "coach": name,
        }

    cadence, time, need, engagement = [], [], [], []
    for sf in schools:
        for coach_id, name, c in rows(sf):
            h = head(sf, coach_id, name)
            cadence.append(h | {"pct": [_pct(s) for s in c.cadence_weekly]})
            time.append(
                h | {"minutes": [c.minutes_by_category.get(t.value, 0) for t in TimeCategory]}
            )
            need.append(h | {"open_cycles": [n for _, _, n in c.need_area_mix]})
            change = c.engagement_change
            engagement.append(
                h
                | {
                    "change_points": None if change is None else round(change, 1),
                    "observations": c.engagement_observations,
                }
            )
    several_years = len({w.year for w in weeks}) > 1
    return {
        "weeks": [w.isoformat() for w in weeks],
        "week_labels": [_day_label(w, with_year=several_years) for w in weeks],
        "direct_target_pct": list(DIRECT_TARGET_PCT),
        "categories": [
            {"value": t.value, "label": t.label, "direct": t in DIRECT_CATEGORIES}
            for t in TimeCategory
        ],
        "need_areas": [{"value": a.value, "label": a.label} for a in NeedArea],
        "cadence": cadence,
        "time": time,
        "need_area_mix": need,
        "engagement": engagement,
    }


# --- Dashboards: the lists behind the figures ----------------------------------------------------

DASHBOARD_LISTS = {
    "caseload": "Teachers on the caseload",
    "off_cadence": "Teachers not seen in the 4 school weeks up to the period's end",
    "open_cycles": "Open cycles (planned, active or debriefed)",
    "active_cycles": "Active cycles",
    "closed": "Cycles closed in the period",
    "mastered": "Cycles closed as mastered in the period",
    "overdue_revisits": "Overdue revisits",
}


@dataclass(frozen=True)
class DashboardRow:
    """One row behind a dashboard figure: process fields only (names, states, dates, need area,
    outcome). ``may_read`` says whether the user may open the cycle's content (a principal: only
    a cycle the teacher shared)."""

    teacher_id: int
    teacher: str
    coach_id: int
    coach: str
    cycle_id: int | None = None
    state: str = ""
    outcome: str = ""
    need_area: str = ""
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    revisit_due_on: datetime.date | None = None
    school_days_overdue: int | None = None
    revisit_off_rule_reason: str = ""
    last_touch: datetime.date | None = None
    may_read: bool = False


def dashboard_list(
    *,
    user: User,
    school_id: int,
    figure: str,
    filters: DashboardFilters,
    today: datetime.date | None = None,
) -> list[DashboardRow]:
    """The rows behind one figure (a key of DASHBOARD_LISTS) at one school the user leads,
    narrowed by the same filters as the figure (``filters.coach_id`` for one coach's figure),
    by teacher name. Raises Http404 for a school outside the user's scope or an unknown figure.
    Cadence and overdue revisits follow the school's calendar, as on the dashboard. At most six
    queries, whatever the number of rows."""
    if figure not in DASHBOARD_LISTS:
        raise Http404("No such list.")
    school = get_object_or_404(schools_for(user, LEADER_ROLES), pk=school_id)
    today = today or school_today(school)
    uses_calendar = figure in ("off_cadence", "overdue_revisits")
    calendar = school_days_for(school=school) if uses_calendar else None
    coaches = Membership.objects.filter(school=school, role=Role.COACH, is_active=True).values(
        "user_id"
    )
    readable = Exists(cycles_for(user, READ).filter(pk=OuterRef("pk")))
    coach_id, need_area = filters.coach_id, filters.need_area

    if figure in ("caseload", "off_cadence"):
        # The caseload now; for cadence, the caseload on the period's last day (as the figure).
        current = (
            Q(ended_on__isnull=True)
            if figure == "caseload"
            else Q(started_on__lte=filters.period_end)
            & (Q(ended_on__isnull=True) | Q(ended_on__gte=filters.period_end))
        )
        assignments = list(
            CaseloadAssignment.objects.filter(current, teacher__school=school, coach_id__in=coaches)
            .filter(_coach_q("coach_id", coach_id))
            .select_related("teacher", "coach")
        )
        since = (
            _cadence_since(calendar, filters.period_end)
            if calendar
            else filters.period_end - datetime.timedelta(days=CADENCE_DAYS)
        )
        touches = _touch_dates(
            school_ids=[school.id],
            zones={school.id: zoneinfo.ZoneInfo(school.time_zone)},
            start=since,
            end=filters.period_end,
        )
        open_cycles = {
            c.teacher_id: c
            for c in CoachingCycle.objects.filter(teacher__school=school, state__in=OPEN_STATES)
            .select_related("assessment")
            .annotate(may_read=readable)
        }
        rows = []
        for a in assignments:
            days = touches.get(a.teacher_id, [])
            if figure == "off_cadence" and _touched_within(days, since, filters.period_end):
                continue
            cycle = open_cycles.get(a.teacher_id)
            rows.append(
                DashboardRow(
                    teacher_id=a.teacher_id,
                    teacher=a.teacher.full_name,
                    coach_id=a.coach_id,
                    coach=a.coach.display_name,
                    cycle_id=cycle.id if cycle else None,
                    state=cycle.state if cycle else "",
                    need_area=cycle.assessment.need_area if cycle else "",
                    opened_on=cycle.opened_on if cycle else None,
                    last_touch=days[-1] if days else None,
                    may_read=bool(cycle and cycle.may_read),
                )
            )
        return sorted(rows, key=lambda r: (r.teacher.lower(), r.teacher_id))

    base = CoachingCycle.objects.filter(teacher__school=school, coach_id__in=coaches).filter(
        _coach_q("coach_id", coach_id), _need_q("assessment__need_area", need_area)
    )
    cycles = base.select_related("teacher", "coach", "assessment").annotate(may_read=readable)
    due: dict[int, tuple[datetime.date, str]] = {}
    if figure == "open_cycles":
        cycles = cycles.filter(state__in=OPEN_STATES)
    elif figure == "active_cycles":
        cycles = cycles.filter(state=CycleState.ACTIVE)
    elif figure in ("closed", "mastered"):
        cycles = cycles.filter(
            state=CycleState.CLOSED,
            closed_on__range=(filters.period_start, filters.period_end),
        )
        if figure == "mastered":
            cycles = cycles.filter(outcome=Outcome.MASTERED)
    else:  # overdue_revisits: due before the last school day up to today, as on the dashboard
        overdue = Revisit.objects.filter(
            cycle__in=base, status=RevisitStatus.SCHEDULED, due_on__lt=calendar.on_or_before(today)
        )
        # With the coach's reason when they set a date outside the revisit window.
        due = {
            cycle_id: (due_on, reason)
            for cycle_id, due_on, reason in overdue.values_list(
                "cycle_id", "due_on", "off_rule_reason"
            )
        }
        cycles = cycles.filter(id__in=overdue.values("cycle_id"))
    rows = [
        DashboardRow(
            teacher_id=c.teacher_id,
            teacher=c.teacher.full_name,
            coach_id=c.coach_id,
            coach=c.coach.display_name,
            cycle_id=c.id,
            state=c.state,
            outcome=c.outcome,
            need_area=c.assessment.need_area,
            opened_on=c.opened_on,
            closed_on=c.closed_on,
            revisit_due_on=due[c.id][0] if c.id in due else None,
            school_days_overdue=calendar.count(due[c.id][0], today) if c.id in due else None,
            revisit_off_rule_reason=due[c.id][1] if c.id in due else "",
            may_read=c.may_read,
        )
        for c in cycles
    ]

    return sorted(rows, key=lambda r: (r.teacher.lower(), r.teacher_id, r.cycle_id or 0))


# --- My move: the teacher's home page ------------------------------------------------------------


@dataclass(frozen=True)
class MyMove:
    teacher: Teacher
    cycle: CoachingCycle | None
    next_revisit: Revisit | None
    next_observation: Observation | None
    earlier_cycles: list[CoachingCycle]
    next_debrief: CoachingSession | None = None
    reflection: Reflection | None = None
    may_reflect: bool = False  # reflection_possible for the cycle under way
    # The latest next step agreed at a held debrief (its session: the date and which debrief)
    # of the cycle under way, or, with none under way, of the latest cycle.
    latest_step: Debrief | None = None
    # The cycle's next scheduled support session other than a debrief (rehearsal, co-planning...)
    next_session: CoachingSession | None = None


def _reflection_current_q() -> Q:
    """A reflection that still prepares a debrief: waiting for one, or for one not yet held."""
    return Q(session__isnull=True) | Q(session__held_at__isnull=True)


def my_move(*, user: User) -> MyMove | None:
    """The signed-in teacher's agreed move, the latest next step agreed at a debrief, the next
    visit, session and debrief and the reflection that prepares it, and earlier cycles with
    their outcomes. Eight queries, whatever the number of cycles."""
    teacher = teachers_for(user, READ).filter(user=user).select_related("school").first()
    if teacher is None:
        return None
    cycles = list(
        cycles_for(user, READ)
        .filter(teacher=teacher)
        .select_related("assessment", "agreed_move__move", "persistent_problem")
        .order_by("-opened_on", "-id")
    )
    current = next((c for c in cycles if c.state in OPEN_STATES), None)
    now = timezone.now()
    next_revisit = (
        Revisit.objects.filter(cycle=current, status=RevisitStatus.SCHEDULED).first()
        if current
        else None
    )
    next_observation = (
        Observation.objects.filter(teacher=teacher, started_at__isnull=True, scheduled_for__gte=now)
        .order_by("scheduled_for")
        .first()
    )
    next_debrief = cycle_next_debrief(cycle=current) if current else None
    reflection = reflection_current(cycle=current) if current else None
    earlier = [c for c in cycles if c.state == CycleState.CLOSED]
    step_cycle = current or (cycles[0] if cycles else None)
    latest_step = (
        Debrief.objects.filter(session__cycle=step_cycle, session__held_at__isnull=False)
        .select_related("session")
        .order_by("-session__held_at", "-pk")
        .first()
        if step_cycle
        else None
    )
    next_session = (
        current.sessions.filter(held_at__isnull=True, scheduled_for__gte=now)
        .exclude(kind=SessionKind.DEBRIEF)
        .order_by("scheduled_for", "pk")
        .first()
        if current
        else None
    )
    return MyMove(
        teacher,
        current,
        next_revisit,
        next_observation,
        earlier,
        next_debrief,
        reflection,
        may_reflect=bool(current and reflection_possible(cycle=current, school=teacher.school)),
        latest_step=latest_step,
        next_session=next_session,
    )


def teacher_own_cycle_get(*, user: User, cycle_id: int) -> CoachingCycle:
    """One of the signed-in teacher's own cycles (the ones they may share or reflect on), or
    404: another teacher's cycle, or a coach's or principal's view of it, is not found."""
    return get_object_or_404(
        cycles_for(user, READ)
        .filter(teacher__user=user)
        .select_related("teacher__school", "assessment", "agreed_move__move"),
        pk=cycle_id,
    )


def teacher_own_open_cycle(*, user: User) -> CoachingCycle | None:
    """The signed-in teacher's cycle under way (at most one), with its move."""
    return (
        cycles_for(user, READ)
        .filter(teacher__user=user, state__in=OPEN_STATES)
        .select_related("teacher__school", "assessment", "agreed_move__move", "persistent_problem")
        .first()
    )


@dataclass(frozen=True)
class OwnVisit:
    """A classroom visit as its teacher reads it: when, the engagement before and after the
    move, and the student evidence (never the coach's notes taken during the visit)."""

    observation: Observation
    engagement: "EngagementChange"
    evidence: list


@dataclass(frozen=True)
class OwnCycleRecord:
    """The teacher's read-only record of one of their cycles: everything agreed with them and
    observed of their students. Not in it (the coach's working material, not an agreement):
    the context brief (profile, suggested stance, patterns), the coach's notes taken during
    visits and the coach's logged time."""

    cycle: CoachingCycle
    agreed: AgreedMove | None
    planned_sessions: list[CoachingSession]
    held_sessions: list[CoachingSession]
    next_steps: list[Debrief]  # newest first: the latest is what the teacher tries now
    visits: list[OwnVisit]
    engagement: "EngagementChange"
    reflections: list[Reflection]
    revisits: list[Revisit]
    next_debrief: CoachingSession | None


def own_cycle_record(*, cycle: CoachingCycle) -> OwnCycleRecord:
    """The record of ``cycle`` for its own teacher (``cycle`` from
    ``coaching.access.own_cycle_get_for_user``), in a fixed number of queries."""
    overview = cycle_overview(cycle=cycle)
    held = [s for s in overview.sessions if s.held_at is not None]
    debriefs = [getattr(s, "debrief", None) for s in held if s.kind == SessionKind.DEBRIEF]
    next_steps = sorted(
        (d for d in debriefs if d is not None),
        key=lambda d: (d.session.held_at, d.pk),
        reverse=True,
    )
    visits = [
        OwnVisit(
            observation=o,
            engagement=engagement_change(o.engagement_samples.all()),
            evidence=sorted(o.student_evidence.all(), key=lambda e: (e.noted_at, e.pk)),
        )
        for o in overview.observations
    ]
    return OwnCycleRecord(
        cycle=cycle,
        agreed=getattr(cycle, "agreed_move", None),
        planned_sessions=[s for s in overview.sessions if s.held_at is None],
        held_sessions=held,
        next_steps=next_steps,
        visits=visits,
        engagement=overview.engagement,
        reflections=overview.reflections,
        revisits=overview.revisits,
        next_debrief=cycle_next_debrief(cycle=cycle) if cycle.is_open else None,
    )


def reflection_possible(*, cycle: CoachingCycle, school: School) -> bool:
    """Whether the teacher may reflect on the cycle now: it is open, its move is agreed and
    has been tried (the cycle is past planning, or the move's first day has come at
    ``school``, the teacher's school). No query when the move was selected with the cycle."""
    agreed = getattr(cycle, "agreed_move", None)
    if not cycle.is_open or agreed is None:
        return False
    return cycle.state != CycleState.PLANNED or agreed.due_on <= school_today(school)


def reflection_current(*, cycle: CoachingCycle) -> Reflection | None:
    """The cycle's reflection that prepares the coming debrief (editable), if the teacher has
    written one: waiting for a debrief, or attached to one not yet held."""
    return (
        Reflection.objects.filter(cycle=cycle)
        .filter(_reflection_current_q())
        .select_related("session")
        .order_by("-submitted_at", "-id")
        .first()
    )


def cycle_reflections(*, cycle: CoachingCycle) -> list[Reflection]:
    """Every reflection of a cycle, newest first, with the debrief each prepared."""
    return list(
        Reflection.objects.filter(cycle=cycle)
        .select_related("session")
        .order_by("-submitted_at", "-id")
    )


def reflection_as_brief(reflection: Reflection | None, school: School) -> dict | None:
    """A reflection as plain JSON for the context brief (school dates)."""
    if reflection is None:
        return None
    return {
        "submitted_on": _school_date(reflection.updated_at, school).isoformat(),
        "for_debrief": (
            reflection.session.scheduled_for.isoformat()
            if reflection.session and reflection.session.scheduled_for
            else None
        ),
        "students_did": reflection.students_did,
        "indicator_seen": reflection.indicator_seen,
        "indicator_seen_label": reflection.get_indicator_seen_display(),
        "would_change": reflection.would_change,
        "engaged_count": reflection.engaged_count,
        "present_count": reflection.present_count,
        "engagement_pct": reflection.engagement_pct,
    }


# --- Teacher page --------------------------------------------------------------------------------


def teacher_open_problems(*, teacher: Teacher) -> list[PersistentProblem]:
    """The teacher's persistent problems still being worked on, newest first (one query)."""
    return list(
        teacher.persistent_problems.filter(resolved_on__isnull=True).order_by("-opened_on", "-id")
    )


def teacher_open_cycle(*, teacher: Teacher) -> CoachingCycle | None:
    """The teacher's cycle under way (at most one), with its assessment and agreed move (one
    query)."""
    return (
        teacher.cycles.filter(state__in=OPEN_STATES)
        .select_related("assessment", "agreed_move__move", "persistent_problem")
        .first()
    )


# --- Move library --------------------------------------------------------------------------------


def move_library(*, need_area: str | None = None, query: str = "") -> QuerySet[Move]:
    """Active library moves, optionally of one need area and matching a search."""
    moves = Move.objects.filter(is_active=True)
    if need_area:
        moves = moves.filter(need_area=need_area)
    query = query.replace("\x00", "")  # PostgreSQL refuses NUL in text
    for word in query.split()[:6]:
        moves = moves.filter(
            Q(name__icontains=word)
            | Q(looks_like__icontains=word)
            | Q(script_stems__icontains=word)
        )
    return moves.order_by("name")


# --- Engagement before and after the move --------------------------------------------------------


@dataclass(frozen=True)
class EngagementChange:
    """Engagement before and after the move, pooled over the sweeps: the sums of engaged and
    present students and the number of sweeps per phase, and the shares computed from them
    (engaged / present)."""

    before_engaged: int = 0
    before_present: int = 0
    before_sweeps: int = 0
    after_engaged: int = 0
    after_present: int = 0
    after_sweeps: int = 0

    @property
    def before(self) -> float | None:
        return self.before_engaged / self.before_present if self.before_present else None

    @property
    def after(self) -> float | None:
        return self.after_engaged / self.after_present if self.after_present else None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def before_pct(self) -> int | None:
        return percent_of(self.before_engaged, self.before_present)

    @property
    def after_pct(self) -> int | None:
        return percent_of(self.after_engaged, self.after_present)

    @property
    def change_points(self) -> int | None:
        """after_pct - before_pct: the change as the two shown percentages give it."""
        return percent_points(self.before_pct, self.after_pct)

    def as_json(self) -> dict:
        """Plain data for the live page's script (it adds unsaved sweeps to these sums)."""
        return {
            "before": {
                "engaged": self.before_engaged,
                "present": self.before_present,
                "sweeps": self.before_sweeps,
                "pct": self.before_pct,
            },
            "after": {
                "engaged": self.after_engaged,
                "present": self.after_present,
                "sweeps": self.after_sweeps,
                "pct": self.after_pct,
            },
            "change_points": self.change_points,
        }


def engagement_change(samples) -> EngagementChange:
    """From EngagementSample rows (or anything with phase, engaged_count, present_count)."""
    totals = {Phase.BEFORE_MOVE: [0, 0, 0], Phase.AFTER_MOVE: [0, 0, 0]}
    for sample in samples:
        bucket = totals[sample.phase]
        bucket[0] += sample.engaged_count
        bucket[1] += sample.present_count
        bucket[2] += 1
    before, after = totals[Phase.BEFORE_MOVE], totals[Phase.AFTER_MOVE]
    return EngagementChange(
        before_engaged=before[0],
        before_present=before[1],
        before_sweeps=before[2],
        after_engaged=after[0],
        after_present=after[1],
        after_sweeps=after[2],
    )


# --- Teacher timeline, revisits, the cycle page and the context brief ----------------------------


@dataclass(frozen=True)
class TimelineEvent:
    when: datetime.datetime
    kind: str  # cycle_opened, cycle_closed, session, observation
    title: str
    detail: str
    cycle_id: int | None


def _at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def teacher_timeline(*, teacher: Teacher, limit: int = 60) -> list[TimelineEvent]:
    """Cycles opened and closed, sessions and observations, newest first (three queries)."""
    events: list[TimelineEvent] = []
    cycles = teacher.cycles.select_related("assessment", "agreed_move__move")
    for cycle in cycles:
        move = getattr(cycle, "agreed_move", None)
        events.append(
            TimelineEvent(
                _at_noon(cycle.opened_on),
                "cycle_opened",
                f"Cycle opened: {cycle.assessment.get_need_area_display()}",
                move.move.name if move else "Move not agreed yet",
                cycle.pk,
            )
        )
        if cycle.closed_on:
            events.append(
                TimelineEvent(
                    _at_noon(cycle.closed_on),
                    "cycle_closed",
                    f"Cycle closed: {cycle.get_outcome_display()}",
                    move.move.name if move else "",
                    cycle.pk,
                )
            )
    sessions = CoachingSession.objects.filter(cycle__teacher=teacher)
    for session in sessions.exclude(held_at__isnull=True, scheduled_for__isnull=True):
        planned = session.held_at is None
        events.append(
            TimelineEvent(
                session.when,
                "session",
                f"{session.get_kind_display()}{' (planned)' if planned else ''}",
                f"{session.duration_minutes} min" if session.duration_minutes else "",
                session.cycle_id,
            )
        )
    observations = Observation.objects.filter(teacher=teacher).prefetch_related(
        "engagement_samples"
    )
    for observation in observations:
        change = engagement_change(observation.engagement_samples.all())
        detail = (
            f"Engagement {change.before_pct}% → {change.after_pct}%"
            if change.change is not None
            else ""
        )
        events.append(
            TimelineEvent(
                observation.started_at or observation.scheduled_for,
                "observation",
                "Observation" + ("" if observation.started_at else " (planned)"),
                detail,
                observation.cycle_id,
            )
        )
    events.sort(key=lambda e: e.when, reverse=True)
    return events[:limit]


# The revisit rule, in school days (teachers/school_days.py: a school's teaching weekdays minus its
# holidays and breaks). A revisit is due this many school days after the cycle's last touch (a
# held session, a visit, a done revisit, or the day the cycle opened), so a break stretches the
# wait instead of eating it, and the date proposed is always a school day:
REVISIT_DAYS_NOT_MET = 10  # a new move, or the indicator not met (or not clear) last time
REVISIT_DAYS_MET_ONCE = 15  # the indicator met at one debrief
REVISIT_DAYS_MET_REPEATEDLY = 20  # met at two or more: four school weeks, or close as mastered
# The window a coach picks in: 2 to 4 school weeks after the last touch. A date outside it (or
# before it) needs the coach's reason (Revisit.off_rule_reason).
REVISIT_WINDOW_FIRST = REVISIT_DAYS_NOT_MET
REVISIT_WINDOW_LAST = REVISIT_DAYS_MET_REPEATEDLY
# Even with a reason, a revisit is no more than this many school days ahead (a quarter of a year):
# later than that, the cycle is better closed.
REVISIT_LATEST_SCHOOL_DAYS = 60
# A revisit still not done this many SCHOOL days after its date (two school weeks) is recorded as
# missed, and the next one is scheduled: a break in between is not counted.
REVISIT_MISSED_AFTER_DAYS = 10


def revisit_interval(*, met_count: int, last_met: bool | None) -> tuple[int, str]:
    """School days from the last touch to the next revisit, and why. ``met_count``: debriefs of
    the cycle at which the success indicator was met; ``last_met``: the latest debrief's answer
    (None when there has been no debrief or it was not clear)."""
    if not last_met or met_count == 0:
        return (
            REVISIT_DAYS_NOT_MET,
            "new move or indicator not met yet: 10 school days (two school weeks)",
        )
    if met_count == 1:
        return REVISIT_DAYS_MET_ONCE, "indicator met once: 15 school days (three school weeks)"
    return (
        REVISIT_DAYS_MET_REPEATEDLY,
        "indicator met repeatedly: 20 school days (four school weeks, or close the cycle as "
        "mastered)",
    )


def revisit_due_from(
    *,
    last_touch: datetime.date,
    met_count: int,
    last_met: bool | None,
    today: datetime.date,
    school_days: SchoolDays | None = None,
) -> tuple[datetime.date, str]:
    """The revisit rule as the scheduling job applies it: the interval counted in school days
    from the last touch (``school_days``: the school's calendar; weekdays when not given). A
    date already past is moved to today, or the next school day when today is not one: the
    revisit is due now."""
    school_days = school_days or SchoolDays()
    days, why = revisit_interval(met_count=met_count, last_met=last_met)
    due = school_days.add(last_touch, days)
    reason = f"Scheduled by the revisit rule: {why}, after the last touch on {last_touch:%d %b}."
    if due < today:
        now_due = school_days.on_or_after(today)
        when = "today" if now_due == today else f"on {now_due:%a %d %b}, the next school day"
        reason = f"{reason[:-1]}; {due:%d %b} had passed, so it is due {when}."
        due = now_due
    return due, reason[:200]


@dataclass(frozen=True)
class RevisitWindow:
    """The days a revisit may fall on without a reason: school days from ``first`` to ``last``
    (10 to 20 school days after ``last_touch``; from today when that has passed)."""

    last_touch: datetime.date
    first: datetime.date
    last: datetime.date
    today: datetime.date
    school_days: SchoolDays

    @property
    def text(self) -> str:
        """e.g. "between Mon 04 Jan and Fri 29 Jan: 10 to 20 school days after the last touch on
        Mon 07 Dec"."""
        rule = (
            f"{REVISIT_WINDOW_FIRST} to {REVISIT_WINDOW_LAST} school days after the last touch "
            f"on {self.last_touch:%a %d %b}"
        )
        if self.first == self.last:
            return f"on {self.first:%a %d %b}: that window has passed ({rule}), so it is due now"
        return f"between {self.first:%a %d %b} and {self.last:%a %d %b}: {rule}"

    def contains(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last and self.school_days.is_school_day(day)


def revisit_window(
    *, last_touch: datetime.date, today: datetime.date, school_days: SchoolDays
) -> RevisitWindow:
    """The revisit window after ``last_touch``: 10 to 20 school days after it; a part already
    past starts today (the next school day when today is not one)."""
    earliest = school_days.on_or_after(today)
    first = max(school_days.add(last_touch, REVISIT_WINDOW_FIRST), earliest)
    last = max(school_days.add(last_touch, REVISIT_WINDOW_LAST), earliest)
    return RevisitWindow(
        last_touch=last_touch, first=first, last=last, today=today, school_days=school_days
    )


def school_day_refusal(*, day: datetime.date, school_days: SchoolDays, today: datetime.date) -> str:
    """Why ``day`` cannot hold a visit (a holiday or break by name, or a weekend) and the nearest
    school days around it; "" when it is a school day."""
    if school_days.is_school_day(day):
        return ""
    closure = school_days.closure_on(day)
    why = closure if closure else ("a weekend" if day.isoweekday() in (6, 7) else "no lessons")
    before = school_days.on_or_before(day)
    after = school_days.on_or_after(day)
    near = [d for d in (before, after) if d >= today]
    nearest = " and ".join(f"{d:%a %d %b}" for d in near)
    plural = "s are" if len(near) > 1 else " is"
    return f"{day:%a %d %b} is not a school day ({why}): the nearest school day{plural} {nearest}."


def revisit_date_errors(
    *,
    day: datetime.date,
    window: RevisitWindow,
    off_rule_reason: str,
    date_field: str,
    reason_field: str,
) -> dict[str, str]:
    """The refusals of a revisit date, by field: a past day, a non-school day (named, with the
    nearest school days), a day beyond REVISIT_LATEST_SCHOOL_DAYS, and a day outside the window
    without the coach's reason. Empty when the date stands."""
    sd = window.school_days
    if day < window.today:
        return {date_field: "Pick today or a later day."}
    refusal = school_day_refusal(day=day, school_days=sd, today=window.today)
    if refusal:
        return {date_field: refusal}
    latest = sd.add(window.today, REVISIT_LATEST_SCHOOL_DAYS)
    if day > latest:
        return {
            date_field: f"A revisit is at most {REVISIT_LATEST_SCHOOL_DAYS} school days ahead "
            f"({latest:%a %d %b}); close the cycle instead if the next visit is further off."
        }
    if not window.contains(day) and not off_rule_reason.strip():
        return {
            reason_field: f"{day:%a %d %b} is outside the revisit window ({window.text}). Say "
            "why this date, or pick a day in the window."
        }
    return {}


def revisit_due_suggest(
    *,
    cycle: CoachingCycle,
    indicator_met: bool | None,
    today: datetime.date | None = None,
    school_days: SchoolDays | None = None,
) -> tuple[datetime.date, str]:
    """The revisit rule at a debrief (today is the last touch), counting this debrief's answer:
    10 school days for a new move or an unmet indicator, 15 once met once, 20 once met
    repeatedly; always a school day of the teacher's school."""
    today = today or timezone.localdate()
    if school_days is None:
        school_days = school_days_for(school=cycle.teacher.school)
    met_before = Debrief.objects.filter(session__cycle=cycle, indicator_met=True).count()
    met = met_before + (1 if indicator_met else 0)
    days, why = revisit_interval(met_count=met, last_met=indicator_met)
    return school_days.add(today, days), why


def school_today(school: School, now: datetime.datetime | None = None) -> datetime.date:
    """The date at the school now, in its own time zone."""
    return timezone.localtime(now or timezone.now(), zoneinfo.ZoneInfo(school.time_zone)).date()


def _school_date(value: datetime.datetime | None, school: School) -> datetime.date | None:
    if value is None:
        return None
    return timezone.localtime(value, zoneinfo.ZoneInfo(school.time_zone)).date()


def school_date(value: datetime.datetime, school: School) -> datetime.date:
    """The date of the instant ``value`` at the school (its own time zone)."""
    return timezone.localtime(value, zoneinfo.ZoneInfo(school.time_zone)).date()


def cycle_last_touch(*, cycle: CoachingCycle) -> datetime.date:
    """The cycle's last touch in school dates: its latest held session, visit or done revisit,
    or the day it opened."""
    school = cycle.teacher.school
    last_session = (
        cycle.sessions.filter(held_at__isnull=False).order_by("-held_at").values("held_at")[:1]
    )
    last_observation = (
        Observation.objects.filter(cycle=cycle, started_at__isnull=False)
        .order_by("-started_at")
        .values("started_at")[:1]
    )
    last_revisit = (
        cycle.revisits.filter(status=RevisitStatus.DONE)
        .order_by("-completed_on")
        .values("completed_on")[:1]
    )
    touches = [
        cycle.opened_on,
        _school_date(next(iter(last_session), {}).get("held_at"), school),
        _school_date(next(iter(last_observation), {}).get("started_at"), school),
        next(iter(last_revisit), {}).get("completed_on"),
    ]
    return max(t for t in touches if t is not None)


def revisit_window_for(
    *,
    cycle: CoachingCycle,
    today: datetime.date | None = None,
    last_touch: datetime.date | None = None,
) -> RevisitWindow:
    """The revisit window of ``cycle`` at its school: from its last touch (``last_touch`` when
    given, e.g. a debrief being held), on the school's calendar."""
    school = cycle.teacher.school
    today = today or school_today(school)
    return revisit_window(
        last_touch=last_touch or cycle_last_touch(cycle=cycle),
        today=today,
        school_days=school_days_for(school=school),
    )


@dataclass(frozen=True)
class RevisitPlan:
    """A revisit the scheduling job will create: for a cycle under way with none scheduled."""

    cycle: CoachingCycle
    last_touch: datetime.date
    due_on: datetime.date
    reason: str


UNDER_WAY_STATES = (CycleState.ACTIVE, CycleState.DEBRIEFED)


def revisits_needed(*, now: datetime.datetime | None = None) -> list[RevisitPlan]:
    """Every cycle under way (the move tried: active or debriefed) that has no scheduled
    revisit, with the date the rule gives (a school day of the teacher's school). Two queries,
    whatever the number of cycles and schools: the cycles, then their schools' calendars."""
    now = now or timezone.now()
    scheduled = Revisit.objects.filter(cycle=OuterRef("pk"), status=RevisitStatus.SCHEDULED)
    debriefs = Debrief.objects.filter(session__cycle=OuterRef("pk"))
    cycles = (
        CoachingCycle.objects.filter(
            state__in=UNDER_WAY_STATES, teacher__is_active=True, teacher__school__is_active=True
        )
        .exclude(Exists(scheduled))
        .select_related("teacher__school")
        .annotate(
            last_session=_latest(
                CoachingSession.objects.filter(cycle=OuterRef("pk"), held_at__isnull=False),
                "held_at",
            ),
            last_observation=_latest(
                Observation.objects.filter(cycle=OuterRef("pk"), started_at__isnull=False),
                "started_at",
            ),
            last_revisit=_latest(
                Revisit.objects.filter(cycle=OuterRef("pk"), status=RevisitStatus.DONE),
                "completed_on",
            ),
            met_count=Subquery(
                debriefs.filter(indicator_met=True)
                .values("session__cycle")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            last_met=Subquery(
                debriefs.order_by(F("session__held_at").desc(nulls_last=True), "-pk").values(
                    "indicator_met"
                )[:1]
            ),
        )
        .order_by("pk")
    )
    cycles = list(cycles)
    calendars = school_days_by_school(
        schools={c.teacher.school_id: c.teacher.school for c in cycles}.values()
    )
    plans = []
    for cycle in cycles:
        school = cycle.teacher.school
        touches = [
            cycle.opened_on,
            _school_date(cycle.last_session, school),
            _school_date(cycle.last_observation, school),
            cycle.last_revisit,
        ]
        last_touch = max(t for t in touches if t is not None)
        due, reason = revisit_due_from(
            last_touch=last_touch,
            met_count=cycle.met_count or 0,
            last_met=cycle.last_met,
            today=school_today(school, now),
            school_days=calendars[school.pk],
        )
        plans.append(RevisitPlan(cycle=cycle, last_touch=last_touch, due_on=due, reason=reason))
    return plans


def revisits_overdue(*, now: datetime.datetime | None = None) -> list[Revisit]:
    """Scheduled revisits whose date has passed at their school (school time zone)."""
    now = now or timezone.now()
    latest_today = (now + datetime.timedelta(days=1)).date()  # no school is further ahead
    candidates = (
        Revisit.objects.filter(status=RevisitStatus.SCHEDULED, due_on__lt=latest_today)
        .select_related("cycle__teacher__school", "cycle__coach")
        .order_by("due_on", "pk")
    )
    return [r for r in candidates if r.due_on < school_today(r.cycle.teacher.school, now)]


# --- Context briefs ------------------------------------------------------------------------------


def cycle_for_brief(*, cycle_id: int) -> CoachingCycle | None:
    """The cycle a brief job is about, if it still exists and is open."""
    return (
        CoachingCycle.objects.filter(pk=cycle_id, state__in=OPEN_STATES)
        .select_related("teacher__school", "assessment")
        .first()
    )


def debriefs_needing_brief(
    *, now: datetime.datetime | None = None, hours: int | None = None
) -> list[CoachingSession]:
    """Debriefs planned in the next ``hours`` (BRIEF_SWEEP_HOURS) whose cycle has no brief,
    or only a stale one: the earliest such debrief of each cycle."""
    now = now or timezone.now()
    hours = settings.BRIEF_SWEEP_HOURS if hours is None else hours
    fresh = ContextBrief.objects.filter(cycle=OuterRef("cycle"), is_stale=False)
    sessions = (
        CoachingSession.objects.filter(
            kind=SessionKind.DEBRIEF,
            held_at__isnull=True,
            scheduled_for__gte=now - datetime.timedelta(hours=1),
            scheduled_for__lte=now + datetime.timedelta(hours=hours),
            cycle__state__in=OPEN_STATES,
        )
        .exclude(Exists(fresh))
        .order_by("cycle_id", "scheduled_for", "pk")
    )
    earliest: dict[int, CoachingSession] = {}
    for session in sessions:
        earliest.setdefault(session.cycle_id, session)
    return list(earliest.values())


def cycle_next_debrief(*, cycle: CoachingCycle) -> CoachingSession | None:
    return (
        cycle.sessions.filter(kind=SessionKind.DEBRIEF, held_at__isnull=True)
        .exclude(scheduled_for__isnull=True)
        .order_by("scheduled_for")
        .first()
    )


def context_brief_stored(*, cycle: CoachingCycle) -> ContextBrief | None:
    return ContextBrief.objects.filter(cycle=cycle).first()


@dataclass
class CycleOverview:
    cycle: CoachingCycle
    sessions: list[CoachingSession]
    observations: list[Observation]
    revisits: list[Revisit]
    minutes: int
    engagement: EngagementChange
    reflections: list[Reflection] = field(default_factory=list)

    @property
    def next_observation(self) -> Observation | None:
        upcoming = [o for o in self.observations if o.started_at is None]
        return min(upcoming, key=lambda o: o.scheduled_for) if upcoming else None


def cycle_overview(*, cycle: CoachingCycle) -> CycleOverview:
    """Everything the cycle page shows, in a fixed number of queries."""
    sessions = list(
        cycle.sessions.select_related("debrief").order_by("held_at", "scheduled_for", "id")
    )
    observations = list(
        Observation.objects.filter(cycle=cycle)
        .prefetch_related("engagement_samples", "student_evidence", "notes")
        .order_by("scheduled_for", "started_at", "id")
    )
    samples = [s for o in observations for s in o.engagement_samples.all()]
    minutes = (
        TimeEntry.objects.filter(cycle=cycle, archived_at__isnull=True).aggregate(
            total=Sum("minutes")
        )["total"]
        or 0
    )
    return CycleOverview(
        cycle=cycle,
        sessions=sessions,
        observations=observations,
        revisits=list(cycle.revisits.order_by("due_on")),
        minutes=minutes,
        engagement=engagement_change(samples),
        reflections=cycle_reflections(cycle=cycle),
    )


def context_brief_assemble(*, cycle: CoachingCycle, recent: int = 4) -> dict:
    """The context brief: where the teacher left off, the move and indicator, the latest
    evidence and engagement, patterns over recent observations, profile and stance, open
    commitments and the last reflection. Plain JSON, so it can be stored as it is."""
    teacher = cycle.teacher
    school = teacher.school

    def day(value: datetime.datetime) -> str:
        return _school_date(value, school).isoformat()  # school dates, whoever assembles it

    agreed = AgreedMove.objects.filter(cycle=cycle).select_related("move").first()
    debriefs = list(
        Debrief.objects.filter(session__cycle__teacher=teacher)
        .select_related("session")
        .order_by("-session__held_at")[:recent]
    )
    observations = list(
        Observation.objects.filter(teacher=teacher, started_at__isnull=False)
        .prefetch_related("engagement_samples", "student_evidence")
        .order_by("-started_at")[:recent]
    )
    latest = observations[0] if observations else None
    latest_change = engagement_change(latest.engagement_samples.all()) if latest else None
    evidence_kinds = Counter(
        item.get_kind_display() for o in observations for item in o.student_evidence.all()
    )
    trend = [
        {
            "date": day(o.started_at),
            "after_pct": engagement_change(o.engagement_samples.all()).after_pct,
            "before_pct": engagement_change(o.engagement_samples.all()).before_pct,
        }
        for o in reversed(observations)
    ]
    # Evidence of a kind seen at two or more of the recent visits: a pattern, not a one-off.
    visits_by_kind: dict[str, list] = defaultdict(list)
    for o in observations:  # newest first
        items = list(o.student_evidence.all())
        for kind in {item.get_kind_display() for item in items}:
            latest_item = max(
                (i for i in items if i.get_kind_display() == kind), key=lambda i: i.noted_at
            )
            visits_by_kind[kind].append(latest_item.description)
    recurring = [
        {"kind": kind, "visits": len(descriptions), "latest": descriptions[0]}
        for kind, descriptions in sorted(visits_by_kind.items())
        if len(descriptions) >= 2
    ]
    afters = [row["after_pct"] for row in trend if row["after_pct"] is not None]
    direction = None
    if len(afters) >= 2:
        gap = afters[-1] - afters[0]
        direction = "rising" if gap >= 5 else "falling" if gap <= -5 else "steady"
    stance = teacher_suggested_stance(teacher=teacher)
    upcoming_visits = Observation.objects.filter(
        cycle=cycle, started_at__isnull=True, scheduled_for__isnull=False
    ).order_by("scheduled_for")
    open_sessions = cycle.sessions.filter(held_at__isnull=True).order_by("scheduled_for")
    revisit = cycle.revisits.filter(status=RevisitStatus.SCHEDULED).first()
    last = debriefs[0] if debriefs else None
    return {
        "teacher": teacher.full_name,
        "left_off": (
            {
                "date": day(last.session.held_at),
                "next_step": last.next_step,
            }
            if last and last.session.held_at
            else None
        ),
        "move": (
            {
                "name": agreed.move.name,
                "next_day_action": agreed.next_day_action,
                "script": agreed.script,
                "success_indicator": agreed.success_indicator,
                "due_on": agreed.due_on.isoformat(),
            }
            if agreed
            else None
        ),
        "latest_evidence": (
            [
                {"kind": e.get_kind_display(), "description": e.description}
                for e in latest.student_evidence.all()
            ]
            if latest
            else []
        ),
        "latest_engagement": (
            {
                "date": day(latest.started_at),
                "before_pct": latest_change.before_pct,
                "after_pct": latest_change.after_pct,
                "change_points": latest_change.change_points,
            }
            if latest
            else None
        ),
        "patterns": {
            "evidence_kinds": dict(evidence_kinds),
            "recurring_evidence": recurring,
            "engagement_trend": trend,
            "engagement_direction": direction,
            "indicator_history": [
                {"date": day(d.session.held_at), "met": d.indicator_met}
                for d in reversed(debriefs)
                if d.session.held_at
            ],
        },
        "profile": {
            "disposition": teacher.get_disposition_display(),
            "orientation": teacher.get_orientation_display(),
            "time_focus": teacher.get_time_focus_display(),
            "stance": stance.kind,
            "stance_reasons": list(stance.reasons),
            "framing": stance.framing,
        },
        "open_commitments": [
            {"kind": s.get_kind_display(), "when": s.scheduled_for.isoformat()}
            for s in open_sessions
            if s.scheduled_for
        ]
        + [{"kind": "Visit", "when": o.scheduled_for.isoformat()} for o in upcoming_visits]
        + ([{"kind": "Revisit", "when": revisit.due_on.isoformat()}] if revisit else []),
        "last_reflection": last.teacher_reflection if last and last.teacher_reflection else "",
        # The teacher's structured reflection before the coming debrief (None: not written).
        "reflection": reflection_as_brief(reflection_current(cycle=cycle), school),
    }


# --- The support plan: practice before the try ---------------------------------------------------

# Practice prepares the try, so it comes before the first observation (the day the teacher tries
# the move): co-planning, rehearsal, a model lesson, real-time coaching. One planned after the
# first observation is a follow-up the coach marks on purpose (CoachingSession.is_follow_up).
PRACTICE_KINDS = (
    SessionKind.CO_PLANNING,
    SessionKind.REHEARSAL,
    SessionKind.MODEL_LESSON,
    SessionKind.REAL_TIME_COACHING,
)
# The debrief follows the observation within this many school days, while the lesson is fresh.
DEBRIEF_WITHIN_SCHOOL_DAYS = 2
PLAN_OBSERVATION_TIME = datetime.time(10, 0)
# Where the default plan puts each kind: (school days from the day of the try, time of day).
# Delivery: see it (model lesson), do it (rehearsal after school), do it in class with the coach
# prompting (real-time coaching), then the try. Planning: co-planning the school day before.
# Progress monitoring: co-planning the exit slip and its criterion the day before, the slips
# reviewed the afternoon of the try. The debrief the next school day.
PLAN_SLOTS: dict[str, tuple[int, datetime.time]] = {
    SessionKind.MODEL_LESSON: (-2, datetime.time(10, 0)),
    SessionKind.REHEARSAL: (-2, datetime.time(15, 30)),
    SessionKind.REAL_TIME_COACHING: (-1, datetime.time(10, 0)),
    SessionKind.CO_PLANNING: (-1, datetime.time(15, 30)),
    SessionKind.DATA_REVIEW: (0, datetime.time(15, 30)),
    SessionKind.DEBRIEF: (1, datetime.time(15, 30)),
}


def _at(day: datetime.date, at: datetime.time, tz: datetime.tzinfo) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at), tz)


def _next_slot(
    school_days: SchoolDays, after: datetime.datetime, at: datetime.time, tz: datetime.tzinfo
) -> datetime.datetime:
    """The first ``at`` on a school day later than ``after``."""
    day = school_days.on_or_after(timezone.localtime(after, tz).date())
    slot = _at(day, at, tz)
    return slot if slot > after else _at(school_days.add(day, 1), at, tz)


def plan_lead_school_days(*, kinds: Iterable[str]) -> int:
    """How many school days of practice the plan's kinds need before the try."""
    return max((-PLAN_SLOTS[k][0] for k in kinds if k in PRACTICE_KINDS), default=0)


def move_due_default(
    *, kinds: Iterable[str], today: datetime.date, school_days: SchoolDays
) -> datetime.date:
    """The due date proposed for a new move: the first school day that leaves room for the
    plan's practice before it (the school day after it, at least)."""
    return school_days.add(today, plan_lead_school_days(kinds=kinds) + 1)


@dataclass(frozen=True)
class PlanDefaults:
    sessions: dict[str, datetime.datetime]
    observation_at: datetime.datetime
    note: str = ""  # why the observation is not on the move's due date, when it is not


def support_plan_defaults(
    *,
    kinds: Iterable[str],
    due_on: datetime.date | None,
    school_days: SchoolDays,
    tz: datetime.tzinfo,
    now: datetime.datetime | None = None,
) -> PlanDefaults:
    """The plan proposed for a move due ``due_on``, every time on a school day: the practice
    sessions on the school days before the try (PLAN_SLOTS), the first observation on the day
    of the try at 10:00, the exit-slip review that afternoon, the debrief the next school day.
    Practice whose slot has passed moves to the next free slot, still before the try; when the
    try comes too soon for that, the observation moves to the school day after the practice
    and ``note`` says so (the coach agrees a new date with the teacher or changes the times)."""
    now = now or timezone.now()
    kinds = tuple(kinds)
    today = timezone.localtime(now, tz).date()
    lead = plan_lead_school_days(kinds=kinds)
    try_day = school_days.on_or_after(max(due_on, today) if due_on else today)
    if due_on is None:
        try_day = school_days.add(today, lead + 1)
    if _at(try_day, PLAN_OBSERVATION_TIME, tz) <= now:
        try_day = school_days.add(today, 1)
    sessions: dict[str, datetime.datetime] = {}
    practice = sorted((k for k in kinds if k in PRACTICE_KINDS), key=lambda k: PLAN_SLOTS[k])
    previous = now
    for kind in practice:
        offset, at = PLAN_SLOTS[kind]
        when = _at(school_days.add(try_day, offset), at, tz)
        if when <= previous:  # passed, or not after the practice before it
            when = _next_slot(school_days, previous, at, tz)
        sessions[kind] = previous = when
    observation_at = _at(try_day, PLAN_OBSERVATION_TIME, tz)
    note = ""
    if previous >= observation_at:
        try_day = school_days.add(timezone.localtime(previous, tz).date(), 1)
        observation_at = _at(try_day, PLAN_OBSERVATION_TIME, tz)
        if due_on is not None:
            note = (
                f"The move is due {due_on:%a %d %b}: too soon for the practice to come first. "
                f"This plan observes the try on {try_day:%a %d %b}; agree that day with the "
                "teacher (change the move's due date), or adjust the times."
            )
    for kind in kinds:
        if kind not in sessions:
            offset, at = PLAN_SLOTS.get(kind, (1, datetime.time(15, 30)))
            sessions[kind] = _at(school_days.add(try_day, offset), at, tz)
    return PlanDefaults(sessions=sessions, observation_at=observation_at, note=note)


def support_plan_order_errors(
    *,
    sessions: Iterable[tuple[str, datetime.datetime, bool]],
    observation_at: datetime.datetime | None,
    school_days: SchoolDays,
    tz: datetime.tzinfo,
) -> dict[str, str]:
    """The support plan order, by session kind: practice (PRACTICE_KINDS) before the first
    observation unless marked a follow-up; the debrief after the observation and within
    DEBRIEF_WITHIN_SCHOOL_DAYS school days of it. ``sessions``: (kind, when, is_follow_up)."""
    if observation_at is None:
        return {}
    observed = timezone.localtime(observation_at, tz)
    errors: dict[str, str] = {}
    for kind, when, follow_up in sessions:
        local = timezone.localtime(when, tz)
        label = SessionKind(kind).label
        if kind in PRACTICE_KINDS and when >= observation_at and not follow_up:
            errors[kind] = (
                f"{label} on {local:%a %d %b %H:%M} comes after the first observation "
                f"({observed:%a %d %b %H:%M}): practice comes before the try. Plan it before "
                "the observation, or tick “This is a follow-up” if it follows up on the try."
            )
        elif kind == SessionKind.DEBRIEF:
            if when <= observation_at:
                errors[kind] = (
                    f"The debrief comes after the observation ({observed:%a %d %b %H:%M}): "
                    "plan it later that day or on the next school day."
                )
                continue
            late = school_days.count(observed.date(), local.date())
            if late > DEBRIEF_WITHIN_SCHOOL_DAYS:
                latest = school_days.add(observed.date(), DEBRIEF_WITHIN_SCHOOL_DAYS)
                errors[kind] = (
                    f"The debrief is {late} school days after the observation "
                    f"({observed:%a %d %b}): hold it within {DEBRIEF_WITHIN_SCHOOL_DAYS} school "
                    f"days, by {latest:%a %d %b}, while the lesson is fresh."
                )
    return errors


def cycle_first_observation_at(*, cycle: CoachingCycle) -> datetime.datetime | None:
    """When the cycle's first observation is (started, or planned)."""
    times = [
        o.started_at or o.scheduled_for
        for o in Observation.objects.filter(cycle=cycle).only("started_at", "scheduled_for")
    ]
    return min(times, default=None)


def cycle_plan_exists(*, cycle: CoachingCycle) -> bool:
    """Whether the cycle's support plan has been made: any session or observation in it."""
    return cycle.sessions.exists() or cycle.observations.exists()


# --- Live observation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveEntry:
    """One line of the live page's list: a note, a sweep or a piece of student evidence."""

    kind: str  # note | sweep | evidence
    when: datetime.datetime
    client_id: uuid.UUID | None
    label: str
    text: str


@dataclass(frozen=True)
class LiveObservation:
    entries: list[LiveEntry]  # newest first
    engagement: EngagementChange
    last_present: int | None
    last_phase: str | None


def observation_live_data(*, observation: Observation) -> LiveObservation:
    """What the live page shows of a visit (three queries)."""
    notes = list(observation.notes.all())
    samples = list(observation.engagement_samples.all())
    evidence = list(observation.student_evidence.all())
    entries = [LiveEntry("note", n.noted_at, n.client_id, "Note", n.text) for n in notes]
    entries += [
        LiveEntry(
            "sweep",
            s.taken_at,
            s.client_id,
            f"Sweep · {s.get_phase_display().lower()}",
            f"{s.engaged_count} of {s.present_count} engaged",
        )
        for s in samples
    ]
    entries += [
        LiveEntry("evidence", e.noted_at, e.client_id, e.get_kind_display(), e.description)
        for e in evidence
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    last = max(samples, key=lambda s: (s.taken_at, s.id)) if samples else None
    return LiveObservation(
        entries=entries,
        engagement=engagement_change(samples),
        last_present=last.present_count if last else None,
        last_phase=last.phase if last else None,
    )


# --- Time: a coach's recent entries, totals and direct share -------------------------------------


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    label: str
    minutes: int
    is_direct: bool


@dataclass(frozen=True)
class CoachTimePeriod:
    since: datetime.date
    until: datetime.date
    totals: list[CategoryTotal]

    @property
    def minutes_total(self) -> int:
        return sum(t.minutes for t in self.totals)

    @property
    def minutes_direct(self) -> int:
        return sum(t.minutes for t in self.totals if t.is_direct)

    @property
    def direct_share(self) -> float | None:
        return self.minutes_direct / self.minutes_total if self.minutes_total else None

    @property
    def direct_pct(self) -> int | None:
        return percent(self.direct_share)


def coach_time_period(
    *, coach: User, days: int = 14, today: datetime.date | None = None
) -> CoachTimePeriod:
    """The coach's minutes per category over the last ``days`` days (today included) and the
    direct share (direct coaching + observation over all). One query."""
    until = today or timezone.localdate()
    since = until - datetime.timedelta(days=days - 1)
    entries = TimeEntry.objects.filter(
        coach=coach, entry_date__range=(since, until), archived_at__isnull=True
    )
    by_category = dict(
        entries.values("category").annotate(total=Sum("minutes")).values_list("category", "total")
    )
    totals = [
        CategoryTotal(c.value, c.label, by_category.get(c.value) or 0, c in DIRECT_CATEGORIES)
        for c in TimeCategory
    ]
    return CoachTimePeriod(since=since, until=until, totals=totals)


@dataclass(frozen=True)
class TimeWeek:
    """One week (Monday to Sunday) of a coach's entries on one page of the time page:
    ``minutes_total`` is the whole week's, also when the week runs over two pages
    (``continued``: it began on the page before)."""

    start: datetime.date
    minutes_total: int
    entries: list[TimeEntry]
    continued: bool = False

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=6)

    @property
    def label(self) -> str:
        return week_as_written(self.start, self.end)


@dataclass(frozen=True)
class CoachTimeWeeks:
    page: Page  # of the coach's entries, newest first
    weeks: list[TimeWeek]

    @property
    def page_links(self) -> list[int | None]:
        """The page numbers to link, None where some are left out: [1, 2, 3, None, 9]."""
        paginator = self.page.paginator
        return [
            n if isinstance(n, int) else None
            for n in paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        ]


TIME_ENTRIES_PER_PAGE = 25


def coach_time_weeks(
    *, coach: User, page: int | str | None = 1, per_page: int = TIME_ENTRIES_PER_PAGE
) -> CoachTimeWeeks:
    """The coach's own time entries (not archived), newest first, ``per_page`` a page and the
    page's entries grouped by week (Monday first) with each week's total. A page number that
    is not a page gives the nearest page. Three queries (count, the page, the weeks' totals),
    four after the first page (whether its first week began on the page before)."""
    entries = TimeEntry.objects.filter(coach=coach, archived_at__isnull=True)
    newest_first = entries.order_by("-entry_date", "-id")
    paginator = Paginator(newest_first.select_related("cycle__teacher", "school"), per_page)
    shown = paginator.get_page(page)
    rows = list(shown.object_list)
    if not rows:
        return CoachTimeWeeks(page=shown, weeks=[])
    first_week = week_start(rows[-1].entry_date)
    last_day = week_start(rows[0].entry_date) + datetime.timedelta(days=6)
    per_day = (
        entries.filter(entry_date__range=(first_week, last_day))
        .values("entry_date")
        .annotate(total=Sum("minutes"))
        .order_by()
        .values_list("entry_date", "total")
    )
    totals: Counter[datetime.date] = Counter()
    for day, total in per_day:
        totals[week_start(day)] += total
    grouped: dict[datetime.date, list[TimeEntry]] = {}
    for entry in rows:
        grouped.setdefault(week_start(entry.entry_date), []).append(entry)
    # The page's first week began on the page before when that page ended in the same week.
    continued = shown.has_previous() and week_start(
        newest_first.values_list("entry_date", flat=True)[shown.start_index() - 2]
    ) == week_start(rows[0].entry_date)
    weeks = [
        TimeWeek(start, totals[start], week, continued=index == 0 and continued)
        for index, (start, week) in enumerate(grouped.items())
    ]
    return CoachTimeWeeks(page=shown, weeks=weeks)


def time_entry_by_client_id(*, client_id: uuid.UUID) -> TimeEntry | None:
    """The entry logged with the time page form's key (see services.time_entry_log)."""
    return TimeEntry.objects.filter(client_id=client_id).first()


# --- Change history of any row kept by django-simple-history -------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of a history row, as shown: its label, the value before and the value after
    ("—" for none)."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryRow:
    when: datetime.datetime
    who: User | None  # None: changed outside a signed-in request (a task, a script)
    action: str  # "created", "changed" or "deleted"
    # created: the first values (old is "—"); changed: each changed field; deleted: none
    changes: tuple[FieldChange, ...]


HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
HISTORY_HIDDEN_FIELDS = ("created_at", "updated_at")

# How a history row names a row that one of its fields points to: what to fetch with it, and
# the text. Any other related row is shown as str(row).
_HISTORY_RELATED: dict[type[Model], tuple[tuple[str, ...], Callable[[Model], str]]] = {
    CoachingCycle: (
        ("teacher",),
        lambda c: f"{c.teacher.full_name}, opened {c.opened_on:%d %b %Y}",
    ),
}


def _history_value(field: Field, value, related: dict[tuple[type[Model], object], str]) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        model = field.related_model
        return related.get((model, value), f"{model._meta.verbose_name} {value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%a %d %b %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%a %d %b %Y")
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _history_related(
    values: Iterable[tuple[Field, object]],
) -> dict[tuple[type[Model], object], str]:
    """The text for each related row named in ``values``: one query per related model."""
    ids: dict[type[Model], set] = defaultdict(set)
    for history_field, value in values:
        if history_field.is_relation and value not in (None, ""):
            ids[history_field.related_model].add(value)
    shown: dict[tuple[type[Model], object], str] = {}
    for model, pks in ids.items():
        select, label = _HISTORY_RELATED.get(model, ((), str))
        for row in model._default_manager.filter(pk__in=pks).select_related(*select):
            shown[(model, row.pk)] = label(row)
    return shown


def history_rows(
    *, instance: Model, hidden_fields: Iterable[str] = HISTORY_HIDDEN_FIELDS
) -> list[HistoryRow]:
    """The change history of ``instance`` (any model with django-simple-history's
    ``history``), newest first: when, who, and the fields it set (created) or changed from
    what to what (changed), in the model's field order. The primary key and ``hidden_fields``
    are left out. One query for the records, plus one per kind of related row they name."""
    hidden = set(hidden_fields)
    fields = [
        f
        for f in instance.history.model.tracked_fields
        if not f.primary_key and f.name not in hidden
    ]
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    raw: list[list[tuple[Field, object, object]]] = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        if record.history_type == "+":
            values = [(f, None, getattr(record, f.attname)) for f in fields]
            raw.append([v for v in values if v[2] not in (None, "")])
        elif record.history_type == "~" and older is not None:
            values = [(f, getattr(older, f.attname), getattr(record, f.attname)) for f in fields]
            raw.append([v for v in values if v[1] != v[2]])
        else:
            raw.append([])
    related = _history_related(
        (f, value) for changes in raw for f, old, new in changes for value in (old, new)
    )
    return [
        HistoryRow(
            when=record.history_date,
            who=record.history_user,
            action=HISTORY_ACTIONS[record.history_type],
            changes=tuple(
                FieldChange(
                    label=capfirst(str(f.verbose_name)),
                    old=_history_value(f, old, related),
                    new=_history_value(f, new, related),
                )
                for f, old, new in changes
            ),
        )
        for record, changes in zip(records, raw, strict=True)
    ]


# --- Email reminders -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderDue:
    """An email that is due now and has not been sent: what it is about (kind and keys, the
    at-most-once record), to whom, and what the template shows. Several keys share one email
    when it lists several things (a coach's overdue revisits)."""

    kind: str
    keys: tuple[str, ...]
    email: str
    recipient: User | None
    subject: str
    template: str
    context: dict


def _already_sent(kind: str, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (key, email) pairs of ``kind`` that have a reminder record already."""
    pairs = list(pairs)
    if not pairs:
        return set()
    keys = {key for key, _ in pairs}
    return set(
        Reminder.objects.filter(kind=kind, key__in=keys).values_list("key", "email").iterator()
    )


def _teacher_address(teacher: Teacher) -> tuple[str, User | None]:
    """Where a teacher is mailed: their sign-in's address, or the roster address when they have
    no sign-in. Nobody inactive is mailed (an empty address means: do not send)."""
    if not teacher.is_active or not teacher.school.is_active:
        return "", None
    if teacher.user_id is not None:
        user = teacher.user
        return (user.email, user) if user.is_active else ("", None)
    return teacher.email, None


# How far ahead the "move tomorrow" reminder looks: the next school day can be a break away.
REMINDER_MOVE_LOOKAHEAD_DAYS = 31


def reminders_move_tomorrow(*, now: datetime.datetime | None = None) -> list[ReminderDue]:
    """Teachers whose agreed move is tried on their school's next school day, from
    REMINDER_MOVE_HOUR on the evening before (school time): on a Friday for a Monday try, on
    the last school day before a holiday or a break for the day after it. A move due on a
    non-school day is tried on the school day after it."""
    now = now or timezone.now()
    utc_today = now.date()
    moves = list(
        AgreedMove.objects.filter(
            cycle__state__in=OPEN_STATES,
            due_on__gte=utc_today - datetime.timedelta(days=REMINDER_MOVE_LOOKAHEAD_DAYS),
            due_on__lte=utc_today + datetime.timedelta(days=REMINDER_MOVE_LOOKAHEAD_DAYS),
        )
        .select_related("move", "cycle__teacher__school", "cycle__teacher__user", "cycle__coach")
        .order_by("pk")
    )
    calendars = school_days_by_school(
        schools={a.cycle.teacher.school_id: a.cycle.teacher.school for a in moves}.values()
    )
    due: list[ReminderDue] = []
    for agreed in moves:
        teacher = agreed.cycle.teacher
        school_days = calendars[teacher.school_id]
        local = timezone.localtime(now, zoneinfo.ZoneInfo(teacher.school.time_zone))
        if local.hour < settings.REMINDER_MOVE_HOUR:
            continue
        try_day = school_days.on_or_after(agreed.due_on)
        if try_day != school_days.add(local.date(), 1):
            continue
        email, user = _teacher_address(teacher)
        if not email:
            continue
        tomorrow = try_day == local.date() + datetime.timedelta(days=1)
        when = "Tomorrow" if tomorrow else f"{try_day:%A}"
        due.append(
            ReminderDue(
                kind=ReminderKind.MOVE_TOMORROW,
                keys=(f"move:{agreed.pk}:{agreed.due_on.isoformat()}",),
                email=email,
                recipient=user,
                subject=f"{when}'s move: {agreed.move.name}",
                template="email/move_tomorrow.txt",
                context={
                    "agreed": agreed,
                    "teacher": teacher,
                    "coach": agreed.cycle.coach,
                    "try_day": try_day,
                    "tomorrow": tomorrow,
                },
            )
        )
    sent = _already_sent(ReminderKind.MOVE_TOMORROW, ((r.keys[0], r.email) for r in due))
    return [r for r in due if (r.keys[0], r.email) not in sent]


def _coach_address(coach: User) -> str:
    return coach.email if coach.is_active else ""


def reminders_debrief_brief(*, now: datetime.datetime | None = None) -> list[ReminderDue]:
    """Coaches with a debrief in the next REMINDER_DEBRIEF_LEAD_HOURS: the link to its brief."""
    now = now or timezone.now()
    sessions = (
        CoachingSession.objects.filter(
            kind=SessionKind.DEBRIEF,
            held_at__isnull=True,
            scheduled_for__gt=now,
            scheduled_for__lte=now + datetime.timedelta(hours=settings.REMINDER_DEBRIEF_LEAD_HOURS),
            cycle__state__in=OPEN_STATES,
            cycle__teacher__is_active=True,
            cycle__teacher__school__is_active=True,
        )
        .select_related("cycle__teacher__school", "cycle__coach")
        .order_by("scheduled_for", "pk")
    )
    due: list[ReminderDue] = []
    for session in sessions:
        cycle = session.cycle
        email = _coach_address(cycle.coach)
        if not email:
            continue
        local = timezone.localtime(
            session.scheduled_for, zoneinfo.ZoneInfo(cycle.teacher.school.time_zone)
        )
        due.append(
            ReminderDue(
                kind=ReminderKind.DEBRIEF_BRIEF,
                keys=(f"debrief:{session.pk}:{session.scheduled_for.isoformat()}",),
                email=email,
                recipient=cycle.coach,
                subject=f"Debrief with {cycle.teacher.full_name} at {local:%H:%M}: your brief",
                template="email/debrief_brief.txt",
                # Naive: the template's date filters would turn an aware time back into the
                # active time zone (UTC in a worker), not the school's.
                context={
                    "session": session,
                    "cycle": cycle,
                    "local_time": local.replace(tzinfo=None),
                },
            )
        )
    sent = _already_sent(ReminderKind.DEBRIEF_BRIEF, ((r.keys[0], r.email) for r in due))
    return [r for r in due if (r.keys[0], r.email) not in sent]


def reminders_revisit_overdue(*, now: datetime.datetime | None = None) -> list[ReminderDue]:
    """Each coach whose revisits have passed their date, once per revisit, from
    REMINDER_DIGEST_HOUR on (school time) of a school day of the teacher's school (a revisit
    due on a Friday is reminded of on Monday): one email listing them, each with the school
    days it is late."""
    now = now or timezone.now()
    by_coach: dict[int, list[Revisit]] = defaultdict(list)
    overdue = revisits_overdue(now=now)
    calendars = school_days_by_school(
        schools={r.cycle.teacher.school_id: r.cycle.teacher.school for r in overdue}.values()
    )
    for revisit in overdue:
        cycle = revisit.cycle
        school = cycle.teacher.school
        if not (cycle.teacher.is_active and school.is_active and _coach_address(cycle.coach)):
            continue
        local = timezone.localtime(now, zoneinfo.ZoneInfo(school.time_zone))
        if local.hour < settings.REMINDER_DIGEST_HOUR:
            continue
        if not calendars[school.pk].is_school_day(local.date()):
            continue  # on the school's next school day, not over a weekend or a break
        by_coach[cycle.coach_id].append(revisit)
    pairs = [(f"overdue:{r.pk}", r.cycle.coach.email) for rs in by_coach.values() for r in rs]
    sent = _already_sent(ReminderKind.REVISIT_OVERDUE, pairs)
    due: list[ReminderDue] = []
    for revisits in by_coach.values():
        coach = revisits[0].cycle.coach
        new = [r for r in revisits if (f"overdue:{r.pk}", coach.email) not in sent]
        if not new:
            continue
        count = len(new)
        due.append(
            ReminderDue(
                kind=ReminderKind.REVISIT_OVERDUE,
                keys=tuple(f"overdue:{r.pk}" for r in new),
                email=coach.email,
                recipient=coach,
                subject=f"{count} revisit{'s' if count > 1 else ''} overdue",
                template="email/revisit_overdue.txt",
                context={
                    "coach": coach,
                    "revisits": [
                        {
                            "teacher": r.cycle.teacher.full_name,
                            "due_on": r.due_on,
                            "days_late": calendars[r.cycle.teacher.school_id].count(
                                r.due_on, school_today(r.cycle.teacher.school, now)
                            ),
                            "cycle_id": r.cycle_id,
                        }
                        for r in new
                    ],
                },
            )
        )
    return due


def reminders_weekly_digest(*, now: datetime.datetime | None = None) -> list[ReminderDue]:
    """Principals' weekly digest of their schools' caseload figures (aggregates only), from
    REMINDER_DIGEST_HOUR on the first school day of each week from REMINDER_DIGEST_WEEKDAY on,
    in the time zone and calendar of the principal's first school (none in a week of break)."""
    now = now or timezone.now()
    memberships = (
        Membership.objects.filter(
            role=Role.PRINCIPAL,
            is_active=True,
            user__is_active=True,
            school__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "school")
        .order_by("user_id", "school__name")
    )
    first_school: dict[int, Membership] = {}
    schools_of: Counter[int] = Counter()
    for membership in memberships:
        first_school.setdefault(membership.user_id, membership)
        schools_of[membership.user_id] += 1
    calendars = school_days_by_school(schools=[m.school for m in first_school.values()])
    candidates: list[tuple[Membership, datetime.date]] = []
    for membership in first_school.values():
        local = timezone.localtime(now, zoneinfo.ZoneInfo(membership.school.time_zone))
        days_since = (local.weekday() - settings.REMINDER_DIGEST_WEEKDAY) % 7
        week_of = local.date() - datetime.timedelta(days=days_since)
        # The digest goes out on the week's first school day from the digest weekday on (a
        # Tuesday after a Monday holiday); a week of break has none.
        digest_day = calendars[membership.school_id].on_or_after(week_of)
        if digest_day > local.date() or (digest_day - week_of).days >= 7:
            continue
        if digest_day == local.date() and local.hour < settings.REMINDER_DIGEST_HOUR:
            continue  # the digest day, before the hour: not yet
        candidates.append((membership, week_of))
    keyed = [(m, week_of, f"digest:{m.user_id}:{week_of.isoformat()}") for m, week_of in candidates]
    sent = _already_sent(ReminderKind.WEEKLY_DIGEST, ((key, m.user.email) for m, _, key in keyed))
    due: list[ReminderDue] = []
    for membership, week_of, key in keyed:
        user = membership.user
        if (key, user.email) in sent:
            continue
        today = timezone.localtime(now, zoneinfo.ZoneInfo(membership.school.time_zone)).date()
        due.append(
            ReminderDue(
                kind=ReminderKind.WEEKLY_DIGEST,
                keys=(key,),
                email=user.email,
                recipient=user,
                subject=f"Coaching this week: {membership.school.name}"
                if schools_of[user.pk] == 1
                else "Coaching this week: your schools",
                template="email/weekly_digest.txt",
                context={
                    "user": user,
                    "week_of": week_of,
                    "schools": school_dashboard(user=user, period_days=7, today=today),
                },
            )
        )
    return due


# --- Calendar ------------------------------------------------------------------------------------

# The private calendar feed (coaching.views.calendar) holds the recent past and the year ahead.
CALENDAR_PAST_DAYS = 60
CALENDAR_FUTURE_DAYS = 366
# How long an event lasts in the calendar when the row does not say.
CALENDAR_SESSION_MINUTES = 30
CALENDAR_OBSERVATION_MINUTES = 45


@dataclass(frozen=True)
class CalendarEvent:
    """One event of a calendar feed. Process data only (what, when, where, with whom): calendars
    end up in Google or Outlook, so no notes, evidence, scripts or reflections."""

    uid: str  # stable across feeds and renewals, e.g. "revisit-12"
    kind: str  # "session" | "observation" | "revisit"
    title: str  # the session kind, "Observation" or "Revisit"
    mine: bool  # the user is the teacher (else the coach of the teacher's caseload)
    teacher_id: int
    teacher: str
    coach: str  # the coach, or the observer of an observation
    move: str  # the library move's name ("" before one is agreed)
    cycle_id: int | None
    school: str
    start: datetime.datetime | datetime.date  # aware (UTC) datetime; a date for all-day events
    end: datetime.datetime | datetime.date  # exclusive
    done: bool = False
    cancelled: bool = False
    missed: bool = False

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime.datetime)


def _calendar_move(cycle: CoachingCycle | None) -> str:
    agreed = getattr(cycle, "agreed_move", None) if cycle is not None else None
    return agreed.move.name if agreed is not None else ""


def calendar_events(*, user: User, now: datetime.datetime | None = None) -> list[CalendarEvent]:
    """The events of ``user``'s calendar feed: for a teacher, their own sessions, observations
    and revisits; for a coach, those of the teachers on their caseload; both for someone who is
    both. From CALENDAR_PAST_DAYS ago to CALENDAR_FUTURE_DAYS ahead, sorted by start.

    Scoped by the access policy (what the user may READ), narrowed to their own teacher record
    and their own caseload: a principal's shared cycles, or everything a superuser may read, are
    not theirs to attend. Three queries, whatever the number of events."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    until = now + datetime.timedelta(days=CALENDAR_FUTURE_DAYS)
    caseload = CaseloadAssignment.objects.filter(coach=user, ended_on__isnull=True)
    teacher_ids = (
        teachers_for(user, READ)
        .filter(Q(user=user) | Q(id__in=caseload.values("teacher_id")))
        .values("id")
    )
    cycles = cycles_for(user, READ).filter(teacher_id__in=teacher_ids)
    in_cycle = ("cycle__teacher__school", "cycle__coach", "cycle__agreed_move__move")
    events: list[CalendarEvent] = []

    sessions = CoachingSession.objects.filter(
        Q(held_at__gte=since, held_at__lte=until)
        | Q(held_at__isnull=True, scheduled_for__gte=since, scheduled_for__lte=until),
        cycle__in=cycles,
    ).select_related(*in_cycle)
    for s in sessions:
        start = s.held_at or s.scheduled_for
        teacher = s.cycle.teacher
        minutes = s.duration_minutes or CALENDAR_SESSION_MINUTES
        events.append(
            CalendarEvent(
                uid=f"session-{s.pk}",
                kind="session",
                title=s.get_kind_display(),
                mine=teacher.user_id == user.pk,
                teacher_id=teacher.pk,
                teacher=teacher.full_name,
                coach=s.cycle.coach.display_name,
                move=_calendar_move(s.cycle),
                cycle_id=s.cycle_id,
                school=teacher.school.name,
                start=start,
                end=start + datetime.timedelta(minutes=minutes),
                done=s.held_at is not None,
            )
        )

    observations = Observation.objects.filter(
        Q(started_at__gte=since, started_at__lte=until)
        | Q(started_at__isnull=True, scheduled_for__gte=since, scheduled_for__lte=until),
        teacher_id__in=teacher_ids,
    ).select_related("teacher__school", "observer", "cycle__agreed_move__move")
    for o in observations:
        start = o.started_at or o.scheduled_for
        end = o.ended_at if o.ended_at and o.ended_at > start else None
        events.append(
            CalendarEvent(
                uid=f"observation-{o.pk}",
                kind="observation",
                title="Observation",
                mine=o.teacher.user_id == user.pk,
                teacher_id=o.teacher_id,
                teacher=o.teacher.full_name,
                coach=o.observer.display_name,
                move=_calendar_move(o.cycle),
                cycle_id=o.cycle_id,
                school=o.teacher.school.name,
                start=start,
                end=end or start + datetime.timedelta(minutes=CALENDAR_OBSERVATION_MINUTES),
                done=o.started_at is not None,
            )
        )

    first_day, last_day = since.date(), until.date()
    revisits = Revisit.objects.filter(
        Q(completed_on__gte=first_day, completed_on__lte=last_day)
        | Q(completed_on__isnull=True, due_on__gte=first_day, due_on__lte=last_day),
        cycle__in=cycles,
    ).select_related(*in_cycle)
    for r in revisits:
        day = r.completed_on or r.due_on  # a done revisit: the day it was done
        teacher = r.cycle.teacher
        events.append(
            CalendarEvent(
                uid=f"revisit-{r.pk}",
                kind="revisit",
                title="Revisit",
                mine=teacher.user_id == user.pk,
                teacher_id=teacher.pk,
                teacher=teacher.full_name,
                coach=r.cycle.coach.display_name,
                move=_calendar_move(r.cycle),
                cycle_id=r.cycle_id,
                school=teacher.school.name,
                start=day,
                end=day + datetime.timedelta(days=1),
                done=r.status == RevisitStatus.DONE,
                cancelled=r.status == RevisitStatus.CANCELLED,
                missed=r.status == RevisitStatus.MISSED,
            )
        )

    def sort_key(event: CalendarEvent) -> tuple[datetime.date, str]:
        day = event.start.date() if isinstance(event.start, datetime.datetime) else event.start
        return (day, event.uid)

    return sorted(events, key=sort_key)
