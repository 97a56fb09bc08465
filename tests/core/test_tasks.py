"""Celery round trip through a real worker process (filesystem broker by default, Redis in CI)."""

import pytest

from core.models import Heartbeat
from core.tasks import heartbeat

pytestmark = pytest.mark.worker


def test_heartbeat_task_round_trips_through_a_real_worker(celery_worker):
    result = heartbeat.apply_async(queue=celery_worker.queue)

    payload = result.get(timeout=60)

    # The worker process wrote to the same (test) database this process reads.
    row = Heartbeat.objects.get()
    assert payload == {"id": row.pk, "beats": 1, "last_seen": row.last_seen.isoformat()}
    assert row.worker == f"{celery_worker.queue}@{row.worker.split('@', 1)[1]}"


def test_heartbeat_task_run_twice_keeps_one_row_and_counts_both(celery_worker):
    first = heartbeat.apply_async(queue=celery_worker.queue).get(timeout=60)
    second = heartbeat.apply_async(queue=celery_worker.queue).get(timeout=60)

    assert first["id"] == second["id"]
    assert second["beats"] == 2
    assert Heartbeat.objects.count() == 1
