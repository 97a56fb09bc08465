"""The coach's caseload and the teacher page: one row per teacher with their open cycle, last
touch and next step; a teacher's open problems and cycle, timeline, and student evidence grouped
by framework component (only from observations the user may READ)."""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch
from django.utils import timezone

from accounts.models import User
from coaching.access import READ, observations_for, teachers_for
from coaching.models import (
    OPEN_STATES,
    CoachingCycle,
    CoachingSession,
    CycleState,
    PersistentProblem,
    Revisit,
    RevisitStatus,
)
from coaching.selectors.engagement import engagement_change
from coaching.selectors.revisits import latest_value
from frameworks.models import Component
from observations.models import Observation, StudentEvidence
from teachers.models import CaseloadAssignment, Teacher

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


def caseload_rows(*, coach: User, today: datetime.date | None = None) -> list[CaseloadRow]:
    """The coach's caseload with each teacher's open cycle, next revisit and last touch."""
    today = today or timezone.localdate()
    observed = Observation.objects.filter(teacher=OuterRef("pk"), started_at__isnull=False)
    met = CoachingSession.objects.filter(cycle__teacher=OuterRef("pk"), held_at__isnull=False)
    caseload = CaseloadAssignment.objects.filter(coach=coach, ended_on__isnull=True)
    teachers = (
        teachers_for(coach, READ)
        .filter(id__in=caseload.values("teacher_id"))
        .annotate(
            last_observed=latest_value(observed, "started_at"),
            last_met=latest_value(met, "held_at"),
        )
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


# --- Teacher timeline ----------------------------------------------------------------------------


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


# --- Student evidence by framework component -----------------------------------------------------

EvidenceTag = StudentEvidence.components.through
ITEMS_SHOWN = 5  # evidence items listed under each component on the teacher page


@dataclass
class EvidenceGroup:
    """One component and the teacher's evidence tagged with it (newest first)."""

    component: Component
    count: int = 0
    items: list[StudentEvidence] = field(default_factory=list)


def teacher_evidence_by_component(*, user: User, teacher: Teacher) -> list[EvidenceGroup]:
    """The teacher's tagged evidence grouped by component, in the framework's order, counting
    only the observations ``user`` may READ. One query."""
    tags = (
        EvidenceTag.objects.filter(
            studentevidence__observation__teacher=teacher,
            studentevidence__observation__in=observations_for(user, READ),
        )
        .select_related("component__domain", "studentevidence")
        .order_by("-studentevidence__noted_at", "-studentevidence_id")
    )
    groups: dict[int, EvidenceGroup] = {}
    for tag in tags:
        group = groups.setdefault(tag.component_id, EvidenceGroup(component=tag.component))
        group.count += 1
        if len(group.items) < ITEMS_SHOWN:
            group.items.append(tag.studentevidence)
    return sorted(
        groups.values(),
        key=lambda g: (
            g.component.domain.framework_id,
            g.component.domain.position,
            g.component.position,
            g.component.code,
        ),
    )
