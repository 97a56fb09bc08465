"""Background jobs of roster imports. Thin: each takes ids and calls a service.

Idempotent (acks_late: a job whose worker died runs again): a finished import is left alone,
and an import whose worker died was rolled back, so it runs again from the start. No progress
bar waits for ever: an import that stops on an error, or whose retries run out, is marked
failed with the reason, and the periodic sweep queues again an import whose job was lost and
fails one whose worker was lost."""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from core.services import job_run_record
from rosters import services

RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError, ConnectionError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


class _ImportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """The job failed for good (retries run out, or the hard time limit): the page says so."""
        import_id = args[0] if args else kwargs.get("import_id")
        if import_id is not None:
            services.roster_import_fail(import_id=import_id, reason=services._stopped(exc))


@shared_task(bind=True, base=_ImportTask, soft_time_limit=50 * 60, time_limit=55 * 60, **RETRY)
def roster_import_run(self, import_id: int) -> dict:
    roster_import = services.roster_import_run(import_id=import_id)
    if roster_import is None:
        return {"import": import_id, "status": "missing"}
    return {"import": import_id, "status": roster_import.status}


@shared_task(bind=True, soft_time_limit=60, time_limit=90, **RETRY)
def roster_imports_sweep(self) -> dict:
    """Periodic: queue again imports whose job was lost; fail those whose worker was lost."""
    started = timezone.now()
    result = services.roster_imports_sweep()
    job_run_record(name="roster imports", started_at=started, result=result)
    return result
