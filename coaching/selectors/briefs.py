"""Context briefs: what a coach reads before a debrief, and which debriefs need one."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from coaching.models import (
    OPEN_STATES,
    AgreedMove,
    CoachingCycle,
    CoachingSession,
    ContextBrief,
    Debrief,
    Reflection,
    Revisit,
    RevisitStatus,
    SessionKind,
    TimeEntry,
)
from coaching.selectors.engagement import EngagementChange, engagement_change
from coaching.selectors.reflections import (
    cycle_reflections,
    reflection_as_brief,
    reflection_current,
)
from coaching.selectors.school_dates import school_date_or_none
from observations.models import Observation
from teachers.selectors import teacher_suggested_stance

# --- Context briefs ------------------------------------------------------------------------------


def cycle_for_brief(*, cycle_id: int) -> CoachingCycle | None:
    """The cycle a brief job is about, if it still exists and is open."""
    return (
        CoachingCycle.objects.filter(pk=cycle_id, state__in=OPEN_STATES)
        .select_related("teacher__school", "assessment")
        .first()
    )


def debriefs_needing_brief(
    *, now: datetime.datetime | None = None, hours: int | None = None
) -> list[CoachingSession]:
    """Debriefs planned in the next ``hours`` (BRIEF_SWEEP_HOURS) whose cycle has no brief,
    or only a stale one: the earliest such debrief of each cycle."""
    now = now or timezone.now()
    hours = settings.BRIEF_SWEEP_HOURS if hours is None else hours
    fresh = ContextBrief.objects.filter(cycle=OuterRef("cycle"), is_stale=False)
    sessions = (
        CoachingSession.objects.filter(
            kind=SessionKind.DEBRIEF,
            held_at__isnull=True,
            scheduled_for__gte=now - datetime.timedelta(hours=1),
            scheduled_for__lte=now + datetime.timedelta(hours=hours),
            cycle__state__in=OPEN_STATES,
        )
        .exclude(Exists(fresh))
        .order_by("cycle_id", "scheduled_for", "pk")
    )
    earliest: dict[int, CoachingSession] = {}
    for session in sessions:
        earliest.setdefault(session.cycle_id, session)
    return list(earliest.values())


def cycle_next_debrief(*, cycle: CoachingCycle) -> CoachingSession | None:
    return (
        cycle.sessions.filter(kind=SessionKind.DEBRIEF, held_at__isnull=True)
        .exclude(scheduled_for__isnull=True)
        .order_by("scheduled_for")
        .first()
    )


def context_brief_stored(*, cycle: CoachingCycle) -> ContextBrief | None:
    return ContextBrief.objects.filter(cycle=cycle).first()


@dataclass
class CycleOverview:
    cycle: CoachingCycle
    sessions: list[CoachingSession]
    observations: list[Observation]
    revisits: list[Revisit]
    minutes: int
    engagement: EngagementChange
    reflections: list[Reflection] = field(default_factory=list)

    @property
    def next_observation(self) -> Observation | None:
        upcoming = [o for o in self.observations if o.started_at is None]
        return min(upcoming, key=lambda o: o.scheduled_for) if upcoming else None


def cycle_overview(*, cycle: CoachingCycle) -> CycleOverview:
    """Everything the cycle page shows, in a fixed number of queries."""
    sessions = list(
        cycle.sessions.select_related("debrief").order_by("held_at", "scheduled_for", "id")
    )
    observations = list(
        Observation.objects.filter(cycle=cycle)
        .prefetch_related("engagement_samples", "student_evidence", "notes")
        .order_by("scheduled_for", "started_at", "id")
    )
    samples = [s for o in observations for s in o.engagement_samples.all()]
    minutes = (
        TimeEntry.objects.filter(cycle=cycle, archived_at__isnull=True).aggregate(
            total=Sum("minutes")
        )["total"]
        or 0
    )
    return CycleOverview(
        cycle=cycle,
        sessions=sessions,
        observations=observations,
        revisits=list(cycle.revisits.order_by("due_on")),
        minutes=minutes,
        engagement=engagement_change(samples),
        reflections=cycle_reflections(cycle=cycle),
    )


def context_brief_assemble(*, cycle: CoachingCycle, recent: int = 4) -> dict:
    """The context brief: where the teacher left off, the move and indicator, the latest
    evidence and engagement, patterns over recent observations, profile and stance, open
    commitments and the last reflection. Plain JSON, so it can be stored as it is."""
    teacher = cycle.teacher
    school = teacher.school

    def day(value: datetime.datetime) -> str:
        return school_date_or_none(value, school).isoformat()  # school dates, whoever assembles it

    agreed = AgreedMove.objects.filter(cycle=cycle).select_related("move").first()
    debriefs = list(
        Debrief.objects.filter(session__cycle__teacher=teacher)
        .select_related("session")
        .order_by("-session__held_at")[:recent]
    )
    observations = list(
        Observation.objects.filter(teacher=teacher, started_at__isnull=False)
        .prefetch_related("engagement_samples", "student_evidence")
        .order_by("-started_at")[:recent]
    )
    latest = observations[0] if observations else None
    latest_change = engagement_change(latest.engagement_samples.all()) if latest else None
    evidence_kinds = Counter(
        item.get_kind_display() for o in observations for item in o.student_evidence.all()
    )
    trend = [
        {
            "date": day(o.started_at),
            "after_pct": engagement_change(o.engagement_samples.all()).after_pct,
            "before_pct": engagement_change(o.engagement_samples.all()).before_pct,
        }
        for o in reversed(observations)
    ]
    # Evidence of a kind seen at two or more of the recent visits: a pattern, not a one-off.
    visits_by_kind: dict[str, list] = defaultdict(list)
    for o in observations:  # newest first
        items = list(o.student_evidence.all())
        for kind in {item.get_kind_display() for item in items}:
            latest_item = max(
                (i for i in items if i.get_kind_display() == kind), key=lambda i: i.noted_at
            )
            visits_by_kind[kind].append(latest_item.description)
    recurring = [
        {"kind": kind, "visits": len(descriptions), "latest": descriptions[0]}
        for kind, descriptions in sorted(visits_by_kind.items())
        if len(descriptions) >= 2
    ]
    afters = [row["after_pct"] for row in trend if row["after_pct"] is not None]
    direction = None
    if len(afters) >= 2:
        gap = afters[-1] - afters[0]
        direction = "rising" if gap >= 5 else "falling" if gap <= -5 else "steady"
    stance = teacher_suggested_stance(teacher=teacher)
    upcoming_visits = Observation.objects.filter(
        cycle=cycle, started_at__isnull=True, scheduled_for__isnull=False
    ).order_by("scheduled_for")
    open_sessions = cycle.sessions.filter(held_at__isnull=True).order_by("scheduled_for")
    revisit = cycle.revisits.filter(status=RevisitStatus.SCHEDULED).first()
    last = debriefs[0] if debriefs else None
    return {
        "teacher": teacher.full_name,
        "left_off": (
            {
                "date": day(last.session.held_at),
                "next_step": last.next_step,
            }
            if last and last.session.held_at
            else None
        ),
        "move": (
            {
                "name": agreed.move.name,
                "next_day_action": agreed.next_day_action,
                "script": agreed.script,
                "success_indicator": agreed.success_indicator,
                "due_on": agreed.due_on.isoformat(),
            }
            if agreed
            else None
        ),
        "latest_evidence": (
            [
                {"kind": e.get_kind_display(), "description": e.description}
                for e in latest.student_evidence.all()
            ]
            if latest
            else []
        ),
        "latest_engagement": (
            {
                "date": day(latest.started_at),
                "before_pct": latest_change.before_pct,
                "after_pct": latest_change.after_pct,
                "change_points": latest_change.change_points,
            }
            if latest
            else None
        ),
        "patterns": {
            "evidence_kinds": dict(evidence_kinds),
            "recurring_evidence": recurring,
            "engagement_trend": trend,
            "engagement_direction": direction,
            "indicator_history": [
                {"date": day(d.session.held_at), "met": d.indicator_met}
                for d in reversed(debriefs)
                if d.session.held_at
            ],
        },
        "profile": {
            "disposition": teacher.get_disposition_display(),
            "orientation": teacher.get_orientation_display(),
            "time_focus": teacher.get_time_focus_display(),
            "stance": stance.kind,
            "stance_reasons": list(stance.reasons),
            "framing": stance.framing,
        },
        "open_commitments": [
            {"kind": s.get_kind_display(), "when": s.scheduled_for.isoformat()}
            for s in open_sessions
            if s.scheduled_for
        ]
        + [{"kind": "Visit", "when": o.scheduled_for.isoformat()} for o in upcoming_visits]
        + ([{"kind": "Revisit", "when": revisit.due_on.isoformat()}] if revisit else []),
        "last_reflection": last.teacher_reflection if last and last.teacher_reflection else "",
        # The teacher's structured reflection before the coming debrief (None: not written).
        "reflection": reflection_as_brief(reflection_current(cycle=cycle), school),
    }
