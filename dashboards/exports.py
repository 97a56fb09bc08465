"""Reads for the CSV exports (dashboards.views.exports): cycles, observations and time entries of
a period, within what the user may see.

Exports hold process data only (coaching.access ``VIEW``): dates, states, outcomes, need area,
the library move's name, teacher, school, coach, counts and minutes. No confidential text at
all (notes, evidence, scripts, next-day actions, success indicators, reflections, the
observation's focus, persistent-problem statements, time-entry notes), not even for the rows the
user may read: the rows are read with ``values_list`` of the columns below, so no such text is
ever fetched. Engagement counts are evidence too: an observation's row counts its sweeps, notes
and evidence, it does not give them.

Who gets which rows:

- cycles and observations: ``cycles_for`` / ``observations_for`` with ``VIEW`` (a coach's
  caseload, a teacher's own, a leader's schools);
- time entries: the user's own, and, for principals, district leaders and administrators, the
  entries of the coaches (active coach role at the entry's school) at the schools they lead:
  exactly the entries the dashboards count. Teachers export no time. Archived entries never.

Each export is one query for its rows (observations: two, the first finds the schools' time
zones), whatever the number of rows; rows are read in chunks as the CSV is sent.
"""

import datetime
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from coaching.access import (
    LEADER_ROLES,
    VIEW,
    cycles_for,
    observations_for,
    schools_for,
    time_entries_for,
)
from coaching.models import (
    DIRECT_CATEGORIES,
    CoachingSession,
    CycleState,
    NeedArea,
    Outcome,
    Revisit,
    RevisitStatus,
    TimeCategory,
)
from dashboards.selectors.school import on_school_dates, zone_schools
from observations.models import EngagementSample, Observation, ObservationNote, StudentEvidence
from teachers.models import Role, School
from teachers.selectors import user_roles

# A longer period is a slip of the finger or a bulk copy (the JSON API is for that): two years,
# e.g. two school years side by side.
EXPORT_MAX_DAYS = 731
SCHOOL_YEAR_FIRST_MONTH = 8  # a school year runs from 1 August to 31 July
ROWS_PER_CHUNK = 500


class ExportKind(TextChoices):
    CYCLES = "cycles", "Coaching cycles"
    OBSERVATIONS = "observations", "Observations"
    TIME_ENTRIES = "time_entries", "Time entries"


class PeriodPreset(TextChoices):
    CUSTOM = "custom", "Custom: the dates below"
    THIS_MONTH = "this_month", "This month"
    LAST_MONTH = "last_month", "Last month"
    THIS_SCHOOL_YEAR = "this_school_year", "This school year (from 1 August)"
    LAST_SCHOOL_YEAR = "last_school_year", "Last school year"


TIME_ROLES = (Role.COACH, *LEADER_ROLES)


def preset_period(preset: str, *, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a preset period (both included) around ``today``."""
    if preset == PeriodPreset.THIS_MONTH:
        first = today.replace(day=1)
        return first, _month_end(first)
    if preset == PeriodPreset.LAST_MONTH:
        last = today.replace(day=1) - datetime.timedelta(days=1)
        return last.replace(day=1), last
    year = today.year if today.month >= SCHOOL_YEAR_FIRST_MONTH else today.year - 1
    if preset == PeriodPreset.LAST_SCHOOL_YEAR:
        year -= 1
    elif preset != PeriodPreset.THIS_SCHOOL_YEAR:
        raise ValueError(f"Unknown period: {preset!r}.")
    first = datetime.date(year, SCHOOL_YEAR_FIRST_MONTH, 1)
    return first, datetime.date(year + 1, SCHOOL_YEAR_FIRST_MONTH, 1) - datetime.timedelta(days=1)


def _month_end(first: datetime.date) -> datetime.date:
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    return following - datetime.timedelta(days=1)


def export_kinds(*, user: User) -> list[str]:
    """What the user may export: cycles and observations with any role (a teacher their own),
    time entries with a coach or leader role. One query (none if the roles are known)."""
    if user.is_active and user.is_superuser:
        return list(ExportKind.values)
    roles = user_roles(user=user)
    if not roles:
        return []
    kinds = [ExportKind.CYCLES.value, ExportKind.OBSERVATIONS.value]
    if roles & set(TIME_ROLES):
        kinds.append(ExportKind.TIME_ENTRIES.value)
    return kinds


def export_schools(*, user: User) -> QuerySet[School]:
    """The schools an export can be narrowed to: where the user coaches or leads, by name."""
    return schools_for(user, TIME_ROLES).order_by("name")


@dataclass(frozen=True)
class Export:
    """A CSV to send: its file name, column names and rows (a lazy iterator)."""

    filename: str
    header: list[str]
    rows: Iterator[list]


# --- Helpers -------------------------------------------------------------------------------------

STATE_LABELS = dict(CycleState.choices)
OUTCOME_LABELS = dict(Outcome.choices)
NEED_LABELS = dict(NeedArea.choices)
CATEGORY_LABELS = dict(TimeCategory.choices)


def _name(first: str, last: str, username: str = "") -> str:
    """As ``User.display_name`` and ``Teacher.full_name`` show a person."""
    return f"{first} {last}".strip() or username


def _count(queryset: QuerySet, to: str) -> Coalesce:
    """The number of rows of ``queryset`` whose ``to`` is the outer row (a subquery)."""
    counted = queryset.filter(**{to: OuterRef("pk")}).order_by().values(to).annotate(n=Count("id"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def _in_school(field: str, school: School | None) -> Q:
    return Q() if school is None else Q(**{field: school.pk})


def _rows(queryset: QuerySet) -> Iterator[tuple]:
    return queryset.iterator(chunk_size=ROWS_PER_CHUNK)


# --- Cycles --------------------------------------------------------------------------------------

CYCLE_HEADER = [
    "Cycle",
    "School",
    "Teacher",
    "Coach",
    "Need area",
    "Move",
    "State",
    "Outcome",
    "Opened",
    "Closed",
    "Move due",
    "Sessions held",
    "Observations done",
    "Revisits done",
]


def export_cycles(
    *, user: User, start: datetime.date, end: datetime.date, school: School | None = None
) -> Iterator[list]:
    """The cycles the user may see that ran during the period: opened on or before its last
    day and not closed before its first; oldest first."""
    cycles = (
        cycles_for(user, VIEW)
        .filter(Q(opened_on__lte=end), Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .filter(_in_school("teacher__school_id", school))
        .annotate(
            sessions_held=_count(CoachingSession.objects.filter(held_at__isnull=False), "cycle"),
            observations_done=_count(Observation.objects.filter(started_at__isnull=False), "cycle"),
            revisits_done=_count(Revisit.objects.filter(status=RevisitStatus.DONE), "cycle"),
        )
        .order_by("opened_on", "id")
        .values_list(
            "id",
            "teacher__school__name",
            "teacher__first_name",
            "teacher__last_name",
            "coach__first_name",
            "coach__last_name",
            "coach__username",
            "assessment__need_area",
            "agreed_move__move__name",
            "state",
            "outcome",
            "opened_on",
            "closed_on",
            "agreed_move__due_on",
            "sessions_held",
            "observations_done",
            "revisits_done",
        )
    )
    for (
        cycle_id,
        school_name,
        t_first,
        t_last,
        c_first,
        c_last,
        c_username,
        need_area,
        move,
        state,
        outcome,
        opened_on,
        closed_on,
        due_on,
        sessions_held,
        observations_done,
        revisits_done,
    ) in _rows(cycles):
        yield [
            cycle_id,
            school_name,
            _name(t_first, t_last),
            _name(c_first, c_last, c_username),
            NEED_LABELS.get(need_area, ""),
            move or "",
            STATE_LABELS.get(state, state),
            OUTCOME_LABELS.get(outcome, ""),
            opened_on,
            closed_on,
            due_on,
            sessions_held,
            observations_done,
            revisits_done,
        ]


# --- Observations --------------------------------------------------------------------------------

OBSERVATION_HEADER = [
    "Observation",
    "School",
    "Teacher",
    "Observer",
    "Cycle",
    "Need area",
    "Move",
    "Date",
    "Start time",
    "End time",
    "Minutes",
    "Status",
    "Notes",
    "Student evidence",
    "Engagement sweeps",
]


def _observation_status(started_at, ended_at) -> str:
    if ended_at is not None:
        return "Finished"
    return "Started" if started_at is not None else "Scheduled"


def export_observations(
    *, user: User, start: datetime.date, end: datetime.date, school: School | None = None
) -> Iterator[list]:
    """The observations the user may see whose visit (its start, or the time it is planned
    for) falls on a date of the period at the teacher's school; oldest first. Dates and times
    in the school's time zone."""
    visible = observations_for(user, VIEW).filter(_in_school("teacher__school_id", school))
    zones = zone_schools(
        list(School.objects.filter(id__in=visible.values("teacher__school_id")).order_by("id"))
    )
    if not zones:
        return
    observations = (
        visible.annotate(when=Coalesce("started_at", "scheduled_for"))
        .filter(on_school_dates("when", "teacher__school_id", zones, start, end))
        .annotate(
            notes_count=_count(ObservationNote.objects.all(), "observation"),
            evidence_count=_count(StudentEvidence.objects.all(), "observation"),
            sweeps_count=_count(EngagementSample.objects.all(), "observation"),
        )
        .order_by("when", "id")
        .values_list(
            "id",
            "teacher__school__name",
            "teacher__school__time_zone",
            "teacher__first_name",
            "teacher__last_name",
            "observer__first_name",
            "observer__last_name",
            "observer__username",
            "cycle_id",
            "cycle__assessment__need_area",
            "cycle__agreed_move__move__name",
            "when",
            "started_at",
            "ended_at",
            "notes_count",
            "evidence_count",
            "sweeps_count",
        )
    )
    for (
        observation_id,
        school_name,
        time_zone,
        t_first,
        t_last,
        o_first,
        o_last,
        o_username,
        cycle_id,
        need_area,
        move,
        when,
        started_at,
        ended_at,
        notes_count,
        evidence_count,
        sweeps_count,
    ) in _rows(observations):
        zone = zoneinfo.ZoneInfo(time_zone)
        local = timezone.localtime(when, zone)
        minutes = (
            round((ended_at - started_at).total_seconds() / 60)
            if started_at is not None and ended_at is not None
            else None
        )
        yield [
            observation_id,
            school_name,
            _name(t_first, t_last),
            _name(o_first, o_last, o_username),
            cycle_id,
            NEED_LABELS.get(need_area or "", ""),
            move or "",
            local.date(),
            local.strftime("%H:%M"),
            timezone.localtime(ended_at, zone).strftime("%H:%M") if ended_at else None,
            minutes,
            _observation_status(started_at, ended_at),
            notes_count,
            evidence_count,
            sweeps_count,
        ]


# --- Time entries --------------------------------------------------------------------------------

TIME_ENTRY_HEADER = [
    "Date",
    "School",
    "Coach",
    "Category",
    "Direct",
    "Minutes",
    "Hours",
    "Logged by",
]


def _source(session_id: int | None, observation_id: int | None) -> str:
    if session_id:
        return "Session"
    return "Observation" if observation_id else "By hand"


def export_time_entries(
    *, user: User, start: datetime.date, end: datetime.date, school: School | None = None
) -> Iterator[list]:
    """The time entries of the period (their dates are school dates), oldest first."""
    entries = (
        time_entries_for(user, VIEW)
        .filter(entry_date__range=(start, end))
        .filter(_in_school("school_id", school))
        .order_by("entry_date", "id")
        .values_list(
            "entry_date",
            "school__name",
            "coach__first_name",
            "coach__last_name",
            "coach__username",
            "category",
            "minutes",
            "session_id",
            "observation_id",
        )
    )
    for (
        entry_date,
        school_name,
        c_first,
        c_last,
        c_username,
        category,
        minutes,
        session_id,
        observation_id,
    ) in _rows(entries):
        yield [
            entry_date,
            school_name,
            _name(c_first, c_last, c_username),
            CATEGORY_LABELS.get(category, category),
            category in DIRECT_CATEGORIES,
            minutes,
            round(minutes / 60, 2),
            _source(session_id, observation_id),
        ]


# --- One export ----------------------------------------------------------------------------------

EXPORTS = {
    ExportKind.CYCLES: (CYCLE_HEADER, export_cycles),
    ExportKind.OBSERVATIONS: (OBSERVATION_HEADER, export_observations),
    ExportKind.TIME_ENTRIES: (TIME_ENTRY_HEADER, export_time_entries),
}


def export_for(
    *,
    user: User,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    school: School | None = None,
) -> Export:
    """The export of ``kind`` for the period (both days included), optionally one school.
    ``kind`` must be one of ``export_kinds(user=user)`` (the form checks it); the rows are
    scoped by the user in any case."""
    if start > end:
        raise ValueError("The period must start on or before its end.")
    header, rows = EXPORTS[ExportKind(kind)]
    where = f"-{school.name}" if school else ""
    return Export(
        filename=f"{kind}{where}-{start.isoformat()}-to-{end.isoformat()}",
        header=header,
        rows=rows(user=user, start=start, end=end, school=school),
    )
