"""Context briefs: built by a job after the commit, kept fresh, made stale when the cycle moves."""

import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from coaching import selectors
from coaching.models import OPEN_STATES, CoachingCycle, CoachingSession, ContextBrief, SessionKind
from observations.models import Observation

logger = logging.getLogger(__name__)


def context_brief_build(
    *, cycle: CoachingCycle, session: CoachingSession | None = None
) -> ContextBrief:
    """Assemble the cycle's context brief and store it in one write: a failure or a killed
    worker before the end leaves the stored brief as it was, never half of a new one.

    Evidence that lands while it is assembled leaves it stale, so it is built again: the
    cycle's content version is read before assembling and again, locked, before storing; a
    change in between (committed or still in flight) means the content may have missed it."""
    cycles = CoachingCycle.objects.filter(pk=cycle.pk)
    # A change marks a fresh brief stale and queues its rebuild; for a brief already stale, or
    # none yet, nothing is queued, so this build queues it if a change lands meanwhile.
    version_before, stale_before = cycles.values_list("content_version", "brief__is_stale").get()
    rebuild_queued_by_changes = stale_before is False
    content = selectors.context_brief_assemble(cycle=cycle)
    # The debrief it prepares: the one asked for while it is still ahead, else the cycle's next
    # scheduled debrief (read with the lock), else none. Never a debrief already held: a
    # reflection written after a debrief is for the next one, and so is the brief showing it.
    next_debrief = (
        CoachingSession.objects.filter(
            cycle=OuterRef("pk"),
            kind=SessionKind.DEBRIEF,
            held_at__isnull=True,
            scheduled_for__isnull=False,
        )
        .order_by("scheduled_for", "pk")
        .values("pk")[:1]
    )
    with transaction.atomic():
        version_now, next_debrief_id = (
            cycles.select_for_update(of=("self",))
            .annotate(next_debrief_id=Subquery(next_debrief))
            .values_list("content_version", "next_debrief_id")
            .get()
        )
        brief, _ = ContextBrief.objects.select_for_update().get_or_create(cycle=cycle)
        brief.content = content
        brief.built_at = timezone.now()
        if session is not None and session.held_at is None:
            brief.session = session
        else:
            brief.session_id = next_debrief_id
        brief.version = version_before
        brief.is_stale = version_now != version_before
        brief.build_count += 1
        brief.save()
    if brief.is_stale and not rebuild_queued_by_changes:
        from coaching.tasks import context_brief_build as build_task

        _enqueue_on_commit(
            build_task,
            (cycle.pk,),
            {"requested_at": timezone.now().isoformat()},
            countdown=settings.BRIEF_REBUILD_DELAY_SECONDS,
        )
    return brief


def context_brief_ensure(
    *,
    cycle: CoachingCycle,
    session: CoachingSession | None = None,
    requested_at: datetime.datetime | None = None,
) -> tuple[ContextBrief, bool]:
    """A fresh brief for the cycle: the stored one if nothing changed since it was built (and it
    was built after ``requested_at``), else a new build. Returns (brief, whether it was built):
    a job delivered twice builds once."""
    brief = selectors.context_brief_stored(cycle=cycle)
    fresh = (
        brief is not None
        and not brief.is_stale
        and (requested_at is None or brief.built_at >= requested_at)
    )
    if fresh:
        if session is not None and session.held_at is None and brief.session_id != session.pk:
            ContextBrief.objects.filter(pk=brief.pk).update(session=session)
            brief.session = session
        return brief, False
    return context_brief_build(cycle=cycle, session=session), True


class _BrokerSafeTask:
    """A task whose ``apply_async`` neither fails nor stalls the request that queues the job:
    nobody waits for the job's result, so none is kept (subscribing to it would make every
    enqueue wait ~20 s for a result store that is down), and with the broker unreachable the
    job is dropped with a warning. The sweeps and the on-demand builds make up for a dropped
    job (docs/administration.md "When PostgreSQL or Redis is down")."""

    def __init__(self, task) -> None:
        self.task = task
        self.name = task.name

    def apply_async(self, args: tuple = (), kwargs: dict | None = None, **options) -> None:
        try:
            self.task.apply_async(args, kwargs, ignore_result=True, **options)
        except Exception as exc:  # kombu's OperationalError, a result store that is down...
            logger.warning(
                "Could not queue %s%s (%s: %s); the periodic sweep will make up for it.",
                self.name,
                tuple(args),
                type(exc).__name__,
                exc,
            )


def _enqueue_on_commit(task, args: tuple, kwargs: dict | None = None, **options) -> None:
    """Queue a job once the current transaction commits (at once outside one); a broker that
    is down never fails the request (``_BrokerSafeTask``)."""
    transaction.on_commit(
        functools.partial(_BrokerSafeTask(task).apply_async, args, kwargs or {}, **options)
    )


def context_brief_mark_stale(
    *,
    cycle_id: int | None = None,
    observation_id: int | None = None,
    teacher_id: int | None = None,
) -> int:
    """New evidence or plans: the brief of that cycle (or of the cycle an observation belongs
    to, or of a teacher's open cycles) is stale, and a rebuild is queued once the change is
    committed, a little later so that a burst of entries costs one build."""
    briefs = ContextBrief.objects.filter(cycle__state__in=OPEN_STATES)
    if cycle_id is not None:
        briefs = briefs.filter(cycle_id=cycle_id)
    elif observation_id is not None:
        briefs = briefs.filter(cycle__observations__id=observation_id)
    elif teacher_id is not None:
        briefs = briefs.filter(cycle__teacher_id=teacher_id)
    else:
        raise ValueError("Say which brief is stale.")
    cycles = CoachingCycle.objects.filter(state__in=OPEN_STATES)
    if cycle_id is not None:
        cycles = cycles.filter(pk=cycle_id)
    elif observation_id is not None:
        cycles = cycles.filter(pk__in=Observation.objects.filter(pk=observation_id).values("cycle"))
    else:
        cycles = cycles.filter(teacher_id=teacher_id)
    # Every change counts, even while the cycle's first brief is being assembled.
    cycles.update(content_version=F("content_version") + 1)
    now = timezone.now()
    to_rebuild = list(briefs.filter(is_stale=False).values_list("cycle_id", flat=True))
    if not to_rebuild and not briefs.exists():
        return 0
    ContextBrief.objects.filter(pk__in=briefs.values("pk")).update(is_stale=True, changed_at=now)
    from coaching.tasks import context_brief_build as build_task

    for stale_cycle_id in to_rebuild:
        _enqueue_on_commit(
            build_task,
            (stale_cycle_id,),
            {"requested_at": now.isoformat()},
            countdown=settings.BRIEF_REBUILD_DELAY_SECONDS,
        )
    return len(to_rebuild)


def context_brief_enqueue_for_debrief(*, session: CoachingSession) -> None:
    """A debrief was scheduled: its brief is assembled BRIEF_LEAD_HOURS before it (at once if
    that time has come), after the scheduling is committed. A debrief further ahead than
    BRIEF_ETA_MAX_SECONDS past its lead time is left to the sweep, which builds briefs for the
    next BRIEF_SWEEP_HOURS: no message waits days in the broker (Redis would hand a waiting
    message out again after every visibility timeout)."""
    if session.kind != SessionKind.DEBRIEF or session.held_at or not session.scheduled_for:
        return
    from coaching.tasks import context_brief_build as build_task

    now = timezone.now()
    eta = max(now, session.scheduled_for - datetime.timedelta(hours=settings.BRIEF_LEAD_HOURS))
    if (eta - now).total_seconds() > settings.BRIEF_ETA_MAX_SECONDS:
        return
    _enqueue_on_commit(
        build_task,
        (session.cycle_id,),
        {"session_id": session.pk, "requested_at": eta.isoformat()},
        eta=eta,
    )


def context_briefs_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue a build for each debrief in the next BRIEF_SWEEP_HOURS without a fresh brief."""
    from coaching.tasks import context_brief_build as build_task

    sessions = selectors.debriefs_needing_brief(now=now)
    for session in sessions:
        _enqueue_on_commit(build_task, (session.cycle_id,), {"session_id": session.pk})
    return len(sessions)
