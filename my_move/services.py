"""Writes of the teacher's side: a reflection before a debrief, and sharing a cycle with the
principal. Only the cycle's own teacher may make either."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from coaching import selectors
from coaching.models import CoachingCycle, Reflection
from core.validation import validated_save

_NOT_YOUR_CYCLE = "Only the teacher of this cycle may do this."


@transaction.atomic
def reflection_submit(
    *,
    user: User,
    cycle: CoachingCycle,
    students_did: str,
    indicator_seen: str,
    would_change: str,
    engaged_count: int | None = None,
    present_count: int | None = None,
) -> Reflection:
    """The teacher answers the reflection prompts before a debrief, or changes the answers
    until that debrief is held. The reflection prepares the cycle's next scheduled debrief;
    with none scheduled it waits for the next one. Only the cycle's own teacher may reflect,
    on an open cycle with an agreed move. Saving marks the cycle's context brief stale
    (coaching.receivers), so the coach reads the answers in the brief."""
    cycle = (
        CoachingCycle.objects.select_for_update(of=("self",))
        .select_related("teacher__school")
        .get(pk=cycle.pk)
    )
    if cycle.teacher.user_id is None or cycle.teacher.user_id != user.pk:
        raise PermissionDenied(_NOT_YOUR_CYCLE)
    if not cycle.is_open:
        raise ValidationError("This cycle is closed: its reflections no longer change.")
    agreed = getattr(cycle, "agreed_move", None)
    if agreed is None:
        raise ValidationError("There is no agreed move to reflect on yet.")
    if not selectors.reflection_possible(cycle=cycle, school=cycle.teacher.school):
        raise ValidationError(f"Reflect once you have tried the move (from {agreed.due_on:%d %b}).")
    next_debrief = selectors.cycle_next_debrief(cycle=cycle)
    reflection = None
    if next_debrief is not None:
        reflection = Reflection.objects.filter(session=next_debrief).first()
    if reflection is None:
        reflection = Reflection.objects.filter(cycle=cycle, session__isnull=True).first()
    if reflection is None:
        reflection = Reflection(cycle=cycle)
    if reflection.session_id is None and next_debrief is not None:
        reflection.session = next_debrief
    reflection.students_did = students_did
    reflection.indicator_seen = indicator_seen
    reflection.would_change = would_change
    reflection.engaged_count = engaged_count
    reflection.present_count = present_count
    return validated_save(reflection)


@transaction.atomic
def cycle_share_set(*, user: User, cycle: CoachingCycle, shared: bool) -> CoachingCycle:
    """The teacher shares a cycle's record with their principal, or takes it back. Without it
    a principal sees process figures only (coaching.access READ). Only the cycle's own teacher
    may; the change is kept in the cycle's history."""
    cycle = (
        CoachingCycle.objects.select_for_update(of=("self",))
        .select_related("teacher")
        .get(pk=cycle.pk)
    )
    if cycle.teacher.user_id is None or cycle.teacher.user_id != user.pk:
        raise PermissionDenied(_NOT_YOUR_CYCLE)
    if cycle.shared_with_principal == shared:
        return cycle
    cycle.shared_with_principal = shared
    return validated_save(cycle)
