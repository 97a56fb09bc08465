"""Reflections: a teacher's reflection is filed under the debrief it prepares."""

from coaching.models import CoachingSession, Reflection
from core.validation import validated_save


def reflection_attach_pending(*, session: CoachingSession) -> None:
    """A debrief is being scheduled or recorded: the reflection that waited for a debrief
    (written when none was scheduled) prepares this one; once it is held, the reflection no
    longer changes. A reflection written after the debrief was held (one recorded late) is for
    the next debrief: it waits."""
    if Reflection.objects.filter(session=session).exists():
        return
    pending = Reflection.objects.filter(cycle_id=session.cycle_id, session__isnull=True)
    if session.held_at is not None:
        pending = pending.filter(submitted_at__lte=session.held_at)
    pending = pending.first()
    if pending is not None:
        pending.session = session
        validated_save(pending)
