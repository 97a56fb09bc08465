"""Clips test helpers: a real tiny video made by ffmpeg, and clips in every state."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from clips.models import Clip, ClipStatus
from clips.storage import clip_storage, part_path
from tests.factories import ClipFactory

FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"


def make_video(path: Path, *, seconds: int = 3, fmt: str = "mp4") -> bytes:
    """A small test-pattern video (160x120, 10 fps) of ``seconds``, made by ffmpeg."""
    codec = ["-c:v", "libvpx", "-b:v", "100k"] if fmt == "webm" else ["-pix_fmt", "yuv420p"]
    command = [FFMPEG, "-nostdin", "-v", "error", "-y", "-f", "lavfi"]
    command += ["-i", f"testsrc=duration={seconds}:size=160x120:rate=10", *codec, str(path)]
    subprocess.run(command, check=True, timeout=60)
    return path.read_bytes()


@pytest.fixture(scope="session")
def video_bytes(tmp_path_factory) -> bytes:
    return make_video(tmp_path_factory.mktemp("video") / "clip.mp4")


def uploaded(clip: Clip, data: bytes) -> Clip:
    """``clip`` with every byte of ``data`` received, as after its last chunk."""
    part_path(clip.upload_key).write_bytes(data)
    Clip.objects.filter(pk=clip.pk).update(size_bytes=len(data), received_bytes=len(data))
    clip.refresh_from_db()
    return clip


def ready_clip(data: bytes = b"\x00\x00\x00\x18ftypmp42" + b"x" * 1000, **fields) -> Clip:
    """A processed clip whose file and poster are on the clips storage."""
    clip = ClipFactory(status=ClipStatus.READY, duration_seconds=3.0, **fields)
    storage = clip_storage()
    clip.file.name = storage.save(f"{clip.upload_key.hex}.mp4", ContentFile(data))
    clip.poster.name = storage.save(
        f"{clip.upload_key.hex}-poster.jpg", ContentFile(b"\xff\xd8jpeg")
    )
    Clip.objects.filter(pk=clip.pk).update(
        file=clip.file.name, poster=clip.poster.name, size_bytes=len(data), received_bytes=len(data)
    )
    clip.refresh_from_db()
    return clip
