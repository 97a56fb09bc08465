"""Clip services: the upload protocol's checks, processing with the real ffmpeg, comments,
sharing and deleting. Every refusal leaves nothing half-stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.test import override_settings

from clips import services
from clips.models import Clip, ClipComment, ClipStatus
from clips.storage import clip_storage, part_path
from tests.clips.conftest import ready_clip, uploaded
from tests.factories import AgreedMoveFactory, ClipCommentFactory, ClipFactory

pytestmark = pytest.mark.django_db

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42"


def _start(world, **overrides) -> Clip:
    fields = {
        "cycle": world.c1a,
        "user": world.t1a.user,
        "title": "Boards up, period 2",
        "original_name": "lesson.mp4",
        "content_type": "video/mp4",
        "size_bytes": 40,
    }
    return services.clip_start_upload(**{**fields, **overrides})


# --- Starting: type and size checked before any byte -------------------------------------------


def test_start_makes_the_row_and_an_empty_partial_file(school_world):
    clip = _start(school_world)
    assert clip.status == ClipStatus.UPLOADING and clip.received_bytes == 0
    assert part_path(clip.upload_key).read_bytes() == b""


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"original_name": "notes.pdf", "content_type": "application/pdf"}, "file", "MP4, MOV"),
        ({"original_name": "lesson.mp4", "content_type": "image/png"}, "file", "does not match"),
        ({"size_bytes": 0}, "file", "empty"),
        ({"size_bytes": 501 * 1024 * 1024}, "file", "up to 500 MB"),
        ({"title": "  "}, "title", "title"),
    ],
)
def test_start_refuses_wrong_type_size_or_title_and_stores_nothing(
    school_world, overrides, field, text
):
    with pytest.raises(ValidationError) as caught:
        _start(school_world, **overrides)
    assert text in " ".join(caught.value.message_dict[field])
    assert not Clip.objects.exists()


@override_settings(CLIP_MAX_BYTES=100)
def test_the_size_limit_comes_from_settings(school_world):
    with pytest.raises(ValidationError, match="up to 0 MB"):
        _start(school_world, size_bytes=101)


# --- Chunks ------------------------------------------------------------------------------------


def test_chunks_append_at_the_received_offset_only(school_world):
    clip = _start(school_world, size_bytes=20)
    services.clip_append_chunk(clip_id=clip.pk, offset=0, data=MP4_HEAD)
    with pytest.raises(services.OffsetMismatch) as caught:
        services.clip_append_chunk(clip_id=clip.pk, offset=0, data=MP4_HEAD)
    assert caught.value.offset == 12 and caught.value.status == 409
    clip = services.clip_append_chunk(clip_id=clip.pk, offset=12, data=b"abcdefgh")
    assert clip.received_bytes == 20
    assert part_path(clip.upload_key).read_bytes() == MP4_HEAD + b"abcdefgh"


def test_a_chunk_beyond_the_declared_size_is_refused(school_world):
    clip = _start(school_world, size_bytes=10)
    with pytest.raises(services.TooManyBytes):
        services.clip_append_chunk(clip_id=clip.pk, offset=0, data=b"x" * 11)
    assert Clip.objects.get(pk=clip.pk).received_bytes == 0


def test_bytes_beyond_the_recorded_offset_are_cut_off(school_world):
    """A request that wrote but did not record its chunk (it broke) leaves bytes the next
    chunk at the recorded offset overwrites."""
    clip = _start(school_world, size_bytes=12)
    part_path(clip.upload_key).write_bytes(b"garbage!")
    services.clip_append_chunk(clip_id=clip.pk, offset=0, data=MP4_HEAD)
    assert part_path(clip.upload_key).read_bytes() == MP4_HEAD


def test_a_chunk_for_a_finished_clip_is_refused(school_world):
    clip = ready_clip(cycle=school_world.c1a)
    with pytest.raises(services.WrongState):
        services.clip_append_chunk(clip_id=clip.pk, offset=clip.received_bytes, data=b"x")


# --- Finishing ---------------------------------------------------------------------------------


def test_finish_checks_and_queues_processing(school_world, django_capture_on_commit_callbacks):
    clip = uploaded(_start(school_world), MP4_HEAD + b"rest of it")
    with django_capture_on_commit_callbacks() as callbacks:
        clip = services.clip_finish_upload(clip_id=clip.pk)
    assert clip.status == ClipStatus.PROCESSING
    assert len(callbacks) == 1  # the job, queued once the row is committed


def test_finishing_twice_is_refused_without_harm(school_world):
    clip = uploaded(_start(school_world), MP4_HEAD)
    services.clip_finish_upload(clip_id=clip.pk)
    with pytest.raises(services.WrongState, match="already processing"):
        services.clip_finish_upload(clip_id=clip.pk)
    assert Clip.objects.get(pk=clip.pk).status == ClipStatus.PROCESSING


def test_an_incomplete_upload_is_refused_and_removed(
    school_world, django_capture_on_commit_callbacks
):
    clip = _start(school_world, size_bytes=100)
    services.clip_append_chunk(clip_id=clip.pk, offset=0, data=MP4_HEAD)
    with (
        pytest.raises(ValidationError, match="incomplete"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.clip_finish_upload(clip_id=clip.pk)
    assert not Clip.objects.exists()
    assert not part_path(clip.upload_key).exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [("lesson.mp4", b"%PDF-1.7 not a video at all"), ("lesson.webm", MP4_HEAD + b"....")],
)
def test_a_file_that_is_not_the_declared_video_is_refused_and_removed(
    school_world, name, data, django_capture_on_commit_callbacks
):
    ctype = "video/webm" if name.endswith("webm") else "video/mp4"
    clip = uploaded(_start(school_world, original_name=name, content_type=ctype), data)
    with (
        pytest.raises(ValidationError, match="not a real"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.clip_finish_upload(clip_id=clip.pk)
    assert not Clip.objects.exists()
    assert not part_path(clip.upload_key).exists()


# --- Processing (synchronously here; tests/clips/test_tasks.py runs the real worker) ----------


def test_processing_reads_the_duration_and_stores_video_and_poster(
    school_world, video_bytes, django_capture_on_commit_callbacks
):
    clip = uploaded(_start(school_world), video_bytes)
    services.clip_finish_upload(clip_id=clip.pk)
    with django_capture_on_commit_callbacks(execute=True):
        clip = services.clip_process(clip_id=clip.pk)
    assert clip.status == ClipStatus.READY
    assert clip.duration_seconds == pytest.approx(3, abs=0.2)
    storage = clip_storage()
    assert storage.open(clip.file.name).read() == video_bytes
    assert storage.open(clip.poster.name).read(2) == b"\xff\xd8"  # a JPEG
    assert clip.upload_key.hex in clip.file.name  # the random key, never the id or the name
    assert not part_path(clip.upload_key).exists()
    # Idempotent: run again (a redelivered job), nothing changes.
    assert services.clip_process(clip_id=clip.pk).file.name == clip.file.name


def test_a_file_ffmpeg_cannot_read_fails_with_a_reason_and_is_removed(
    school_world, django_capture_on_commit_callbacks
):
    clip = uploaded(_start(school_world), MP4_HEAD + b"\x00" * 2000)
    services.clip_finish_upload(clip_id=clip.pk)
    with django_capture_on_commit_callbacks(execute=True):
        clip = services.clip_process(clip_id=clip.pk)
    assert clip.status == ClipStatus.FAILED
    assert "could not be read" in clip.failure_reason
    assert not part_path(clip.upload_key).exists()
    assert not clip.file.name


def test_a_storage_error_marks_the_clip_failed_never_stuck(
    school_world, video_bytes, monkeypatch, django_capture_on_commit_callbacks
):
    clip = uploaded(_start(school_world), video_bytes)
    services.clip_finish_upload(clip_id=clip.pk)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(type(clip_storage()), "save", broken)
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):
        services.clip_process(clip_id=clip.pk)
    clip.refresh_from_db()
    assert clip.status == ClipStatus.FAILED and "stopped on an error" in clip.failure_reason
    assert not part_path(clip.upload_key).exists()


# --- Comments ----------------------------------------------------------------------------------


def test_comments_come_in_time_order(school_world):
    clip = ready_clip(cycle=school_world.c1a)
    for at, body in [(2.5, "second"), (0.5, "first"), (3, "third")]:
        services.clip_comment_add(clip=clip, author=school_world.coach1, at_seconds=at, body=body)
    assert [c.body for c in clip.comments.all()] == ["first", "second", "third"]


def test_a_comment_is_tagged_with_the_cycles_move_or_its_evidence_only(school_world):
    w = school_world
    clip = ready_clip(cycle=w.c1a)
    move = AgreedMoveFactory(cycle=w.c1a)
    evidence = w.o1a.student_evidence.first()
    a = services.clip_comment_add(
        clip=clip, author=w.coach1, at_seconds=1, body="The move", tag=f"move:{move.pk}"
    )
    b = services.clip_comment_add(
        clip=clip, author=w.coach1, at_seconds=2, body="Said", tag=f"evidence:{evidence.pk}"
    )
    assert (a.agreed_move, b.evidence) == (move, evidence)
    foreign = w.o1b.student_evidence.first()  # another cycle's evidence
    with pytest.raises(ValidationError) as caught:
        services.clip_comment_add(
            clip=clip, author=w.coach1, at_seconds=2, body="x", tag=f"evidence:{foreign.pk}"
        )
    assert "tag" in caught.value.message_dict


def test_a_comment_past_the_end_or_before_the_start_is_refused(school_world):
    clip = ready_clip(cycle=school_world.c1a)
    for at in (-1, 60):
        with pytest.raises(ValidationError) as caught:
            services.clip_comment_add(
                clip=clip, author=school_world.coach1, at_seconds=at, body="x"
            )
        assert "at" in caught.value.message_dict
    assert not clip.comments.exists()


def test_the_database_refuses_two_tags_and_negative_times(school_world):
    w = school_world
    comment = ClipCommentFactory(clip=ready_clip(cycle=w.c1a))
    move = AgreedMoveFactory(cycle=w.c1a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClipComment.objects.filter(pk=comment.pk).update(
            agreed_move=move, evidence=w.o1a.student_evidence.first()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ClipComment.objects.filter(pk=comment.pk).update(at_seconds=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Clip.objects.filter(pk=comment.clip_id).update(received_bytes=10**9)


# --- Sharing and deleting ----------------------------------------------------------------------


def test_sharing_records_when(school_world):
    clip = ready_clip(cycle=school_world.c1a)
    clip = services.clip_share(clip=clip, shared=True)
    assert clip.shared_with_principal and clip.shared_at
    clip = services.clip_share(clip=clip, shared=False)
    assert not clip.shared_with_principal and clip.shared_at is None


def test_deleting_removes_the_row_comments_and_files(
    school_world, django_capture_on_commit_callbacks
):
    clip = ready_clip(cycle=school_world.c1a)
    ClipCommentFactory(clip=clip)
    names = (clip.file.name, clip.poster.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.clip_delete(clip=clip)
    assert not Clip.objects.exists() and not ClipComment.objects.exists()
    assert not any(clip_storage().exists(name) for name in names)


def test_a_clip_deleted_while_processing_leaves_no_files(
    school_world, video_bytes, django_capture_on_commit_callbacks
):
    clip = uploaded(ClipFactory(cycle=school_world.c1a, status=ClipStatus.PROCESSING), video_bytes)
    saved = clip_storage().save("orphan.mp4", ContentFile(b"bytes"))
    Clip.objects.filter(pk=clip.pk).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.clip_mark_processed(clip_id=clip.pk, file_name=saved, poster_name="", duration=3)
    assert not clip_storage().exists(saved)


# --- Review fixes ------------------------------------------------------------------------------


def _stored_for(clip: Clip) -> list[str]:
    storage = clip_storage()
    return [name for name in storage.listdir("")[1] if clip.upload_key.hex in name]


def test_a_database_error_after_storing_removes_what_was_stored(
    school_world, video_bytes, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    clip = uploaded(_start(school_world), video_bytes)
    services.clip_finish_upload(clip_id=clip.pk)

    def broken(**kwargs):
        raise OperationalError("the database went away")

    monkeypatch.setattr(services, "clip_mark_processed", broken)
    with pytest.raises(OperationalError), django_capture_on_commit_callbacks(execute=True):
        services.clip_process(clip_id=clip.pk)
    assert _stored_for(clip) == []  # no orphan; a retry stores a fresh copy
    clip.refresh_from_db()
    assert clip.status == ClipStatus.FAILED


def test_finish_refuses_a_partial_file_shorter_than_the_bytes_recorded(
    school_world, video_bytes, django_capture_on_commit_callbacks
):
    clip = uploaded(_start(school_world), video_bytes)
    part_path(clip.upload_key).write_bytes(video_bytes[:-10])  # the disk lost the tail
    with pytest.raises(ValidationError) as caught, django_capture_on_commit_callbacks(execute=True):
        services.clip_finish_upload(clip_id=clip.pk)
    assert "incomplete" in " ".join(caught.value.messages)
    assert not Clip.objects.filter(pk=clip.pk).exists()
    assert not part_path(clip.upload_key).exists()


def test_finish_records_when_processing_started(school_world):
    clip = uploaded(_start(school_world), MP4_HEAD + b"x" * 24)
    clip = services.clip_finish_upload(clip_id=clip.pk)
    assert clip.processing_since is not None
    clip.refresh_from_db()
    assert clip.processing_since is not None


def test_a_different_last_modified_is_kept_on_the_row(school_world):
    assert _start(school_world, source_modified=1700000000000).source_modified == 1700000000000


def test_deleting_the_cycle_removes_its_clips_files(
    school_world, django_capture_on_commit_callbacks
):
    clip = ready_clip(cycle=school_world.c1a)
    part_path(clip.upload_key).write_bytes(b"left over")
    names = (clip.file.name, clip.poster.name)
    assert all(clip_storage().exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        school_world.c1a.delete()  # the cascade takes the clip
    assert not Clip.objects.filter(pk=clip.pk).exists()
    assert not any(clip_storage().exists(name) for name in names)
    assert not part_path(clip.upload_key).exists()


def test_a_rolled_back_deletion_keeps_the_files(school_world):
    clip = ready_clip(cycle=school_world.c1a)
    with pytest.raises(RuntimeError), transaction.atomic():
        Clip.objects.filter(pk=clip.pk).delete()
        raise RuntimeError("changed my mind")
    assert clip_storage().exists(clip.file.name)


def test_the_admin_deletes_through_the_service_with_the_files(
    school_world, rf, django_capture_on_commit_callbacks
):
    from django.contrib.admin.sites import site

    clip = ready_clip(cycle=school_world.c1a)
    other = ready_clip(cycle=school_world.c1a)
    admin = site._registry[Clip]
    with django_capture_on_commit_callbacks(execute=True):
        admin.delete_model(rf.post("/"), clip)
        admin.delete_queryset(rf.post("/"), Clip.objects.filter(pk=other.pk))
    assert not Clip.objects.filter(pk__in=[clip.pk, other.pk]).exists()
    assert _stored_for(clip) == [] and _stored_for(other) == []


def test_a_comment_needs_a_ready_clip(school_world):
    clip = ClipFactory(cycle=school_world.c1a, status=ClipStatus.PROCESSING)
    with pytest.raises(ValidationError):
        services.clip_comment_add(clip=clip, author=school_world.coach1, at_seconds=1, body="x")
    assert not clip.comments.exists()
