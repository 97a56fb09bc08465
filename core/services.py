import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.models import Heartbeat, JobRun
from core.selectors import HEARTBEAT_NAME


@transaction.atomic
def heartbeat_record(*, worker: str) -> Heartbeat:
    """Note that a worker is alive now. Safe to run any number of times."""
    now = timezone.now()
    beat, created = Heartbeat.objects.select_for_update().get_or_create(
        name=HEARTBEAT_NAME, defaults={"last_seen": now, "worker": worker, "beats": 1}
    )
    if not created:
        Heartbeat.objects.filter(pk=beat.pk).update(
            last_seen=now, worker=worker, beats=F("beats") + 1
        )
        beat.refresh_from_db()
    return beat


@transaction.atomic
def job_run_record(*, name: str, started_at: datetime.datetime, result: dict) -> JobRun:
    """Record that a periodic job finished, with what it did (counts, never content)."""
    run, _ = JobRun.objects.select_for_update().get_or_create(name=name)
    run.runs += 1
    run.last_started_at = started_at
    run.last_finished_at = timezone.now()
    run.last_result = result
    run.save()
    return run
