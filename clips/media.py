"""What the clip is: its first bytes (the container's signature), its duration (ffprobe) and a
poster frame (ffmpeg). Debian's ffmpeg and ffprobe, run with list arguments and a timeout."""

import json
import shutil
import subprocess  # nosec B404: fixed programs, list arguments, no shell
from pathlib import Path

FFPROBE = shutil.which("ffprobe") or "/usr/bin/ffprobe"
FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
PROBE_TIMEOUT = 60
POSTER_TIMEOUT = 120

EBML = bytes.fromhex("1A45DFA3")


class MediaError(Exception):
    """The file is not a video ffmpeg can read; the message says so for the uploader."""


def signature_matches(head: bytes, extension: str) -> bool:
    """ISO base media (mp4, m4v, mov): a box whose type is 'ftyp' at offset 4 (QuickTime files
    may start with 'moov', 'mdat', 'wide' or 'free' instead). WebM: the EBML magic number."""
    if extension == "webm":
        return head[:4] == EBML
    return head[4:8] in {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip"} and (
        head[4:8] == b"ftyp" or extension == "mov"
    )


def probe_duration(path: Path) -> float:
    """Seconds of the first video stream (or of the container), or MediaError."""
    command = [
        FFPROBE, "-v", "error", "-print_format", "json",
        "-show_entries", "format=duration:stream=codec_type,duration",
        "--", str(path),
    ]  # fmt: skip
    try:
        done = subprocess.run(  # nosec B603
            command, capture_output=True, timeout=PROBE_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise MediaError("Reading the video took too long; it may be damaged.") from exc
    if done.returncode != 0:
        raise MediaError("This file could not be read as a video. It may be damaged.")
    try:
        info = json.loads(done.stdout or b"{}")
    except ValueError as exc:
        raise MediaError("This file could not be read as a video.") from exc
    streams = info.get("streams") or []
    if not any(s.get("codec_type") == "video" for s in streams):
        raise MediaError("This file holds no video picture.")
    for value in (info.get("format", {}).get("duration"), *(s.get("duration") for s in streams)):
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue
        if seconds >= 0 and seconds == seconds and seconds != float("inf"):
            return seconds
    raise MediaError("The length of this video could not be read.")


def make_poster(path: Path, out: Path, *, duration: float) -> None:
    """One JPEG frame at min(1 s, half the clip), 640 px wide at most."""
    at = max(0.0, min(1.0, duration / 2))
    command = [
        FFMPEG, "-nostdin", "-v", "error", "-y", "-ss", f"{at:.3f}", "-i", str(path),
        "-frames:v", "1", "-vf", "scale='min(640,iw)':-2", "-q:v", "4", str(out),
    ]  # fmt: skip
    try:
        done = subprocess.run(  # nosec B603
            command, capture_output=True, timeout=POSTER_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise MediaError("Making the poster image took too long.") from exc
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise MediaError("No picture could be taken from this video.")
