"""A teacher's timeline: every touch of every cycle, newest first."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from coaching.models import CoachingSession
from coaching.selectors.engagement import engagement_change
from observations.models import Observation
from teachers.models import Teacher

# --- Teacher timeline, revisits, the cycle page and the context brief ----------------------------


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
