"""Video clips in a real browser at phone width (390 px): the teacher uploads a clip made by
ffmpeg through the page's script (in several chunks, with the progress bar), a real worker
prepares it, the coach comments at a time, and both see the comment on the clip page."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from clips.models import Clip, ClipStatus
from tests.clips.conftest import make_video
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e

PHONE_WIDTH = 390


def _fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def _wait_ready(timeout: float = 60) -> Clip:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        clip = Clip.objects.get()
        if clip.status in (ClipStatus.READY, ClipStatus.FAILED):
            return clip
        time.sleep(0.2)
    pytest.fail(f"the clip is still {Clip.objects.get().status}")


def test_teacher_uploads_a_clip_and_the_coach_comments_at_a_time(
    celery_worker, school_world, page, settings, tmp_path
):
    settings.CLIP_CHUNK_BYTES = 4 * 1024  # several chunks, even for a small clip
    video = tmp_path / "lesson.mp4"
    data = make_video(video, seconds=3)
    assert len(data) > 2 * settings.CLIP_CHUNK_BYTES
    w = school_world

    # The teacher finds the clips from "My move" and uploads one.
    sign_in(page, "teacher1a")
    page.get_by_role("link", name="My clips of this cycle").click()
    expect(page).to_have_title(f"Video clips · cycle with {w.t1a.full_name} · Coaching cycles")
    expect(page.get_by_text("MP4, MOV or WebM, up to 500 MB")).to_be_visible()
    _fits_a_phone(page)
    page.get_by_label("Title").fill("Boards up, period 2")
    page.get_by_label("Video file").set_input_files(str(video))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#clip-progress")).to_be_visible()
    finish = page.get_by_role("link", name="Open the clip")
    expect(finish).to_be_visible(timeout=30_000)
    clip = _wait_ready()
    assert clip.status == ClipStatus.READY, (clip.failure_reason, celery_worker.log())
    assert clip.duration_seconds == pytest.approx(3, abs=0.2)
    finish.click()
    expect(page.locator("video#clip-video")).to_be_visible()
    _fits_a_phone(page)

    # The coach opens it from the cycle page and comments at a time.
    page.context.clear_cookies()
    sign_in(page, "coach1")
    page.goto(f"/cycles/{w.c1a.pk}/")
    page.get_by_role("link", name="Boards up, period 2").click()
    expect(page).to_have_title("Boards up, period 2 · video clip · Coaching cycles")
    page.get_by_label("At (m:ss)").fill("0:02")
    page.get_by_role("textbox", name="Comment").fill("All boards up within five seconds here.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("All boards up within five seconds here.")).to_be_visible()
    expect(page.get_by_role("button", name="0:02 (play from here)")).to_be_visible()
    _fits_a_phone(page)

    # The teacher sees the coach's comment.
    page.context.clear_cookies()
    sign_in(page, "teacher1a")
    page.goto(f"/clips/{clip.pk}/")
    expect(page.get_by_text("All boards up within five seconds here.")).to_be_visible()
