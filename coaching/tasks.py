"""Background jobs for coaching. Thin: each takes ids, looks rows up and calls a service.

Reliability (settings: acks_late, reject_on_worker_lost, prefetch 1): a job is acknowledged
after it ran, so a job whose worker died runs again; every job here is therefore idempotent.
Database and broker hiccups are retried with exponential backoff; time limits stop a stuck job.
"""

import datetime
import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from coaching import selectors, services
from core.services import job_run_record

logger = logging.getLogger(__name__)

RETRY = {
    "acks_late": True,
    "autoretry_for": (
        OperationalError,
        InterfaceError,
        ConnectionError,
    ),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


def _moment(value: str | None) -> datetime.datetime | None:
    return parse_datetime(value) if value else None


@shared_task(bind=True, soft_time_limit=60, time_limit=90, **RETRY)
def context_brief_build(
    self, cycle_id: int, session_id: int | None = None, requested_at: str | None = None
) -> dict:
    """Assemble and store a cycle's context brief, unless a fresh one was built since the
    request: delivered twice (or after a worker died), it builds once."""
    cycle = selectors.cycle_for_brief(cycle_id=cycle_id)
    if cycle is None:
        return {"cycle": cycle_id, "built": False, "why": "no open cycle"}
    session = cycle.sessions.filter(pk=session_id).first() if session_id else None
    logger.info("Context brief for cycle %s: start", cycle_id)
    brief, built = services.context_brief_ensure(
        cycle=cycle, session=session, requested_at=_moment(requested_at)
    )
    logger.info("Context brief for cycle %s: %s", cycle_id, "built" if built else "already fresh")
    return {"cycle": cycle_id, "built": built, "build_count": brief.build_count}


@shared_task(bind=True, soft_time_limit=240, time_limit=300, **RETRY)
def context_briefs_sweep(self) -> dict:
    """Periodic: queue briefs for debriefs in the next 24 hours that have no fresh one."""
    started = timezone.now()
    result = {"queued": services.context_briefs_sweep(now=started)}
    job_run_record(name="context briefs", started_at=started, result=result)
    return result


@shared_task(bind=True, soft_time_limit=240, time_limit=300, **RETRY)
def revisits_schedule(self) -> dict:
    """Periodic: every cycle under way gets its next revisit; long-overdue ones are missed."""
    started = timezone.now()
    result = services.revisits_schedule_due(now=started).as_dict()
    job_run_record(name="revisit scheduling", started_at=started, result=result)
    return result
