"""The processing job on a real Celery worker process: a clip made by ffmpeg, uploaded through
the services, comes out ready with its duration and poster; a file ffmpeg cannot read comes out
failed with the reason."""

from __future__ import annotations

import time

import pytest

from clips import services
from clips.models import Clip, ClipStatus
from clips.storage import clip_storage, part_path


def _wait_settled(pk: int, timeout: float = 60) -> Clip:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        clip = Clip.objects.get(pk=pk)
        if clip.status in (ClipStatus.READY, ClipStatus.FAILED):
            return clip
        time.sleep(0.2)
    pytest.fail(f"clip {pk} is still {Clip.objects.get(pk=pk).status}")


def _upload(world, data: bytes, chunk: int = 4096) -> Clip:
    clip = services.clip_start_upload(
        cycle=world.c1a,
        user=world.t1a.user,
        title="Period 2",
        original_name="lesson.mp4",
        content_type="video/mp4",
        size_bytes=len(data),
    )
    for offset in range(0, len(data), chunk):
        services.clip_append_chunk(
            clip_id=clip.pk, offset=offset, data=data[offset : offset + chunk]
        )
    return services.clip_finish_upload(clip_id=clip.pk)  # queues the job on commit


def test_the_worker_makes_an_uploaded_clip_ready_with_duration_and_poster(
    celery_worker, school_world, video_bytes
):
    clip = _upload(school_world, video_bytes)
    assert clip.status == ClipStatus.PROCESSING
    done = _wait_settled(clip.pk)
    assert done.status == ClipStatus.READY, (done.failure_reason, celery_worker.log())
    assert done.duration_seconds == pytest.approx(3, abs=0.2)
    assert clip_storage().open(done.poster.name).read(2) == b"\xff\xd8"
    assert clip_storage().size(done.file.name) == len(video_bytes)
    assert not part_path(done.upload_key).exists()


def test_the_worker_fails_a_file_ffmpeg_cannot_read(celery_worker, school_world):
    clip = _upload(school_world, b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 5000)
    done = _wait_settled(clip.pk)
    assert done.status == ClipStatus.FAILED
    assert "could not be read" in done.failure_reason
    assert not part_path(done.upload_key).exists()
