"""The support plan: practice before the try, the observation scheduled, started and finished."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coaching import selectors
from coaching.models import (
    CoachingCycle,
    CoachingSession,
    CycleState,
    NeedArea,
    Revisit,
    RevisitStatus,
    SessionKind,
)
from coaching.services.cycles import cycle_transition
from coaching.services.revisits import revisit_complete
from coaching.services.sessions import session_log
from coaching.services.time_entries import time_entry_sync_for_observation
from observations.models import Observation
from observations.services import observation_finish, observation_schedule, observation_start
from teachers.school_days import school_days_for

# The support each need area calls for (docs/design.md): which sessions a plan proposes, in order.
# The support trajectory of each need area, in the order it happens around the try (the first
# observation): practice before it, the review and the debrief after (selectors.PLAN_SLOTS).
SUPPORT_PLANS: dict[str, tuple[str, ...]] = {
    NeedArea.PLANNING: (SessionKind.CO_PLANNING, SessionKind.DEBRIEF),
    NeedArea.DELIVERY: (
        SessionKind.MODEL_LESSON,
        SessionKind.REHEARSAL,
        SessionKind.REAL_TIME_COACHING,
        SessionKind.DEBRIEF,
    ),
    NeedArea.PROGRESS_MONITORING: (
        SessionKind.CO_PLANNING,
        SessionKind.DATA_REVIEW,
        SessionKind.DEBRIEF,
    ),
}


@transaction.atomic
def cycle_plan_support(
    *,
    cycle: CoachingCycle,
    sessions: list[tuple[str, datetime.datetime] | tuple[str, datetime.datetime, bool]],
    observation_at: datetime.datetime | None = None,
) -> list[CoachingSession]:
    """Schedule the support sessions of a cycle's plan: (kind, when) or (kind, when,
    is_follow_up). Practice comes before the first observation (``observation_at``, else the
    cycle's first observation) unless marked a follow-up, and the debrief within two school
    days after it (selectors.support_plan_order_errors); errors are keyed by session kind."""
    if not sessions:
        raise ValidationError("Plan at least one support session.")
    rows = [(s[0], s[1], bool(s[2]) if len(s) > 2 else False) for s in sessions]
    if any(when < timezone.now() - datetime.timedelta(hours=1) for _, when, _ in rows):
        raise ValidationError("Support sessions are planned for now or later.")
    school = cycle.teacher.school
    errors = selectors.support_plan_order_errors(
        sessions=rows,
        observation_at=observation_at or selectors.cycle_first_observation_at(cycle=cycle),
        school_days=school_days_for(school=school),
        tz=zoneinfo.ZoneInfo(school.time_zone),
    )
    if errors:
        raise ValidationError(errors)
    return [
        session_log(
            cycle=cycle,
            kind=kind,
            scheduled_for=when,
            is_follow_up=follow_up and kind in selectors.PRACTICE_KINDS,
        )
        for kind, when, follow_up in rows
    ]


@transaction.atomic
def cycle_schedule_observation(
    *, cycle: CoachingCycle, scheduled_for: datetime.datetime, focus: str = ""
) -> Observation:
    """Schedule a classroom visit in this cycle, with the cycle's coach as observer."""
    if cycle.state == CycleState.CLOSED:
        raise ValidationError("This cycle is closed.")
    if scheduled_for < timezone.now() - datetime.timedelta(hours=1):
        raise ValidationError({"scheduled_for": "Schedule the observation for now or later."})
    return observation_schedule(
        teacher=cycle.teacher,
        observer=cycle.coach,
        scheduled_for=scheduled_for,
        cycle_id=cycle.pk,
        focus=focus,
    )


@transaction.atomic
def cycle_observation_start(*, observation: Observation) -> Observation:
    """Start a visit. The cycle is under way from its first visit (planned or debriefed ->
    active), once the move is agreed; after a debrief, this visit is the revisit, now done."""
    if observation.cycle is not None and observation.cycle.state == CycleState.CLOSED:
        raise ValidationError("This cycle is closed; start a new cycle to observe again.")
    if observation.started_at is not None:
        return observation  # a resubmitted form: nothing changes
    observation = observation_start(observation=observation)
    cycle = observation.cycle
    if cycle is not None and cycle.state == CycleState.DEBRIEFED:
        # The follow-up visit after a debrief is the revisit: it is done when the visit starts.
        for revisit in Revisit.objects.filter(cycle=cycle, status=RevisitStatus.SCHEDULED):
            revisit_complete(
                revisit=revisit, completed_on=timezone.localdate(observation.started_at)
            )
    if cycle is not None and cycle.state in (CycleState.PLANNED, CycleState.DEBRIEFED):
        cycle_transition(cycle=cycle, to_state=CycleState.ACTIVE)
    return observation


@transaction.atomic
def cycle_observation_finish(
    *, observation: Observation, ended_at: datetime.datetime | None = None
) -> Observation:
    """End a visit; its length counts as observation time. Finishing a finished visit again
    changes nothing unless ``ended_at`` is given (a correction)."""
    if observation.started_at is None:
        raise ValidationError("Start the observation before finishing it.")
    if observation.ended_at is not None and ended_at is None:
        return observation
    observation = observation_finish(observation=observation, ended_at=ended_at)
    time_entry_sync_for_observation(observation)
    return observation
