"""The periodic "clip uploads" job: abandoned uploads go, lost processing is queued again, and
nothing stays processing for ever."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from clips import services
from clips.models import Clip, ClipStatus
from clips.storage import part_path
from config.schedules import PERIODIC_TASKS
from tests.factories import ClipFactory

pytestmark = pytest.mark.django_db


def _aged(status, *, hours: float, created_hours: float | None = None, attempts: int = 0) -> Clip:
    clip = ClipFactory(status=status)
    part_path(clip.upload_key).write_bytes(b"partial")
    now = timezone.now()
    Clip.objects.filter(pk=clip.pk).update(
        last_activity=now - datetime.timedelta(hours=hours),
        created_at=now - datetime.timedelta(hours=created_hours or hours),
        process_attempts=attempts,
    )
    return clip


def test_the_sweep_removes_uploads_abandoned_for_a_day(db, django_capture_on_commit_callbacks):
    old = _aged(ClipStatus.UPLOADING, hours=25)
    recent = _aged(ClipStatus.UPLOADING, hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.clip_uploads_sweep()
    assert result.abandoned == 1
    assert not Clip.objects.filter(pk=old.pk).exists() and not part_path(old.upload_key).exists()
    assert Clip.objects.filter(pk=recent.pk).exists() and part_path(recent.upload_key).exists()


def test_the_sweep_queues_lost_processing_again_and_fails_what_never_finishes(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    from clips import tasks

    queued = []
    monkeypatch.setattr(tasks.clip_process, "delay", lambda pk: queued.append(pk))
    lost = _aged(ClipStatus.PROCESSING, hours=0.5)
    busy = _aged(ClipStatus.PROCESSING, hours=0.1)
    too_old = _aged(ClipStatus.PROCESSING, hours=0.5, created_hours=3)
    tried_enough = _aged(ClipStatus.PROCESSING, hours=0.5, attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.clip_uploads_sweep()
    assert result.as_dict() == {"abandoned": 0, "requeued": 1, "failed": 2}
    assert queued == [lost.pk]
    assert Clip.objects.get(pk=busy.pk).status == ClipStatus.PROCESSING
    for clip in (too_old, tried_enough):
        failed = Clip.objects.get(pk=clip.pk)
        assert failed.status == ClipStatus.FAILED and "never finished" in failed.failure_reason
        assert not part_path(clip.upload_key).exists()


def test_the_sweep_is_a_periodic_job():
    assert PERIODIC_TASKS["clip uploads"]["task"] == "clips.tasks.clip_uploads_sweep"
