"""The school dashboard: figures per coach and per school over a period, in fixed queries."""

import bisect
import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import Case, Count, DateField, F, IntegerField, Min, Q, QuerySet, Sum, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from coaching.access import LEADER_ROLES, schools_for
from coaching.models import (
    DIRECT_CATEGORIES,
    OPEN_STATES,
    CoachingCycle,
    CoachingSession,
    CycleState,
    NeedArea,
    Outcome,
    Revisit,
    RevisitStatus,
    TimeEntry,
)
from coaching.selectors.percentages import pct, percent_of_sql, share
from coaching.selectors.school_dates import school_today
from dashboards.selectors.capacity import Capacity, capacity_for
from dashboards.selectors.filters import (
    CADENCE_SCHOOL_DAYS,
    CAPACITY_LOOKBACK_DAYS,
    DASHBOARD_DAYS,
    DIRECT_TARGET_PCT,
    PROGRESS_OUTCOMES,
    DashboardFilters,
)
from observations.models import Observation, Phase
from teachers.models import CaseloadAssignment, Membership, Role, School
from teachers.school_days import SchoolDays, school_days_by_school


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
        return share(self.progressed, self.closed_total)

    @property
    def need_area_mix(self) -> list[tuple[str, str, int]]:
        """(need area, label, open cycles) for every need area, in their own order."""
        return [(a.value, a.label, self.need_areas.get(a.value, 0)) for a in NeedArea]

    @property
    def cadence_kept(self) -> float | None:
        return share(self.cadence_touched, self.cadence_caseload)

    @property
    def cadence_pct(self) -> int | None:
        return pct(self.cadence_kept)

    @property
    def cadence_weekly(self) -> list[float | None]:
        return [share(touched, caseload) for touched, caseload in self.cadence_weekly_counts]

    @property
    def engagement_change(self) -> float | None:
        """Mean change in engagement after the move, in percentage points."""
        if not self.engagement_observations:
            return None
        return self.engagement_points_sum / self.engagement_observations

    @property
    def direct_share(self) -> float | None:
        return share(self.minutes_direct, self.minutes_total)

    @property
    def direct_pct(self) -> int | None:
        return pct(self.direct_share)

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


def coach_q(prefix: str, coach_id: int | None) -> Q:
    return Q() if coach_id is None else Q(**{prefix: coach_id})


def need_q(prefix: str, need_area: str | None) -> Q:
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


def zone_schools(schools: list[School]) -> dict[zoneinfo.ZoneInfo, list[int]]:
    """The schools' ids by time zone."""
    zones: dict[zoneinfo.ZoneInfo, list[int]] = defaultdict(list)
    for school in schools:
        zones[zoneinfo.ZoneInfo(school.time_zone)].append(school.id)
    return dict(zones)


def on_school_dates(
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
    zones = zone_schools(schools)
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
        .filter(coach_q("user_id", coach_id))
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
        .filter(coach_q("coach_id", coach_id))
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
        .filter(coach_q("coach_id", coach_id), need_q("assessment__need_area", need_area))
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
            coach_q("cycle__coach_id", coach_id),
            need_q("cycle__assessment__need_area", need_area),
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
        .filter(coach_q("coach_id", coach_id))
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
    in_period = Q(cycle__closed_on__range=period) & need_q(
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
        .filter(coach_q("coach_id", coach_id))
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
    def phase_percent(phase: str):
        sample = Q(engagement_samples__phase=phase)
        return percent_of_sql(
            Sum("engagement_samples__engaged_count", filter=sample, output_field=IntegerField()),
            Sum("engagement_samples__present_count", filter=sample, output_field=IntegerField()),
        )

    observations = (
        Observation.objects.filter(
            on_school_dates("started_at", "cycle__teacher__school_id", zones, start, end)
        )
        .filter(
            coach_q("cycle__coach_id", coach_id),
            need_q("cycle__assessment__need_area", need_area),
        )
        # Only observations with sweeps (an inner join that the sums below reuse).
        .filter(engagement_samples__phase__in=(Phase.BEFORE_MOVE, Phase.AFTER_MOVE))
        .values("id", "cycle__teacher__school_id", "cycle__coach_id")
        .annotate(points=phase_percent(Phase.AFTER_MOVE) - phase_percent(Phase.BEFORE_MOVE))
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
