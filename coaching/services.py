"""Writes for coaching cycles. Each function validates fully and saves inside a transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.models import (
    OPEN_STATES,
    AgreedMove,
    Assessment,
    CoachingCycle,
    CoachingSession,
    CycleState,
    Debrief,
    Move,
    Outcome,
    PersistentProblem,
    Revisit,
    RevisitStatus,
    SessionKind,
    TimeEntry,
)
from core.validation import validated_save
from teachers.models import School, Teacher

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
) -> AgreedMove:
    """Make a library move concrete for this cycle. A cycle has exactly one agreed move; while
    the cycle is still planned it may be replaced, afterwards it is fixed."""
    existing = AgreedMove.objects.filter(cycle=cycle).first()
    if existing and cycle.state != CycleState.PLANNED:
        raise ValidationError("The agreed move is fixed once the cycle is under way.")
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
    Revisit.objects.filter(cycle=cycle, status=RevisitStatus.SCHEDULED).update(
        status=RevisitStatus.CANCELLED
    )
    return cycle


@transaction.atomic
def session_log(
    *,
    cycle: CoachingCycle,
    kind: str,
    scheduled_for: datetime.datetime | None = None,
    held_at: datetime.datetime | None = None,
    **details,
) -> CoachingSession:
    """Record a coaching session (``details``: duration_minutes, notes and kind fields)."""
    if cycle.state == CycleState.CLOSED:
        raise ValidationError("This cycle is closed; start a new one to log sessions.")
    return validated_save(
        CoachingSession(
            cycle=cycle, kind=kind, scheduled_for=scheduled_for, held_at=held_at, **details
        )
    )


@transaction.atomic
def debrief_record(
    *,
    session: CoachingSession,
    students_showed: str,
    next_step: str,
    indicator_met: bool | None = None,
    teacher_reflection: str = "",
) -> Debrief:
    """Record what a debrief concluded; an active cycle becomes debriefed."""
    if session.kind != SessionKind.DEBRIEF:
        raise ValidationError("Only a debrief session has a debrief record.")
    debrief = validated_save(
        Debrief(
            session=session,
            students_showed=students_showed,
            next_step=next_step,
            indicator_met=indicator_met,
            teacher_reflection=teacher_reflection,
        )
    )
    if session.cycle.state == CycleState.ACTIVE:
        cycle_transition(cycle=session.cycle, to_state=CycleState.DEBRIEFED)
    return debrief


@transaction.atomic
def revisit_schedule(*, cycle: CoachingCycle, due_on: datetime.date, reason: str = "") -> Revisit:
    """Schedule the cycle's next revisit; an already scheduled one is moved to the new date."""
    if cycle.state == CycleState.CLOSED:
        raise ValidationError("A closed cycle has no revisits.")
    revisit = (
        Revisit.objects.select_for_update()
        .filter(cycle=cycle, status=RevisitStatus.SCHEDULED)
        .first()
    ) or Revisit(cycle=cycle)
    revisit.due_on = due_on
    revisit.reason = reason
    return validated_save(revisit)


@transaction.atomic
def revisit_complete(*, revisit: Revisit, completed_on: datetime.date | None = None) -> Revisit:
    if revisit.status != RevisitStatus.SCHEDULED:
        raise ValidationError("Only a scheduled revisit can be marked done.")
    revisit.status = RevisitStatus.DONE
    revisit.completed_on = completed_on or timezone.localdate()
    return validated_save(revisit)


@transaction.atomic
def revisit_mark_missed(*, revisit: Revisit) -> Revisit:
    if revisit.status != RevisitStatus.SCHEDULED:
        raise ValidationError("Only a scheduled revisit can be missed.")
    revisit.status = RevisitStatus.MISSED
    return validated_save(revisit)


@transaction.atomic
def time_entry_log(
    *,
    coach: User,
    school: School,
    minutes: int,
    category: str,
    entry_date: datetime.date | None = None,
    cycle: CoachingCycle | None = None,
    note: str = "",
) -> TimeEntry:
    return validated_save(
        TimeEntry(
            coach=coach,
            school=school,
            minutes=minutes,
            category=category,
            entry_date=entry_date or timezone.localdate(),
            cycle=cycle,
            note=note,
        )
    )
