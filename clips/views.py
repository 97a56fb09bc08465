"""Clip pages: the clips of a cycle with the upload form, the upload protocol's endpoints
(start, chunks, finish), the clip page with its comments, the file and poster behind the
permission check, sharing and deleting. Every lookup goes through clips.access (404 outside
the user's scope); writes go through clips.services."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clips import ranges, selectors, services
from clips.access import CHANGE, OWN, VIEW, clip_get_for_user, cycle_for_clips_get
from clips.forms import ClipCommentForm, ClipStartForm
from clips.models import Clip, ClipStatus
from clips.storage import clip_storage, storage_is_local
from core.forms import add_service_errors, form_data


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.headers.get(
        "X-Requested-With"
    ) in ("fetch", "XMLHttpRequest")


def _json_errors(errors: dict, status: int = 400) -> JsonResponse:
    message = " ".join(str(m) for messages_ in errors.values() for m in messages_)
    return JsonResponse({"errors": errors, "message": message}, status=status)


def _upload_state(clip: Clip) -> dict:
    return {
        "id": clip.pk,
        "offset": clip.received_bytes,
        "size": clip.size_bytes,
        "status": clip.status,
        "upload_url": reverse("clip_upload", args=[clip.pk]),
        "finish_url": reverse("clip_finish", args=[clip.pk]),
        "clip_url": reverse("clip_detail", args=[clip.pk]),
    }


# --- The clips of a cycle, and starting an upload ----------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def clip_list(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_clips_get(user=request.user, cycle_id=cycle_id)
    data = selectors.cycle_clips(user=request.user, cycle=cycle)
    form = ClipStartForm(form_data(request))
    if request.method == "POST":
        if not data.may_upload:
            raise Http404("No clips here.")
        if not form.is_valid():
            return _json_errors(
                {k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()}
            )
        resume = _resumable(request, cycle, form.cleaned_data)
        if resume is not None:
            return JsonResponse(_upload_state(resume), status=200)
        try:
            clip = services.clip_start_upload(
                cycle=cycle,
                user=request.user,
                title=form.cleaned_data["title"],
                original_name=form.cleaned_data["name"],
                content_type=form.cleaned_data["type"],
                size_bytes=form.cleaned_data["size"] or 0,
                source_modified=form.cleaned_data["modified"],
            )
        except ValidationError as exc:
            return _json_errors(exc.message_dict)
        return JsonResponse(_upload_state(clip), status=201)
    return render(
        request,
        "clips/list.html",
        {
            "cycle": cycle,
            "data": data,
            "form": form,
            "limits": services.limits_text(),
            "max_bytes": services.settings.CLIP_MAX_BYTES,
            "chunk_bytes": services.settings.CLIP_CHUNK_BYTES,
        },
    )


def _resumable(request: HttpRequest, cycle, cleaned: dict) -> Clip | None:
    """An unfinished upload of the same file by the same person (after a reload): resume it."""
    if request.POST.get("resume") != "1":
        return None
    return (
        Clip.objects.filter(
            cycle=cycle,
            uploaded_by=request.user,
            status=ClipStatus.UPLOADING,
            original_name=(cleaned["name"] or "").strip()[-255:],
            size_bytes=cleaned["size"] or 0,
            source_modified=cleaned["modified"],  # the same name and size but another file: new
        )
        .order_by("-created_at")
        .first()
    )


@login_required
@require_GET
def clips_shared(request: HttpRequest) -> HttpResponse:
    """The clips teachers shared that the user may watch (a principal's way to them)."""
    return render(
        request, "clips/shared.html", {"clips": selectors.shared_clips(user=request.user)}
    )


# --- Chunks and finishing ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "PUT"])
def clip_upload(request: HttpRequest, clip_id: int) -> HttpResponse:
    """GET/HEAD: where the upload stands (resume from ``offset``). PUT: a chunk, appended only
    at ``X-Upload-Offset`` == the bytes received (409 with the current offset otherwise)."""
    clip = clip_get_for_user(user=request.user, clip_id=clip_id, action=CHANGE)
    if clip.uploaded_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404("No such upload.")
    if request.method in ("GET", "HEAD"):
        response = JsonResponse(_upload_state(clip))
        response["X-Upload-Offset"] = str(clip.received_bytes)
        response["Cache-Control"] = "no-store"
        return response
    raw_offset = request.headers.get("X-Upload-Offset", "")
    if not re.fullmatch(r"[0-9]{1,15}", raw_offset):
        return JsonResponse(
            {"message": "The chunk came without a valid offset.", "offset": clip.received_bytes},
            status=400,
        )
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = -1
    if length <= 0 or length > services.settings.CLIP_CHUNK_BYTES:
        return JsonResponse(
            {
                "message": f"Chunks are sent up to {services.settings.CLIP_CHUNK_BYTES:,} bytes.",
                "offset": clip.received_bytes,
            },
            status=413 if length > 0 else 400,
        )
    data = request.read(length)
    if len(data) != length:
        return JsonResponse(
            {"message": "The chunk arrived incomplete.", "offset": clip.received_bytes},
            status=400,
        )
    try:
        clip = services.clip_append_chunk(clip_id=clip.pk, offset=int(raw_offset), data=data)
    except services.ClipUploadError as exc:
        return JsonResponse({"message": exc.message, "offset": exc.offset}, status=exc.status)
    return JsonResponse(_upload_state(clip))


@login_required
@require_POST
def clip_finish(request: HttpRequest, clip_id: int) -> HttpResponse:
    clip = clip_get_for_user(user=request.user, clip_id=clip_id, action=CHANGE)
    if clip.uploaded_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404("No such upload.")
    as_json = _wants_json(request)
    list_url = reverse("clip_list", args=[clip.cycle_id])
    try:
        clip = services.clip_finish_upload(clip_id=clip.pk)
    except services.ClipUploadError as exc:
        if as_json:
            answer = {"message": exc.message}
            if isinstance(exc, services.AlreadyFinished):
                # A retried finish whose first attempt landed: the script takes it as done.
                current = Clip.objects.filter(pk=clip.pk).first() or clip
                answer |= {
                    "status": current.status,
                    "clip_url": reverse("clip_detail", args=[clip.pk]),
                }
            return JsonResponse(answer, status=exc.status)
        messages.error(request, exc.message)
        return redirect("clip_detail", clip_id=clip.pk)
    except ValidationError as exc:
        if as_json:
            return _json_errors(exc.message_dict)
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(list_url)
    if as_json:
        return JsonResponse(_upload_state(clip))
    messages.success(request, "Uploaded. The clip is being prepared; it plays in a minute.")
    return redirect("clip_detail", clip_id=clip.pk)


# --- The clip page and its comments ------------------------------------------------------------


def _comment_context(request: HttpRequest, clip: Clip, form=None) -> dict:
    perms = selectors.clip_permissions(user=request.user, clip=clip)
    if form is None and perms.comment:
        form = ClipCommentForm(tag_choices=_tag_choices(clip, perms))
    return {
        "clip": clip,
        "comments": selectors.clip_comments(clip=clip),
        "perms": perms,
        "comment_form": form,
    }


def _tag_choices(clip: Clip, perms) -> list:
    return services.clip_tag_choices(clip=clip) if perms.tags_readable else []


@login_required
@require_GET
def clip_detail(request: HttpRequest, clip_id: int) -> HttpResponse:
    clip = clip_get_for_user(user=request.user, clip_id=clip_id, action=VIEW)
    context = _comment_context(request, clip)
    if request.htmx and request.GET.get("part") == "status":
        return render(request, "clips/_status.html", context)
    return render(request, "clips/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def clip_comments(request: HttpRequest, clip_id: int) -> HttpResponse:
    """GET: the comments list (HTMX partial; the clip page without HTMX). POST: add a comment
    (teacher or coach)."""
    if request.method == "GET":
        clip = clip_get_for_user(user=request.user, clip_id=clip_id, action=VIEW)
        template = "clips/_comments.html" if request.htmx else "clips/detail.html"
        return render(request, template, _comment_context(request, clip))
    clip = clip_get_for_user(user=request.user, clip_id=clip_id, action=CHANGE)
    perms = selectors.clip_permissions(user=request.user, clip=clip)
    form = ClipCommentForm(request.POST, tag_choices=_tag_choices(clip, perms))
    if form.is_valid():
        try:
            services.clip_comment_add(
                clip=clip,
                author=request.user,
                at_seconds=form.cleaned_data["at"],
                body=form.cleaned_data["body"],
                tag=form.cleaned_data["tag"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return render(
                    request, "clips/_comments.html", _comment_context(request, clip), status=201
                )
            messages.success(request, "Comment added.")
            return redirect(reverse("clip_detail", args=[clip.pk]) + "#comments")
    context = _comment_context(request, clip, form)
    if request.htmx:  # htmx swaps only a 2xx answer: the form with its errors
        return render(request, "clips/_comments.html", context)
    return render(request, "clips/detail.html", context, status=400)


# --- The file and the poster, behind the permission check --------------------------------------

SECURITY_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
}


def _serve(request: HttpRequest, clip: Clip, field: str, content_type: str) -> HttpResponse:
    stored = getattr(clip, field)
    if clip.status != ClipStatus.READY or not stored.name:
        raise Http404("Not ready.")
    storage = clip_storage()
    if not storage_is_local():
        response = HttpResponseRedirect(storage.url(stored.name))
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        handle = storage.open(stored.name, "rb")
    except OSError as exc:
        raise Http404("The file is missing.") from exc
    try:
        size = storage.size(stored.name)
    except OSError as exc:
        handle.close()
        raise Http404("The file is missing.") from exc
    try:
        wanted = ranges.parse_range(request.headers.get("Range"), size)
    except ranges.Unsatisfiable:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        if wanted is None:
            response = FileResponse(handle, content_type=content_type)
            response["Content-Length"] = str(size)
        else:
            handle.seek(wanted.start)
            response = FileResponse(
                _limited(handle, wanted.length), status=206, content_type=content_type
            )
            response["Content-Length"] = str(wanted.length)
            response["Content-Range"] = wanted.content_range(size)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = "inline"
    for header, value in SECURITY_HEADERS.items():
        response[header] = value
    return response


def _limited(handle, length: int, block: int = 64 * 1024):
    """Yield ``length`` bytes from ``handle``, then close it."""
    try:
        left = length
        while left > 0:
            data = handle.read(min(block, left))
            if not data:
                break
            left -= len(data)
            yield data
    finally:
        handle.close()


@login_required
@require_GET
def clip_video(request: HttpRequest, clip_id: int) -> HttpResponse:
    clip = clip_get_for_user(user=request.user, clip_id=clip_id, action=VIEW)
    return _serve(request, clip, "file", clip.content_type)


@login_required
@require_GET
def clip_poster(request: HttpRequest, clip_id: int) -> HttpResponse:
    clip = clip_get_for_user(user=request.user, clip_id=clip_id, action=VIEW)
    return _serve(request, clip, "poster", "image/jpeg")


# --- The teacher's own: sharing and deleting ---------------------------------------------------


@login_required
@require_POST
def clip_share(request: HttpRequest, clip_id: int) -> HttpResponse:
    clip = clip_get_for_user(user=request.user, clip_id=clip_id, action=OWN)
    choice = request.POST.get("shared")
    if choice not in ("0", "1"):
        messages.error(request, "Choose whether to share the clip or stop sharing it.")
        return redirect("clip_detail", clip_id=clip.pk)
    shared = choice == "1"
    services.clip_share(clip=clip, shared=shared)
    messages.success(
        request,
        "Shared with your principal." if shared else "No longer shared with your principal.",
    )
    return redirect("clip_detail", clip_id=clip.pk)


@login_required
@require_http_methods(["GET", "POST"])
def clip_delete(request: HttpRequest, clip_id: int) -> HttpResponse:
    clip = clip_get_for_user(user=request.user, clip_id=clip_id, action=OWN)
    if request.method == "POST":
        cycle_id = clip.cycle_id
        title = clip.title
        services.clip_delete(clip=clip)
        messages.success(request, f"“{title}” is deleted, with its comments.")
        return redirect("clip_list", cycle_id=cycle_id)
    return render(request, "clips/delete.html", {"clip": clip})
