"""Background job of roster imports. Thin: takes the import's id and calls the service.

Idempotent (acks_late: a job whose worker died runs again): a finished import is left alone,
and an import whose worker died was rolled back, so it runs again from the start."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from rosters import services

RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError, ConnectionError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(bind=True, soft_time_limit=50 * 60, time_limit=55 * 60, **RETRY)
def roster_import_run(self, import_id: int) -> dict:
    roster_import = services.roster_import_run(import_id=import_id)
    if roster_import is None:
        return {"import": import_id, "status": "missing"}
    return {"import": import_id, "status": roster_import.status}
