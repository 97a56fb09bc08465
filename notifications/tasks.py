"""Background jobs for reminders. Thin: each calls a service (coaching.tasks says how the jobs
are made reliable: acknowledged late, idempotent, retried with backoff, time-limited)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from core.services import job_run_record
from notifications import services

RETRY = {
    "acks_late": True,
    "autoretry_for": (
        OperationalError,
        InterfaceError,
        ConnectionError,
        services.ReminderDeliveryError,
    ),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(bind=True, soft_time_limit=240, time_limit=300, **RETRY)
def reminders_send(self) -> dict:
    """Periodic: send the reminder emails that are due, each at most once."""
    started = timezone.now()
    result = services.reminders_send(now=started)
    job_run_record(name="email reminders", started_at=started, result=result)
    return result
