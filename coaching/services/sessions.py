"""Coaching sessions: logged, and changed (a debrief is held on its own page)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from coaching.models import CoachingCycle, CoachingSession, CycleState, Debrief, SessionKind
from coaching.services.briefs import context_brief_enqueue_for_debrief
from coaching.services.reflections import reflection_attach_pending
from coaching.services.time_entries import time_entry_sync_for_session
from core.validation import validated_save

_DEBRIEF_ON_ITS_PAGE = "A debrief is held on the debrief page, where its record is made."


@transaction.atomic
def session_log(
    *,
    cycle: CoachingCycle,
    kind: str,
    scheduled_for: datetime.datetime | None = None,
    held_at: datetime.datetime | None = None,
    **details,
) -> CoachingSession:
    """Record a coaching session (``details``: duration_minutes, notes and kind fields). A held
    debrief session is followed by its ``debrief_record``; ``debrief_conclude`` does both. A
    debrief scheduled while the teacher's reflection waits for one (none was scheduled when it
    was written) is the debrief that reflection prepares."""
    if cycle.state == CycleState.CLOSED:
        raise ValidationError("This cycle is closed; start a new one to log sessions.")
    session = validated_save(
        CoachingSession(
            cycle=cycle, kind=kind, scheduled_for=scheduled_for, held_at=held_at, **details
        )
    )
    if kind == SessionKind.DEBRIEF and held_at is None and scheduled_for is not None:
        reflection_attach_pending(session=session)
    time_entry_sync_for_session(session)
    context_brief_enqueue_for_debrief(session=session)
    return session


SESSION_FIELDS = frozenset(
    {
        "scheduled_for",
        "held_at",
        "duration_minutes",
        "notes",
        "questions_scripted",
        "anticipated_responses",
        "practised",
        "rounds",
        "feedback_given",
        "exit_slips_meeting_pct",
        "misconceptions",
        "next_instructional_step",
    }
)


@transaction.atomic
def session_update(*, session: CoachingSession, **fields) -> CoachingSession:
    """Record what happened in a planned session, or correct a logged one (history keeps the
    earlier values); its time entry follows."""
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise ValueError(f"Not session fields: {', '.join(sorted(unknown))}")
    held_without_record = (
        session.kind == SessionKind.DEBRIEF
        and fields.get("held_at") is not None
        and not Debrief.objects.filter(session=session).exists()
    )
    if held_without_record:
        raise ValidationError({"held_at": _DEBRIEF_ON_ITS_PAGE})
    rescheduled = "scheduled_for" in fields and fields["scheduled_for"] != session.scheduled_for
    for name, value in fields.items():
        setattr(session, name, value)
    validated_save(session)
    time_entry_sync_for_session(session)
    if rescheduled:
        context_brief_enqueue_for_debrief(session=session)
    return session
