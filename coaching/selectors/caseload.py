"""A coach's caseload: one row per teacher with their open cycle, last touch and next step."""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from accounts.models import User
from coaching.access import READ, teachers_for
from coaching.models import (
    OPEN_STATES,
    CoachingCycle,
    CoachingSession,
    CycleState,
    Revisit,
    RevisitStatus,
)
from observations.models import Observation
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


def latest_value(qs, field_name: str) -> Subquery:
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
