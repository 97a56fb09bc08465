"""Background jobs of clips. Thin: each takes ids and calls a service.

Idempotent (acks_late: a job whose worker died runs again): a clip that is ready or failed is
left alone. No clip stays "processing" for ever: a file ffmpeg cannot read, a storage error, the
soft time limit or any other error marks it failed with the reason (the service), the hard
time limit or retries running out too (``on_failure``), and the periodic sweep queues again a
job that was lost."""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from clips import services
from core.services import job_run_record

RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError, ConnectionError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 4,
}


class _ClipTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        clip_id = args[0] if args else kwargs.get("clip_id")
        if clip_id is not None:
            services.clip_fail(
                clip_id=clip_id, reason="Processing the clip stopped on an error. Upload it again."
            )


# A 500 MB phone video takes minutes to probe and copy to remote storage. The hard limit stays
# below services.LOST_AFTER, so the sweep never queues again a job that is still running.
@shared_task(bind=True, base=_ClipTask, soft_time_limit=900, time_limit=960, **RETRY)
def clip_process(self, clip_id: int) -> dict:
    clip = services.clip_process(clip_id=clip_id)
    return {"clip": clip_id, "status": clip.status if clip else "missing"}


@shared_task(bind=True, soft_time_limit=120, time_limit=180, **RETRY)
def clip_uploads_sweep(self) -> dict:
    """Periodic: remove abandoned uploads, queue again lost processing, fail stuck clips."""
    started = timezone.now()
    result = services.clip_uploads_sweep(now=started).as_dict()
    job_run_record(name="clip uploads", started_at=started, result=result)
    return result
