"""The debrief: its record, and what it decides (continue with a revisit, mastered, or close)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coaching import selectors
from coaching.models import (
    CoachingCycle,
    CoachingSession,
    CycleState,
    Debrief,
    Outcome,
    SessionKind,
)
from coaching.services.cycles import cycle_close, cycle_transition
from coaching.services.reflections import reflection_attach_pending
from coaching.services.revisits import revisit_schedule
from coaching.services.time_entries import time_entry_sync_for_session
from core.validation import validated_save


@transaction.atomic
def debrief_record(
    *,
    session: CoachingSession,
    students_showed: str,
    next_step: str,
    indicator_met: bool | None = None,
    teacher_reflection: str = "",
) -> Debrief:
    """Record what a debrief concluded; an active cycle becomes debriefed. A reflection the
    teacher wrote while no debrief was planned is attached to this one (and no longer changes)."""
    if session.kind != SessionKind.DEBRIEF:
        raise ValidationError("Only a debrief session has a debrief record.")
    reflection_attach_pending(session=session)
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


class DebriefDecision:
    CONTINUE = "continue"
    MASTERED = "mastered"
    CLOSE = "close"
    CHOICES = (
        (CONTINUE, "Continue: schedule the revisit"),
        (MASTERED, "Mastered: close the cycle"),
        (CLOSE, "Close without mastery"),
    )


@transaction.atomic
def debrief_conclude(
    *,
    cycle: CoachingCycle,
    students_showed: str,
    next_step: str,
    decision: str,
    indicator_met: bool | None = None,
    teacher_reflection: str = "",
    revisit_due_on: datetime.date | None = None,
    revisit_off_rule_reason: str = "",
    outcome: str = "",
    held_at: datetime.datetime | None = None,
    duration_minutes: int | None = None,
) -> Debrief:
    """Hold the debrief: record what students showed, whether the indicator was met, ONE next
    step and the teacher's reflection, then continue or close. Continuing schedules the revisit
    on a school day in the window (10 to 20 school days after this debrief, see
    selectors.revisit_window); a school day outside it needs ``revisit_off_rule_reason``, which
    is kept on the revisit."""
    cycle = CoachingCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state != CycleState.ACTIVE:
        raise ValidationError("Debrief after the move has been observed (an active cycle).")
    errors: dict[str, str] = {}
    school = cycle.teacher.school
    today = selectors.school_today(school)
    held_on = selectors.school_date(held_at, school) if held_at else today
    window = None
    if decision == DebriefDecision.CONTINUE:
        if revisit_due_on is None:
            errors["revisit_due_on"] = "Pick the date of the revisit."
        elif revisit_due_on <= held_on:
            errors["revisit_due_on"] = "Pick a day after the debrief."
        else:
            window = selectors.revisit_window_for(
                cycle=cycle, today=today, last_touch=max(held_on, today)
            )
            errors.update(
                selectors.revisit_date_errors(
                    day=revisit_due_on,
                    window=window,
                    off_rule_reason=revisit_off_rule_reason,
                    date_field="revisit_due_on",
                    reason_field="revisit_off_rule_reason",
                )
            )
    elif decision == DebriefDecision.CLOSE:
        if outcome not in (Outcome.PROGRESSING, Outcome.NOT_YET, Outcome.ABANDONED):
            errors["outcome"] = "Choose how the cycle ends: progressing, not yet or abandoned."
    elif decision != DebriefDecision.MASTERED:
        errors["decision"] = "Choose whether to continue, mark mastered or close."
    if errors:
        raise ValidationError(errors)
    # Hold the debrief the plan scheduled, if there is one, rather than adding another.
    session = (
        cycle.sessions.filter(kind=SessionKind.DEBRIEF, held_at__isnull=True)
        .order_by("scheduled_for")
        .first()
    ) or CoachingSession(cycle=cycle, kind=SessionKind.DEBRIEF)
    session.held_at = held_at or timezone.now()
    session.duration_minutes = duration_minutes
    validated_save(session)
    time_entry_sync_for_session(session)
    debrief = debrief_record(
        session=session,
        students_showed=students_showed,
        next_step=next_step,
        indicator_met=indicator_met,
        teacher_reflection=teacher_reflection,
    )
    cycle.refresh_from_db()
    if decision == DebriefDecision.CONTINUE:
        revisit_schedule(
            cycle=cycle,
            due_on=revisit_due_on,
            reason=f"Chosen at the debrief of {timezone.localdate(session.held_at):%d %b}.",
            off_rule_reason=""
            if window is not None and window.contains(revisit_due_on)
            else revisit_off_rule_reason.strip(),
        )
    else:
        cycle_close(
            cycle=cycle,
            outcome=Outcome.MASTERED if decision == DebriefDecision.MASTERED else outcome,
        )
    return debrief
