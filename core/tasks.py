from celery import shared_task

from core.services import heartbeat_record


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=3,
    soft_time_limit=20,
    time_limit=30,
)
def heartbeat(self) -> dict:
    """Periodic: records that a worker ran a job scheduled by beat."""
    beat = heartbeat_record(worker=self.request.hostname or "unknown")
    return {"id": beat.pk, "beats": beat.beats, "last_seen": beat.last_seen.isoformat()}
