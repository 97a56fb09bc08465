"""Benchmark: a lesson clip uploaded in chunks through the app, then processed by the job.

    .venv/bin/python bench/clips.py                  # a 10-minute 720p clip at 1.5 Mbit/s
    .venv/bin/python bench/clips.py --minutes 2 --kbps 800

Uses DATABASE_URL, or postgres://postgres@127.0.0.1:5432/coaching_bench_clips by default; the
database is dropped and created again each run, so its name must contain "bench". Loads the
demo school (`seed_demo`), makes a test-pattern clip with ffmpeg (the size a phone records a
lesson at), and as the demo teacher `teacher.lee`, through the app's own views (Django's test
client, no network):

1. starts the upload (the row, type and size checked before the first byte);
2. sends every chunk (`CLIP_CHUNK_BYTES`, 5 MB) with its offset, as `static/js/clip_upload.js` does;
3. finishes (byte count and signature checked), then runs `clips.services.clip_process` in this
   process, as the Celery job does: ffprobe for the length, ffmpeg for the poster, both files
   into the "clips" storage;
4. reads the video back through the access check with a Range request, as a browser seeks.

Prints a Markdown table (seconds, MB/s, SQL queries per step and per chunk) and writes
var/bench/clips.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/coaching_bench_clips"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--kbps", type=int, default=1500, help="video bit rate")
    return parser.parse_args()


def make_clip(path: Path, *, minutes: float, kbps: int) -> None:
    command = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi"]
    command += ["-i", f"testsrc2=duration={int(minutes * 60)}:size=1280x720:rate=30"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-b:v", f"{kbps}k"]
    command += ["-pix_fmt", "yuv420p", str(path)]
    subprocess.run(command, check=True, timeout=3600)


def main() -> int:
    args = parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    work = Path(tempfile.mkdtemp(prefix="bench-clips-"))
    os.environ["CLIP_STORAGE_DIR"] = str(work / "stored")
    os.environ["CLIP_UPLOAD_DIR"] = str(work / "uploads")
    from bench.briefs import prepare_database

    prepare_database(url, fresh=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from clips.models import Clip
    from clips.services import clip_process
    from coaching.models import CoachingCycle, CycleState

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)
    call_command("seed_demo", quiet=True)
    video = work / "lesson.mp4"
    started = time.perf_counter()
    make_clip(video, minutes=args.minutes, kbps=args.kbps)
    print(f"ffmpeg made the clip in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    data = video.read_bytes()
    size_mb = len(data) / 1e6

    connection.queries_log = __import__("collections").deque(maxlen=10**7)
    teacher = User.objects.get(username="teacher.lee")
    cycle = (
        CoachingCycle.objects.filter(teacher__user=teacher).exclude(state=CycleState.CLOSED).first()
    )
    client = Client()
    client.force_login(teacher)
    rows = []

    def step(label: str, work_fn, megabytes: float | None = None, per: int = 1) -> object:
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            result = work_fn()
            seconds = time.perf_counter() - began
        rows.append(
            {
                "step": label,
                "seconds": round(seconds, 3),
                "mb_per_second": round(megabytes / seconds, 1) if megabytes else None,
                "queries": len(queries),
                "queries_each": round(len(queries) / per, 1),
            }
        )
        return result

    def start():
        response = client.post(
            f"/cycles/{cycle.pk}/clips/",
            {"title": "Bench lesson", "name": "lesson.mp4", "size": len(data)}
            | {"type": "video/mp4", "modified": 1},
            headers={"accept": "application/json"},
        )
        assert response.status_code == 201, response.content
        return response.json()

    state = step("start the upload", start)
    chunk = settings.CLIP_CHUNK_BYTES
    chunks = range(0, len(data), chunk)

    def send():
        for offset in chunks:
            response = client.generic(
                "PUT",
                state["upload_url"],
                data[offset : offset + chunk],
                content_type="application/octet-stream",
                headers={"x-upload-offset": str(offset)},
            )
            assert response.status_code == 200, response.content

    step(f"send {len(chunks)} chunks of {chunk / 1e6:.0f} MB", send, size_mb, len(chunks))

    def finish():
        response = client.post(state["finish_url"], headers={"accept": "application/json"})
        assert response.status_code == 200, response.content

    step("finish (size and signature checked)", finish)
    clip_id = state["id"]
    step("process (ffprobe, poster, into storage)", lambda: clip_process(clip_id=clip_id), size_mb)
    clip = Clip.objects.get(pk=clip_id)
    assert clip.status == "ready", clip.failure_reason

    def seek():
        first = len(data) // 2  # the middle of the lesson, 1 MB of it
        last = min(first + 2**20, len(data)) - 1
        response = client.get(f"/clips/{clip_id}/video", headers={"range": f"bytes={first}-{last}"})
        assert response.status_code == 206, response.status_code
        assert b"".join(response.streaming_content) == data[first : last + 1]

    step("seek: 1 MB Range read through the access check", seek)

    print(
        f"\nClip: {args.minutes:g} min, 1280x720, {args.kbps} kbit/s, {size_mb:.1f} MB; "
        f"read {clip.duration_seconds:.1f} s\n"
    )
    print("| step | seconds | MB/s | queries | queries each |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        speed = row["mb_per_second"] if row["mb_per_second"] is not None else ""
        print(
            f"| {row['step']} | {row['seconds']:.2f} | {speed} | {row['queries']} "
            f"| {row['queries_each']} |"
        )
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "clips.json").write_text(
        json.dumps({"size_mb": size_mb, "duration": clip.duration_seconds, "steps": rows}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
