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


def _aged(
    status,
    *,
    hours: float,
    created_hours: float | None = None,
    processing_hours: float | None = None,
    attempts: int = 0,
) -> Clip:
    clip = ClipFactory(status=status)
    part_path(clip.upload_key).write_bytes(b"partial")
    now = timezone.now()
    processing = processing_hours if processing_hours is not None else hours
    Clip.objects.filter(pk=clip.pk).update(
        last_activity=now - datetime.timedelta(hours=hours),
        created_at=now - datetime.timedelta(hours=created_hours or hours),
        processing_since=(
            now - datetime.timedelta(hours=processing) if status == ClipStatus.PROCESSING else None
        ),
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
    too_old = _aged(ClipStatus.PROCESSING, hours=0.5, created_hours=3, processing_hours=3)
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


def test_a_long_upload_then_queued_is_not_given_up_on(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    """The give-up counts from the finish (processing_since), not from the upload's start: a
    clip whose upload took 3 hours and that waits in the queue is queued again, not failed."""
    from clips import tasks

    queued = []
    monkeypatch.setattr(tasks.clip_process, "delay", lambda pk: queued.append(pk))
    slow_upload = _aged(ClipStatus.PROCESSING, hours=0.5, created_hours=3, processing_hours=0.5)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.clip_uploads_sweep()
    assert result.as_dict() == {"abandoned": 0, "requeued": 1, "failed": 0}
    assert queued == [slow_upload.pk]
    assert Clip.objects.get(pk=slow_upload.pk).status == ClipStatus.PROCESSING


def test_a_job_still_running_is_never_taken_for_lost():
    from clips import tasks

    assert tasks.clip_process.soft_time_limit == 900 and tasks.clip_process.time_limit == 960
    assert services.LOST_AFTER.total_seconds() > tasks.clip_process.time_limit
