"""Reads of the teacher's side: My move, and the teacher's own cycles (a cycle of another
teacher is a 404)."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from coaching.access import READ, cycles_for, teachers_for
from coaching.models import (
    OPEN_STATES,
    AgreedMove,
    CoachingCycle,
    CoachingSession,
    CycleState,
    Debrief,
    Reflection,
    Revisit,
    RevisitStatus,
    SessionKind,
)
from coaching.selectors.briefs import cycle_next_debrief, cycle_overview
from coaching.selectors.engagement import EngagementChange, engagement_change
from coaching.selectors.reflections import reflection_current, reflection_possible
from observations.models import Observation
from teachers.models import Teacher


@dataclass(frozen=True)
class MyMove:
    teacher: Teacher
    cycle: CoachingCycle | None
    next_revisit: Revisit | None
    next_observation: Observation | None
    earlier_cycles: list[CoachingCycle]
    next_debrief: CoachingSession | None = None
    reflection: Reflection | None = None
    may_reflect: bool = False  # reflection_possible for the cycle under way
    # The latest next step agreed at a held debrief (its session: the date and which debrief)
    # of the cycle under way, or, with none under way, of the latest cycle.
    latest_step: Debrief | None = None
    # The cycle's next scheduled support session other than a debrief (rehearsal, co-planning...)
    next_session: CoachingSession | None = None


def my_move(*, user: User) -> MyMove | None:
    """The signed-in teacher's agreed move, the latest next step agreed at a debrief, the next
    visit, session and debrief and the reflection that prepares it, and earlier cycles with
    their outcomes. Eight queries, whatever the number of cycles."""
    teacher = teachers_for(user, READ).filter(user=user).select_related("school").first()
    if teacher is None:
        return None
    cycles = list(
        cycles_for(user, READ)
        .filter(teacher=teacher)
        .select_related("assessment", "agreed_move__move", "persistent_problem")
        .order_by("-opened_on", "-id")
    )
    current = next((c for c in cycles if c.state in OPEN_STATES), None)
    now = timezone.now()
    next_revisit = (
        Revisit.objects.filter(cycle=current, status=RevisitStatus.SCHEDULED).first()
        if current
        else None
    )
    next_observation = (
        Observation.objects.filter(teacher=teacher, started_at__isnull=True, scheduled_for__gte=now)
        .order_by("scheduled_for")
        .first()
    )
    next_debrief = cycle_next_debrief(cycle=current) if current else None
    reflection = reflection_current(cycle=current) if current else None
    earlier = [c for c in cycles if c.state == CycleState.CLOSED]
    step_cycle = current or (cycles[0] if cycles else None)
    latest_step = (
        Debrief.objects.filter(session__cycle=step_cycle, session__held_at__isnull=False)
        .select_related("session")
        .order_by("-session__held_at", "-pk")
        .first()
        if step_cycle
        else None
    )
    next_session = (
        current.sessions.filter(held_at__isnull=True, scheduled_for__gte=now)
        .exclude(kind=SessionKind.DEBRIEF)
        .order_by("scheduled_for", "pk")
        .first()
        if current
        else None
    )
    return MyMove(
        teacher,
        current,
        next_revisit,
        next_observation,
        earlier,
        next_debrief,
        reflection,
        may_reflect=bool(current and reflection_possible(cycle=current, school=teacher.school)),
        latest_step=latest_step,
        next_session=next_session,
    )


def teacher_own_cycle_get(*, user: User, cycle_id: int) -> CoachingCycle:
    """One of the signed-in teacher's own cycles (the ones they may share or reflect on), or
    404: another teacher's cycle, or a coach's or principal's view of it, is not found."""
    return get_object_or_404(
        cycles_for(user, READ)
        .filter(teacher__user=user)
        .select_related("teacher__school", "assessment", "agreed_move__move"),
        pk=cycle_id,
    )


def teacher_own_open_cycle(*, user: User) -> CoachingCycle | None:
    """The signed-in teacher's cycle under way (at most one), with its move."""
    return (
        cycles_for(user, READ)
        .filter(teacher__user=user, state__in=OPEN_STATES)
        .select_related("teacher__school", "assessment", "agreed_move__move", "persistent_problem")
        .first()
    )


@dataclass(frozen=True)
class OwnVisit:
    """A classroom visit as its teacher reads it: when, the engagement before and after the
    move, and the student evidence (never the coach's notes taken during the visit)."""

    observation: Observation
    engagement: "EngagementChange"
    evidence: list


@dataclass(frozen=True)
class OwnCycleRecord:
    """The teacher's read-only record of one of their cycles: everything agreed with them and
    observed of their students. Not in it (the coach's working material, not an agreement):
    the context brief (profile, suggested stance, patterns), the coach's notes taken during
    visits and the coach's logged time."""

    cycle: CoachingCycle
    agreed: AgreedMove | None
    planned_sessions: list[CoachingSession]
    held_sessions: list[CoachingSession]
    next_steps: list[Debrief]  # newest first: the latest is what the teacher tries now
    visits: list[OwnVisit]
    engagement: "EngagementChange"
    reflections: list[Reflection]
    revisits: list[Revisit]
    next_debrief: CoachingSession | None


def own_cycle_record(*, cycle: CoachingCycle) -> OwnCycleRecord:
    """The record of ``cycle`` for its own teacher (``cycle`` from
    ``coaching.access.own_cycle_get_for_user``), in a fixed number of queries."""
    overview = cycle_overview(cycle=cycle)
    held = [s for s in overview.sessions if s.held_at is not None]
    debriefs = [getattr(s, "debrief", None) for s in held if s.kind == SessionKind.DEBRIEF]
    next_steps = sorted(
        (d for d in debriefs if d is not None),
        key=lambda d: (d.session.held_at, d.pk),
        reverse=True,
    )
    visits = [
        OwnVisit(
            observation=o,
            engagement=engagement_change(o.engagement_samples.all()),
            evidence=sorted(o.student_evidence.all(), key=lambda e: (e.noted_at, e.pk)),
        )
        for o in overview.observations
    ]
    return OwnCycleRecord(
        cycle=cycle,
        agreed=getattr(cycle, "agreed_move", None),
        planned_sessions=[s for s in overview.sessions if s.held_at is None],
        held_sessions=held,
        next_steps=next_steps,
        visits=visits,
        engagement=overview.engagement,
        reflections=overview.reflections,
        revisits=overview.revisits,
        next_debrief=cycle_next_debrief(cycle=cycle) if cycle.is_open else None,
    )
