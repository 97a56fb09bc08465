"""Writes of the clips app: starting, appending to and finishing an upload, processing the
file, comments, sharing and deleting.

Upload protocol (static/js/clip_upload.js): the clip's row is made first, with its name, type
and size checked before any byte is sent; chunks are appended at an offset that must equal the
bytes received so far (a lock on the row serialises them); finishing checks the size and the
file's signature and queues the processing job, which moves the file to the "clips" storage.
Anything refused on the way removes the row and the partial file: nothing is half-stored.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from clips import media
from clips.models import CLIP_TYPES, Clip, ClipComment, ClipStatus
from clips.storage import clip_storage, part_path
from coaching.models import AgreedMove, CoachingCycle
from observations.models import StudentEvidence

logger = logging.getLogger(__name__)

ABANDONED_AFTER = datetime.timedelta(hours=24)  # an upload with no chunk for that long
# Processing with no sign of its job: longer than the job's hard time limit (clips/tasks.py,
# 960 s), so a job still running is never queued a second time.
LOST_AFTER = datetime.timedelta(minutes=20)
GIVE_UP_AFTER = datetime.timedelta(hours=2)  # processing (since the finish) for that long: failed
MAX_PROCESS_ATTEMPTS = 3


class ClipUploadError(Exception):
    """A chunk or a finish refused; ``status`` is the HTTP status the view answers with."""

    status = 400

    def __init__(self, message: str, *, offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class OffsetMismatch(ClipUploadError):
    status = 409


class TooManyBytes(ClipUploadError):
    status = 413


class WrongState(ClipUploadError):
    """Not (or no longer) uploading: the uploader stops and says so."""

    status = 400


class AlreadyFinished(WrongState):
    """A second finish (a double click, a retried request): a conflict, nothing changes."""

    status = 409


def max_mb() -> int:
    return settings.CLIP_MAX_BYTES // (1024 * 1024)


def limits_text() -> str:
    return f"MP4, MOV or WebM, up to {max_mb()} MB"


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _remove_stored(*names: str) -> None:
    storage = clip_storage()
    for name in names:
        if name:
            try:
                storage.delete(name)
            except Exception:  # a remote storage hiccup: log it, an orphan costs only space
                logger.exception("Could not remove stored clip file %s", name)


# --- Upload ------------------------------------------------------------------------------------


def clip_start_upload(
    *,
    cycle: CoachingCycle,
    user: User,
    title: str,
    original_name: str,
    content_type: str,
    size_bytes: int,
    source_modified: int | None = None,
) -> Clip:
    """Check the declared file before any byte arrives and make the clip's row and its empty
    partial file. ValidationError keyed "title" or "file"."""
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    original_name = (original_name or "").strip()[-255:]
    if not title:
        errors.setdefault("title", []).append("Give the clip a title.")
    elif len(title) > 200:
        errors.setdefault("title", []).append("Keep the title under 200 characters.")
    elif "\x00" in title:
        errors.setdefault("title", []).append("The title holds a character that is not allowed.")
    extension = original_name.rsplit(".", 1)[-1].lower() if "." in original_name else ""
    declared = (content_type or "").split(";")[0].strip().lower()
    if "\x00" in original_name or extension not in CLIP_TYPES:
        errors.setdefault("file", []).append(
            f"This file is not a video we accept. Choose an {limits_text()} file."
        )
    elif declared and declared not in CLIP_TYPES[extension][0]:
        errors.setdefault("file", []).append(
            f"The file's type ({declared[:40]}) does not match its name. Choose an "
            f"{limits_text()} file."
        )
    if size_bytes is None or size_bytes <= 0:
        errors.setdefault("file", []).append("This file is empty.")
    elif size_bytes > settings.CLIP_MAX_BYTES:
        errors.setdefault("file", []).append(
            f"This file is {size_bytes / (1024 * 1024):,.0f} MB; clips can be up to "
            f"{max_mb()} MB. Trim the video or record a shorter part of the lesson."
        )
    if errors:
        raise ValidationError(errors)
    clip = Clip(
        cycle=cycle,
        uploaded_by=user,
        title=title,
        original_name=original_name,
        content_type=CLIP_TYPES[extension][1],
        size_bytes=size_bytes,
        source_modified=source_modified,
    )
    clip.full_clean()
    with transaction.atomic():
        clip.save()
        part_path(clip.upload_key).touch()
    return clip


def _locked(clip_id: int) -> Clip:
    clip = Clip.objects.select_for_update().filter(pk=clip_id).first()
    if clip is None:
        raise ClipUploadError("This clip no longer exists.")
    return clip


def clip_append_chunk(*, clip_id: int, offset: int, data: bytes) -> Clip:
    """Append ``data`` at ``offset``, which must be the bytes received so far (else
    OffsetMismatch carrying the current offset, so the uploader resumes from it)."""
    with transaction.atomic():
        clip = _locked(clip_id)
        if clip.status != ClipStatus.UPLOADING:
            raise WrongState("This clip is no longer being uploaded.", offset=clip.received_bytes)
        if offset != clip.received_bytes:
            raise OffsetMismatch(
                "The upload continues from another point.", offset=clip.received_bytes
            )
        if not data:
            raise ClipUploadError("The chunk was empty.", offset=clip.received_bytes)
        if clip.received_bytes + len(data) > clip.size_bytes:
            raise TooManyBytes(
                "More bytes arrived than the file's declared size.", offset=clip.received_bytes
            )
        path = part_path(clip.upload_key)
        if not path.exists():
            raise WrongState("The partial upload was lost; start the upload again.")
        with path.open("r+b") as part:
            # Whatever a broken earlier request left beyond the recorded offset is cut off.
            part.seek(clip.received_bytes)
            part.truncate()
            part.write(data)
        clip.received_bytes += len(data)
        clip.last_activity = timezone.now()
        clip.save(update_fields=["received_bytes", "last_activity", "updated_at"])
    return clip


def _discard(clip: Clip) -> None:
    """Remove a refused upload: its row and its partial file."""
    key = clip.upload_key
    clip.delete()  # a refused upload: nothing of it is kept
    transaction.on_commit(lambda: _remove(part_path(key)))


def clip_finish_upload(*, clip_id: int) -> Clip:
    """All bytes are in: check the size and the signature, then queue the processing job.
    A refusal removes the clip (ValidationError); finishing twice is a WrongState."""
    refusal = None
    with transaction.atomic():
        clip = _locked(clip_id)
        if clip.status != ClipStatus.UPLOADING:
            raise AlreadyFinished(f"This clip is already {clip.get_status_display().lower()}.")
        path = part_path(clip.upload_key)
        on_disk = path.stat().st_size if path.exists() else -1
        if clip.received_bytes != clip.size_bytes or on_disk != clip.size_bytes:
            refusal = (
                f"The upload was incomplete ({clip.received_bytes:,} of {clip.size_bytes:,} "
                "bytes); nothing was kept. Please upload the clip again."
            )
        else:
            with path.open("rb") as part:
                head = part.read(16)
            if not media.signature_matches(head, clip.extension):
                refusal = (
                    f"This file is not a real {clip.extension.upper()} video; nothing was kept. "
                    f"Choose an {limits_text()} file."
                )
        if refusal:
            _discard(clip)
        else:
            clip.status = ClipStatus.PROCESSING
            clip.last_activity = clip.processing_since = timezone.now()
            clip.save(update_fields=["status", "last_activity", "processing_since", "updated_at"])
            _enqueue_processing(clip.pk)
    if refusal:
        raise ValidationError({"file": [refusal]})
    return clip


def _enqueue_processing(clip_id: int) -> None:
    """Queue the job once the transaction commits; a broker that is down never fails the
    request: the sweep queues the job again."""
    from clips.tasks import clip_process

    transaction.on_commit(functools.partial(clip_process.delay, clip_id), robust=True)


# --- Processing (the job) ----------------------------------------------------------------------


def clip_process(*, clip_id: int) -> Clip | None:
    """Read the finished upload's duration, take a poster, move both to the clips storage.
    Idempotent: a clip that is not processing (ready, failed, deleted) is left alone. A file
    ffmpeg cannot read, or any error, marks the clip failed (never stuck) and cleans up."""
    clip = Clip.objects.filter(pk=clip_id).first()
    if clip is None or clip.status != ClipStatus.PROCESSING:
        return clip
    Clip.objects.filter(pk=clip_id).update(
        last_activity=timezone.now(), process_attempts=clip.process_attempts + 1
    )
    source = part_path(clip.upload_key)
    stored: list[str] = []
    try:
        if not source.exists():
            raise media.MediaError("The uploaded file was lost before it could be processed.")
        duration = media.probe_duration(source)
        with tempfile.TemporaryDirectory(prefix="clip-") as tmp:
            poster_path = Path(tmp) / "poster.jpg"
            media.make_poster(source, poster_path, duration=duration)
            storage = clip_storage()
            with source.open("rb") as video:
                stored.append(storage.save(f"{clip.upload_key.hex}.{clip.extension}", File(video)))
            with poster_path.open("rb") as poster:
                stored.append(storage.save(f"{clip.upload_key.hex}-poster.jpg", File(poster)))
        # Inside the try: a database error here removes what was stored (a retry stores anew).
        return clip_mark_processed(
            clip_id=clip_id, file_name=stored[0], poster_name=stored[1], duration=duration
        )
    except media.MediaError as exc:
        _remove_stored(*stored)
        return clip_fail(clip_id=clip_id, reason=str(exc))
    except BaseException:
        _remove_stored(*stored)
        clip_fail(
            clip_id=clip_id, reason="Processing the clip stopped on an error. Upload it again."
        )
        raise


def clip_mark_processed(
    *, clip_id: int, file_name: str, poster_name: str, duration: float
) -> Clip | None:
    with transaction.atomic():
        clip = Clip.objects.select_for_update().filter(pk=clip_id).first()
        if clip is None or clip.status != ClipStatus.PROCESSING:
            # Deleted or failed meanwhile: what this run stored is not wanted.
            transaction.on_commit(lambda: _remove_stored(file_name, poster_name))
            return clip
        clip.file.name = file_name
        clip.poster.name = poster_name
        clip.duration_seconds = round(duration, 2)
        clip.status = ClipStatus.READY
        clip.failure_reason = ""
        clip.last_activity = timezone.now()
        clip.full_clean()
        clip.save()
        key = clip.upload_key
        transaction.on_commit(lambda: _remove(part_path(key)))
    return clip


def clip_fail(*, clip_id: int, reason: str) -> Clip | None:
    """Mark a clip that is not ready failed, with the reason, and remove its partial file."""
    with transaction.atomic():
        clip = Clip.objects.select_for_update().filter(pk=clip_id).first()
        if clip is None or clip.status == ClipStatus.READY:
            return clip
        clip.status = ClipStatus.FAILED
        clip.failure_reason = reason[:300]
        clip.last_activity = timezone.now()
        clip.save(update_fields=["status", "failure_reason", "last_activity", "updated_at"])
        key = clip.upload_key
        transaction.on_commit(lambda: _remove(part_path(key)))
    return clip


@dataclass
class SweepResult:
    abandoned: int = 0
    requeued: int = 0
    failed: int = 0

    def as_dict(self) -> dict:
        return {"abandoned": self.abandoned, "requeued": self.requeued, "failed": self.failed}


def clip_uploads_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Periodic: remove uploads abandoned for a day (rows and partial files), queue again the
    processing of clips whose job was lost, and fail those that never finish."""
    now = now or timezone.now()
    result = SweepResult()
    for clip in Clip.objects.filter(
        status=ClipStatus.UPLOADING, last_activity__lt=now - ABANDONED_AFTER
    ):
        with transaction.atomic():
            locked = Clip.objects.select_for_update().filter(
                pk=clip.pk, status=ClipStatus.UPLOADING, last_activity__lt=now - ABANDONED_AFTER
            )
            if locked.exists():
                _discard(clip)
                result.abandoned += 1
    stuck = Clip.objects.filter(status=ClipStatus.PROCESSING, last_activity__lt=now - LOST_AFTER)
    for clip in stuck:
        since = clip.processing_since or clip.created_at
        if since < now - GIVE_UP_AFTER or clip.process_attempts >= MAX_PROCESS_ATTEMPTS:
            clip_fail(clip_id=clip.pk, reason="Processing never finished. Upload the clip again.")
            result.failed += 1
        else:
            Clip.objects.filter(pk=clip.pk).update(last_activity=now)
            _enqueue_processing(clip.pk)
            result.requeued += 1
    return result


# --- Comments, sharing, deleting ---------------------------------------------------------------


def clip_tag_choices(*, clip: Clip) -> list[tuple[str, str]]:
    """The tags a comment on this clip may carry: the cycle's agreed move and the student
    evidence of the cycle's observations, as (value, label)."""
    choices = []
    move = AgreedMove.objects.filter(cycle_id=clip.cycle_id).select_related("move").first()
    if move is not None:
        choices.append((f"move:{move.pk}", f"The move: {move.move.name}"))
    for evidence in StudentEvidence.objects.filter(observation__cycle_id=clip.cycle_id).order_by(
        "noted_at", "id"
    ):
        choices.append(
            (
                f"evidence:{evidence.pk}",
                f"Evidence ({evidence.get_kind_display()}): {evidence.description[:60]}",
            )
        )
    return choices


def clip_comment_add(
    *, clip: Clip, author: User, at_seconds: float, body: str, tag: str = ""
) -> ClipComment:
    errors: dict[str, list[str]] = {}
    if clip.status != ClipStatus.READY:
        raise ValidationError("Comments can be added once the clip is ready to watch.")
    body = (body or "").strip()
    if not body:
        errors["body"] = ["Write the comment."]
    if at_seconds is None or at_seconds < 0:
        errors["at"] = ["Give a time in the clip, like 1:05."]
    elif clip.duration_seconds is not None and at_seconds > clip.duration_seconds + 1:
        errors["at"] = [f"The clip is only {_label(clip.duration_seconds)} long."]
    comment = ClipComment(clip=clip, author=author, at_seconds=at_seconds or 0, body=body)
    if tag:
        kind, _, pk = tag.partition(":")
        if f"{kind}:{pk}" not in dict(clip_tag_choices(clip=clip)):
            errors["tag"] = ["Pick the move or a piece of this cycle's student evidence."]
        elif kind == "move":
            comment.agreed_move_id = int(pk)
        else:
            comment.evidence_id = int(pk)
    if errors:
        raise ValidationError(errors)
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        Clip.objects.filter(pk=clip.pk).update(last_activity=timezone.now())
    return comment


def _label(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def clip_share(*, clip: Clip, shared: bool) -> Clip:
    """The teacher shares the clip with their school's principal(s), or stops sharing it."""
    with transaction.atomic():
        clip = Clip.objects.select_for_update().get(pk=clip.pk)
        if clip.shared_with_principal != shared:
            clip.shared_with_principal = shared
            clip.shared_at = timezone.now() if shared else None
            clip.full_clean()
            clip.save(update_fields=["shared_with_principal", "shared_at", "updated_at"])
    return clip


def clip_delete(*, clip: Clip) -> None:
    """The teacher deletes their clip for good: the row, its comments, its stored files and
    any partial upload (the files once the deletion commits: clips/receivers.py)."""
    with transaction.atomic():
        Clip.objects.filter(pk=clip.pk).delete()  # the teacher's own video, removed for good


def clip_files_remove(*, names: tuple[str, ...], upload_key) -> None:
    """Remove a deleted clip's stored files and partial upload (clips/receivers.py calls it
    once the deletion commits, whatever deleted the row)."""
    _remove_stored(*names)
    _remove(part_path(upload_key))
