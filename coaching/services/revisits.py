"""Revisits: scheduled by the coach or by the job (the revisit rule is coaching.selectors.revisits),
done, missed, or moved."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coaching import selectors
from coaching.models import CoachingCycle, CycleState, Revisit, RevisitStatus
from core.validation import validated_save
from teachers.school_days import school_days_by_school


@transaction.atomic
def revisit_schedule(
    *, cycle: CoachingCycle, due_on: datetime.date, reason: str = "", off_rule_reason: str = ""
) -> Revisit:
    """Schedule the cycle's next revisit; an already scheduled one is moved to the new date.
    ``off_rule_reason``: the coach's reason for a date outside the revisit window."""
    if cycle.state == CycleState.CLOSED:
        raise ValidationError("A closed cycle has no revisits.")
    revisit = (
        Revisit.objects.select_for_update()
        .filter(cycle=cycle, status=RevisitStatus.SCHEDULED)
        .first()
    ) or Revisit(cycle=cycle)
    revisit.due_on = due_on
    revisit.reason = reason
    revisit.off_rule_reason = off_rule_reason
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


@dataclass(frozen=True)
class RevisitRun:
    scheduled: int = 0
    missed: int = 0

    def as_dict(self) -> dict:
        return {"scheduled": self.scheduled, "missed": self.missed}


@transaction.atomic
def _revisit_create_from_plan(plan: selectors.RevisitPlan) -> Revisit | None:
    """Create the planned revisit unless, by now, the cycle has one or is no longer under way."""
    cycle = CoachingCycle.objects.select_for_update().get(pk=plan.cycle.pk)
    if cycle.state not in selectors.UNDER_WAY_STATES:
        return None
    if Revisit.objects.filter(cycle=cycle, status=RevisitStatus.SCHEDULED).exists():
        return None
    revisit = Revisit(cycle=cycle, due_on=plan.due_on, reason=plan.reason)
    revisit._change_reason = "Revisit job: scheduled by the revisit rule."
    return validated_save(revisit)


def revisits_schedule_due(*, now: datetime.datetime | None = None) -> RevisitRun:
    """The revisit job: revisits overdue by more than REVISIT_MISSED_AFTER_DAYS school days
    (school days of their school that have passed since the date: a break does not count) are
    recorded as missed, then every cycle under way without a scheduled revisit gets one by the
    revisit rule. Running it again creates nothing twice (and two runs at once cannot either:
    the cycle row is locked and the database allows one scheduled revisit per cycle)."""
    now = now or timezone.now()
    missed = 0
    overdue = selectors.revisits_overdue(now=now)
    calendars = school_days_by_school(
        schools={r.cycle.teacher.school_id: r.cycle.teacher.school for r in overdue}.values()
    )
    for revisit in overdue:
        school = revisit.cycle.teacher.school
        today = selectors.school_today(school, now)
        late = calendars[school.pk].count(revisit.due_on, today)
        if late > selectors.REVISIT_MISSED_AFTER_DAYS:
            with transaction.atomic():
                locked = Revisit.objects.select_for_update().get(pk=revisit.pk)
                if locked.status == RevisitStatus.SCHEDULED:
                    locked._change_reason = (
                        "Revisit job: overdue by more than "
                        f"{selectors.REVISIT_MISSED_AFTER_DAYS} school days."
                    )
                    revisit_mark_missed(revisit=locked)
                    missed += 1
    scheduled = 0
    for plan in selectors.revisits_needed(now=now):
        if _revisit_create_from_plan(plan) is not None:
            scheduled += 1
    return RevisitRun(scheduled=scheduled, missed=missed)


@transaction.atomic
def revisit_reschedule(
    *,
    revisit: Revisit,
    due_on: datetime.date,
    today: datetime.date | None = None,
    off_rule_reason: str = "",
) -> Revisit:
    """The coach moves a scheduled revisit to a school day in the revisit window (10 to 20
    school days after the last touch; from today when that has passed). A school day outside
    the window needs ``off_rule_reason``, kept on the revisit; a non-school day is refused with
    its name and the nearest school days."""
    revisit = (
        Revisit.objects.select_for_update(of=("self",))
        .select_related("cycle__teacher__school")
        .get(pk=revisit.pk)
    )
    if revisit.status != RevisitStatus.SCHEDULED:
        raise ValidationError("Only a scheduled revisit can be moved.")
    today = today or selectors.school_today(revisit.cycle.teacher.school)
    window = selectors.revisit_window_for(cycle=revisit.cycle, today=today)
    errors = selectors.revisit_date_errors(
        day=due_on,
        window=window,
        off_rule_reason=off_rule_reason,
        date_field="due_on",
        reason_field="off_rule_reason",
    )
    if errors:
        raise ValidationError(errors)
    revisit.due_on = due_on
    revisit.reason = f"Moved by the coach on {today:%d %b}."
    revisit.off_rule_reason = "" if window.contains(due_on) else off_rule_reason.strip()
    return validated_save(revisit)
