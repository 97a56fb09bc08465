"""Clip pages and the upload protocol through the test client: start, chunks at offsets,
resume, finish; refusals with their reasons; the file and poster behind the permission check,
with Range support; comments; sharing and deleting by the teacher only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clips.models import Clip, ClipStatus
from clips.storage import part_path
from tests.clips.conftest import ready_clip
from tests.factories import AgreedMoveFactory, ClipCommentFactory

pytestmark = pytest.mark.django_db

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42"
JSON = {"Accept": "application/json", "X-Requested-With": "fetch"}


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _start(client, cycle, *, name="lesson.mp4", size=40, ctype="video/mp4", **extra):
    data = {"title": "Period 2", "name": name, "size": str(size), "type": ctype, **extra}
    return client.post(reverse("clip_list", args=[cycle.pk]), data, headers=JSON)


def _put(client, url, offset, data):
    return client.generic(
        "PUT", url, data, content_type="application/octet-stream",
        headers={"X-Upload-Offset": str(offset)},
    )  # fmt: skip


# --- The upload protocol -----------------------------------------------------------------------


def test_teacher_uploads_in_chunks_resumes_and_finishes(
    school_world, django_capture_on_commit_callbacks
):
    w = school_world
    client = client_for(w.t1a.user)
    payload = MP4_HEAD + b"x" * 28
    start = _start(client, w.c1a, size=len(payload))
    assert start.status_code == 201, start.content
    state = start.json()
    assert _put(client, state["upload_url"], 0, payload[:16]).json()["offset"] == 16
    # A chunk sent again (the answer was lost): 409 with where the server stands.
    again = _put(client, state["upload_url"], 0, payload[:16])
    assert again.status_code == 409 and again.json()["offset"] == 16
    # After a reload, the same file: the server says where to carry on.
    resumed = _start(client, w.c1a, size=len(payload), resume="1")
    assert resumed.status_code == 200 and resumed.json()["id"] == state["id"]
    assert client.get(state["upload_url"]).json()["offset"] == 16
    assert _put(client, state["upload_url"], 16, payload[16:]).json()["offset"] == len(payload)
    with django_capture_on_commit_callbacks() as queued:
        finish = client.post(state["finish_url"], headers=JSON)
    assert finish.status_code == 200 and finish.json()["status"] == ClipStatus.PROCESSING
    assert len(queued) == 1
    # Finishing again at once: refused with a reason, never a 500.
    twice = client.post(state["finish_url"], headers=JSON)
    assert twice.status_code == 409 and "already" in twice.json()["message"]
    # ... with where the clip stands, so a retried finish whose first attempt landed is done.
    assert twice.json()["status"] == ClipStatus.PROCESSING
    assert twice.json()["clip_url"] == reverse("clip_detail", args=[state["id"]])


def test_the_same_name_and_size_but_another_file_starts_a_new_upload(school_world):
    w = school_world
    client = client_for(w.t1a.user)
    first = _start(client, w.c1a, size=40, modified="1700000000000", resume="1")
    assert first.status_code == 201
    same = _start(client, w.c1a, size=40, modified="1700000000000", resume="1")
    assert same.status_code == 200 and same.json()["id"] == first.json()["id"]
    # Another IMG_0001.MOV of the same size (another lastModified): never spliced on.
    other = _start(client, w.c1a, size=40, modified="1700000999000", resume="1")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert Clip.objects.get(pk=other.json()["id"]).source_modified == 1700000999000


@pytest.mark.parametrize(
    ("name", "size", "ctype", "field", "text"),
    [
        ("notes.pdf", 40, "application/pdf", "file", "MP4, MOV or WebM, up to 500 MB"),
        ("lesson.mp4", 600 * 1024 * 1024, "video/mp4", "file", "up to 500 MB"),
        ("lesson.mov", 40, "image/gif", "file", "does not match"),
    ],
)
def test_wrong_type_or_size_is_refused_before_any_byte(
    school_world, name, size, ctype, field, text
):
    response = _start(
        client_for(school_world.coach1), school_world.c1a, name=name, size=size, ctype=ctype
    )
    assert response.status_code == 400
    assert text in " ".join(response.json()["errors"][field])
    assert not Clip.objects.exists()


def test_chunk_refusals_say_why(school_world):
    w = school_world
    client = client_for(w.coach1)
    state = _start(client, w.c1a, size=10).json()
    url = state["upload_url"]
    too_many = _put(client, url, 0, b"x" * 11)
    assert too_many.status_code == 413 and "declared size" in too_many.json()["message"]
    no_offset = client.generic("PUT", url, b"abc", content_type="application/octet-stream")
    assert no_offset.status_code == 400 and "offset" in no_offset.json()["message"]
    absurd = _put(client, url, "9" * 40, b"abc")
    assert absurd.status_code == 400
    # Unicode digits pass str.isdigit() but are not an offset: 400 with the reason, never 500.
    for odd in ("²", "0²", "¹"):
        refused = _put(client, url, odd, b"abc")
        assert refused.status_code == 400 and "offset" in refused.json()["message"], odd
    # Another person (the teacher) cannot write into the coach's upload.
    assert _put(client_for(w.t1a.user), url, 0, b"abc").status_code == 404


def test_a_broken_upload_is_refused_at_finish_and_nothing_is_kept(
    school_world, django_capture_on_commit_callbacks
):
    w = school_world
    client = client_for(w.t1a.user)
    state = _start(client, w.c1a, size=100).json()
    _put(client, state["upload_url"], 0, MP4_HEAD)
    key = Clip.objects.get().upload_key
    with django_capture_on_commit_callbacks(execute=True):
        finish = client.post(state["finish_url"], headers=JSON)
    assert finish.status_code == 400 and "incomplete" in finish.json()["message"]
    assert not Clip.objects.exists() and not part_path(key).exists()


def test_the_upload_form_states_the_limits(school_world):
    w = school_world
    page = client_for(w.t1a.user).get(reverse("clip_list", args=[w.c1a.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "MP4, MOV or WebM, up to 500 MB" in body and "clip_upload.js" in body
    # A principal with no shared clip of this cycle: no page at all.
    assert client_for(w.principal_a).get(reverse("clip_list", args=[w.c1a.pk])).status_code == 404


def test_the_cycle_page_lists_clips_and_my_move_links_to_them(school_world):
    w = school_world
    clip = ready_clip(cycle=w.c1a, title="Boards up in period 2")
    cycle_page = client_for(w.coach1).get(reverse("cycle_detail", args=[w.c1a.pk])).content.decode()
    assert (
        "Boards up in period 2" in cycle_page
        and reverse("clip_poster", args=[clip.pk]) in cycle_page
    )
    assert "Add a clip" in cycle_page
    my_move = client_for(w.t1a.user).get(reverse("my_move")).content.decode()
    assert reverse("clip_list", args=[w.c1a.pk]) in my_move


# --- Serving the file --------------------------------------------------------------------------


def test_the_coach_streams_the_video_with_ranges(school_world):
    w = school_world
    data = MP4_HEAD + bytes(range(256)) * 4
    clip = ready_clip(data=data, cycle=w.c1a)
    client = client_for(w.coach1)
    url = reverse("clip_video", args=[clip.pk])
    whole = client.get(url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == data
    assert whole["Content-Type"] == "video/mp4" and whole["Accept-Ranges"] == "bytes"
    assert whole["X-Content-Type-Options"] == "nosniff"
    assert "private" in whole["Cache-Control"] and whole["Content-Disposition"] == "inline"
    part = client.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and b"".join(part.streaming_content) == data[10:20]
    assert part["Content-Range"] == f"bytes 10-19/{len(data)}"
    beyond = client.get(url, headers={"Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(data)}"
    absurd = client.get(url, headers={"Range": "bytes=" + "9" * 30 + "-"})
    assert absurd.status_code == 416
    # Malformed or running past the end: the whole file, or what exists (RFC 9110).
    malformed = client.get(url, headers={"Range": "bytes=19-10"})
    assert malformed.status_code == 200 and b"".join(malformed.streaming_content) == data
    long_end = client.get(url, headers={"Range": "bytes=10-" + "9" * 30})
    assert long_end.status_code == 206 and b"".join(long_end.streaming_content) == data[10:]
    poster = client.get(reverse("clip_poster", args=[clip.pk]))
    assert poster.status_code == 200 and poster["Content-Type"] == "image/jpeg"


def test_a_principal_and_another_teacher_cannot_fetch_the_file(school_world):
    w = school_world
    clip = ready_clip(cycle=w.c1a)
    for user in (w.principal_a, w.t2a.user, w.coach2, w.principal_b):
        client = client_for(user)
        for name in ("clip_video", "clip_poster", "clip_detail"):
            assert client.get(reverse(name, args=[clip.pk])).status_code == 404, (user, name)
    assert Client().get(reverse("clip_video", args=[clip.pk])).status_code == 302  # sign in


def test_a_clip_not_ready_has_no_file(school_world):
    from tests.factories import ClipFactory

    clip = ClipFactory(cycle=school_world.c1a, status=ClipStatus.PROCESSING)
    client = client_for(school_world.coach1)
    assert client.get(reverse("clip_video", args=[clip.pk])).status_code == 404
    page = client.get(reverse("clip_detail", args=[clip.pk]))
    assert "Preparing the clip" in page.content.decode() and "every 3s" in page.content.decode()


# --- Comments ----------------------------------------------------------------------------------


def test_the_coach_comments_at_a_time_and_the_list_is_in_time_order(school_world):
    w = school_world
    clip = ready_clip(cycle=w.c1a)
    move = AgreedMoveFactory(cycle=w.c1a)
    client = client_for(w.coach1)
    url = reverse("clip_comments", args=[clip.pk])
    assert (
        client.post(url, {"at": "0:02", "body": "Boards up", "tag": f"move:{move.pk}"}).status_code
        == 302
    )
    partial = client.post(url, {"at": "0:01", "body": "Countdown"}, headers={"HX-Request": "true"})
    assert partial.status_code == 201
    body = partial.content.decode()
    assert body.index("Countdown") < body.index("Boards up")
    assert 'data-seek="1.0"' in body and move.move.name in body
    teacher_page = (
        client_for(w.t1a.user).get(reverse("clip_detail", args=[clip.pk])).content.decode()
    )
    assert "Countdown" in teacher_page and "Boards up" in teacher_page


@pytest.mark.parametrize("at", ["", "abc", "-1", "1:75", "99:00"])
def test_a_bad_time_gets_a_message_next_to_the_field(school_world, at):
    clip = ready_clip(cycle=school_world.c1a)
    response = client_for(school_world.coach1).post(
        reverse("clip_comments", args=[clip.pk]), {"at": at, "body": "x"}
    )
    assert response.status_code == 400
    assert 'id="at-error"' in response.content.decode()
    assert not clip.comments.exists()


def test_a_principal_watching_a_shared_clip_of_an_unshared_cycle_sees_no_tag_content(school_world):
    w = school_world
    clip = ready_clip(cycle=w.c1b, shared_with_principal=True)  # c1b: not shared
    move = AgreedMoveFactory(cycle=w.c1b, next_day_action="secret move text")
    ClipCommentFactory(clip=clip, agreed_move=move, body="Look here")
    evidence = w.o1b.student_evidence.first()
    ClipCommentFactory(clip=clip, evidence=evidence, body="And here", at_seconds=2)
    page = client_for(w.principal_a).get(reverse("clip_detail", args=[clip.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Look here" in body and "Tagged" in body
    assert move.move.name not in body and evidence.description not in body
    assert 'name="body"' not in body  # no comment form for the principal
    # The coach sees the tag contents.
    coach_body = client_for(w.coach1).get(reverse("clip_detail", args=[clip.pk])).content.decode()
    assert move.move.name in coach_body


def test_a_principal_cannot_comment(school_world):
    w = school_world
    clip = ready_clip(cycle=w.c1a, shared_with_principal=True)
    response = client_for(w.principal_a).post(
        reverse("clip_comments", args=[clip.pk]), {"at": "0:01", "body": "x"}
    )
    assert response.status_code == 404 and not clip.comments.exists()


# --- Sharing and deleting: the teacher only ----------------------------------------------------


def test_only_the_teacher_shares_and_deletes(school_world, django_capture_on_commit_callbacks):
    w = school_world
    clip = ready_clip(cycle=w.c1a)
    for user in (w.coach1, w.principal_a):
        client = client_for(user)
        assert (
            client.post(reverse("clip_share", args=[clip.pk]), {"shared": "1"}).status_code == 404
        )
        assert client.get(reverse("clip_delete", args=[clip.pk])).status_code == 404
        assert client.post(reverse("clip_delete", args=[clip.pk])).status_code == 404
    teacher = client_for(w.t1a.user)
    assert teacher.post(reverse("clip_share", args=[clip.pk]), {"shared": "1"}).status_code == 302
    clip.refresh_from_db()
    assert clip.shared_with_principal
    assert client_for(w.principal_a).get(reverse("clip_video", args=[clip.pk])).status_code == 200
    confirm = teacher.get(reverse("clip_delete", args=[clip.pk]))
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = teacher.post(reverse("clip_delete", args=[clip.pk]))
    assert done.status_code == 302 and not Clip.objects.exists()
    assert teacher.get(reverse("clip_video", args=[clip.pk])).status_code == 404


def test_a_5_mb_chunk_is_taken_whatever_the_form_upload_limit(school_world, settings):
    """Chunks are read from the request stream, not through Django's 2.5 MB form-body limit."""
    w = school_world
    client = client_for(w.coach1)
    size = settings.CLIP_CHUNK_BYTES
    state = _start(client, w.c1a, size=size + 10).json()
    response = _put(client, state["upload_url"], 0, MP4_HEAD + b"\0" * (size - len(MP4_HEAD)))
    assert response.status_code == 200 and response.json()["offset"] == size
    too_big = _put(client, state["upload_url"], size, b"\0" * (size + 1))
    assert too_big.status_code == 413
    head = client.head(state["upload_url"])
    assert head.status_code == 200 and head["X-Upload-Offset"] == str(size)


def test_a_principal_finds_the_clips_shared_with_them(school_world):
    w = school_world
    shared = ready_clip(cycle=w.c1b, title="Shared one", shared_with_principal=True)
    ready_clip(cycle=w.c1b, title="Kept private")
    ready_clip(cycle=w.cb, title="Other school", shared_with_principal=True)
    principal = client_for(w.principal_a)
    home = principal.get(reverse("dashboard")).content.decode()
    assert reverse("clips_shared") in home
    page = principal.get(reverse("clips_shared")).content.decode()
    assert "Shared one" in page and reverse("clip_detail", args=[shared.pk]) in page
    assert "Kept private" not in page and "Other school" not in page


def test_a_chunk_for_a_clip_no_longer_uploading_stops_the_uploader(school_world):
    """Not an offset problem: a 400 with the reason (the page's script stops, no retry)."""
    clip = ready_clip(cycle=school_world.c1a, uploaded_by=school_world.coach1)
    response = _put(
        client_for(school_world.coach1), reverse("clip_upload", args=[clip.pk]), 0, b"abc"
    )
    assert response.status_code == 400 and "no longer" in response.json()["message"]


def test_comment_errors_come_back_in_the_htmx_partial(school_world):
    clip = ready_clip(cycle=school_world.c1a)
    response = client_for(school_world.coach1).post(
        reverse("clip_comments", args=[clip.pk]),
        {"at": "nope", "body": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200  # htmx swaps only a 2xx
    body = response.content.decode()
    assert 'id="at-error"' in body and 'id="body-error"' in body and "<html" not in body


# --- Review fixes: playback of MOV, a storage error while serving, comments before ready -------


@pytest.mark.parametrize(
    ("name", "ctype", "source_type"),
    [("lesson.mp4", "video/mp4", 'type="video/mp4"'), ("lesson.mov", "video/quicktime", None)],
)
def test_the_video_source_names_its_type_except_for_mov(school_world, name, ctype, source_type):
    clip = ready_clip(cycle=school_world.c1a, original_name=name, content_type=ctype)
    page = client_for(school_world.t1a.user).get(reverse("clip_detail", args=[clip.pk]))
    html = page.content.decode()
    source = html[html.index("<source") :].split(">", 1)[0]
    if source_type:
        assert source_type in source
    else:  # Chrome skips a <source type="video/quicktime"> it would play
        assert "type=" not in source and "quicktime" not in source


def test_a_storage_error_reading_the_size_closes_the_file_and_is_a_404(school_world, monkeypatch):
    from clips.storage import clip_storage

    clip = ready_clip(cycle=school_world.c1a)
    storage_class = type(clip_storage())
    opened = []
    real_open = storage_class.open

    def tracking_open(self, name, mode="rb"):
        handle = real_open(self, name, mode)
        opened.append(handle)
        return handle

    def broken_size(self, name):
        raise OSError("stale NFS handle")

    monkeypatch.setattr(storage_class, "open", tracking_open)
    monkeypatch.setattr(storage_class, "size", broken_size)
    response = client_for(school_world.coach1).get(reverse("clip_video", args=[clip.pk]))
    assert response.status_code == 404
    assert opened and all(handle.closed for handle in opened)


def test_a_clip_not_ready_takes_no_comment(school_world):
    from tests.factories import ClipFactory

    clip = ClipFactory(cycle=school_world.c1a, status=ClipStatus.PROCESSING)
    response = client_for(school_world.coach1).post(
        reverse("clip_comments", args=[clip.pk]), {"at": "0:01", "body": "Too early"}
    )
    assert response.status_code == 400
    assert "once the clip is ready" in response.content.decode()
    assert not clip.comments.exists()
