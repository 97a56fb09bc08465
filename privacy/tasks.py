"""Background jobs of the privacy app. Thin: each calls a service.

Idempotent (acks_late: a job whose worker died runs again): a cycle erased before is left
alone, and each cycle is erased in its own transaction."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from core.services import job_run_record
from privacy import services


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError, ConnectionError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def retention_apply(self) -> dict:
    """Every 6 hours: erase the texts of the cycles older than their district keeps."""
    started = timezone.now()
    result = services.retention_apply()
    job_run_record(name="retention", started_at=started, result=result)
    return result
