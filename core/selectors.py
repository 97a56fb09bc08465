import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from core.embedded_broker import unreadable_messages
from core.models import Heartbeat, JobRun

HEARTBEAT_NAME = "worker"


def heartbeat_latest() -> Heartbeat | None:
    return Heartbeat.objects.filter(name=HEARTBEAT_NAME).first()


@dataclass(frozen=True)
class HeartbeatStatus:
    """When a worker last ran the heartbeat job (None: never), and whether that is recent."""

    last_seen: datetime.datetime | None
    age_seconds: float | None
    worker: str
    beats: int
    stale_after_seconds: int

    @property
    def ok(self) -> bool:
        return self.age_seconds is not None and self.age_seconds <= self.stale_after_seconds


def heartbeat_status() -> HeartbeatStatus:
    """The worker's last heartbeat, for /health/ and the admin's job list (one query)."""
    beat = heartbeat_latest()
    return HeartbeatStatus(
        last_seen=beat.last_seen if beat else None,
        age_seconds=(timezone.now() - beat.last_seen).total_seconds() if beat else None,
        worker=beat.worker if beat else "",
        beats=beat.beats if beat else 0,
        stale_after_seconds=settings.HEARTBEAT_STALE_AFTER_SECONDS,
    )


def job_runs() -> list[JobRun]:
    return list(JobRun.objects.order_by("name"))


def broker_unreadable_messages() -> int | None:
    """Job messages the embedded broker set aside as unreadable (core/embedded_broker.py), or
    None on a broker server (Redis), which keeps no such files."""
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return None
    folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("unreadable_folder")
    return unreadable_messages(Path(folder)) if folder else None
