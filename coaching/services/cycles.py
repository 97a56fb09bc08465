"""A cycle's life: a persistent problem opened, the cycle started, its move agreed, its state
moved on, the cycle closed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching import selectors
from coaching.models import (
    OPEN_STATES,
    AgreedMove,
    Assessment,
    CoachingCycle,
    CycleState,
    Move,
    Outcome,
    PersistentProblem,
    Revisit,
    RevisitStatus,
)
from core.validation import validated_save
from teachers.models import Teacher
from teachers.school_days import school_days_for

# Which state a cycle may move to from each state (closing is handled by cycle_close).
_TRANSITIONS: dict[str, set[str]] = {
    CycleState.PLANNED: {CycleState.ACTIVE},
    CycleState.ACTIVE: {CycleState.DEBRIEFED},
    CycleState.DEBRIEFED: {CycleState.ACTIVE},
    CycleState.CLOSED: set(),
}


@transaction.atomic
def persistent_problem_open(
    *, teacher: Teacher, statement: str, category: str, opened_on: datetime.date | None = None
) -> PersistentProblem:
    return validated_save(
        PersistentProblem(
            teacher=teacher,
            statement=statement,
            category=category,
            opened_on=opened_on or timezone.localdate(),
        )
    )


@transaction.atomic
def cycle_start(
    *,
    teacher: Teacher,
    coach: User,
    evidence: str,
    need_area: str,
    rationale: str,
    assessed_on: datetime.date | None = None,
    persistent_problem: PersistentProblem | None = None,
) -> CoachingCycle:
    """Open a cycle from an assessment. Refused if the teacher already has an open cycle."""
    assessed_on = assessed_on or timezone.localdate()
    if CoachingCycle.objects.filter(teacher=teacher, state__in=OPEN_STATES).exists():
        raise ValidationError(
            "This teacher already has a cycle under way; close it before starting another."
        )
    assessment = validated_save(
        Assessment(
            teacher=teacher,
            coach=coach,
            assessed_on=assessed_on,
            evidence=evidence,
            need_area=need_area,
            rationale=rationale,
        )
    )
    return validated_save(
        CoachingCycle(
            teacher=teacher,
            coach=coach,
            assessment=assessment,
            persistent_problem=persistent_problem,
            opened_on=assessed_on,
        )
    )


@transaction.atomic
def agreed_move_set(
    *,
    cycle: CoachingCycle,
    move: Move,
    next_day_action: str,
    script: str,
    success_indicator: str,
    due_on: datetime.date,
    agreed_on: datetime.date | None = None,
) -> AgreedMove:
    """Make a library move concrete for this cycle. A cycle has exactly one agreed move; while
    the cycle is still planned it may be replaced, afterwards it is fixed. The move cannot be
    due before the day it is agreed (``agreed_on``, today unless recording history), and it is
    due on a school day of the teacher's school: the teacher tries it in a lesson."""
    existing = AgreedMove.objects.filter(cycle=cycle).first()
    if existing and cycle.state != CycleState.PLANNED:
        raise ValidationError("The agreed move is fixed once the cycle is under way.")
    today = agreed_on or timezone.localdate()
    if due_on < today:
        raise ValidationError({"due_on": "The due date is in the past; pick today or later."})
    school_days = school_days_for(school=cycle.teacher.school)
    refusal = selectors.school_day_refusal(day=due_on, school_days=school_days, today=today)
    if refusal:
        raise ValidationError({"due_on": refusal})
    agreed = existing or AgreedMove(cycle=cycle)
    agreed.move = move
    agreed.next_day_action = next_day_action
    agreed.script = script
    agreed.success_indicator = success_indicator
    agreed.due_on = due_on
    return validated_save(agreed)


@transaction.atomic
def cycle_transition(*, cycle: CoachingCycle, to_state: str) -> CoachingCycle:
    cycle = CoachingCycle.objects.select_for_update().get(pk=cycle.pk)
    if to_state not in _TRANSITIONS[cycle.state]:
        raise ValidationError(
            f"A {cycle.get_state_display().lower()} cycle cannot become {to_state}."
        )
    if to_state == CycleState.ACTIVE and not AgreedMove.objects.filter(cycle=cycle).exists():
        raise ValidationError("Agree on the move before the cycle starts.")
    cycle.state = to_state
    return validated_save(cycle)


@transaction.atomic
def cycle_close(
    *, cycle: CoachingCycle, outcome: str, closed_on: datetime.date | None = None
) -> CoachingCycle:
    """Close a cycle with its outcome; any scheduled revisit is cancelled."""
    cycle = CoachingCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state == CycleState.CLOSED:
        raise ValidationError("This cycle is already closed.")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Choose an outcome."})
    cycle.state = CycleState.CLOSED
    cycle.outcome = outcome
    cycle.closed_on = closed_on or timezone.localdate()
    validated_save(cycle)
    # Saved one by one (at most one is scheduled), so the cancellation is in its history.
    for revisit in Revisit.objects.select_for_update().filter(
        cycle=cycle, status=RevisitStatus.SCHEDULED
    ):
        revisit.status = RevisitStatus.CANCELLED
        revisit._change_reason = "The cycle was closed."
        validated_save(revisit)
    return cycle
