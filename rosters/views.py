"""Roster import pages, for administrators of a district and superusers. Views check the role,
call a selector or a service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rosters import selectors, services
from rosters.forms import RosterUploadForm

RECENT = 20


def _require_administrator(request: HttpRequest) -> None:
    if not selectors.may_import_rosters(user=request.user):
        raise PermissionDenied("This page is for administrators.")


@require_http_methods(["GET", "POST"])
@login_required
def roster_index(request: HttpRequest) -> HttpResponse:
    """The upload form and the recent imports of the user's districts."""
    _require_administrator(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bundle"]
        roster_import = services.roster_import_create(
            user=request.user,
            file_name=upload.name,
            data=form.cleaned_data["bundle_bytes"],
            district=form.cleaned_data["district"],
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("roster_import_detail", import_id=roster_import.pk)
    imports = selectors.roster_imports_for(user=request.user)[:RECENT]
    return render(request, "rosters/index.html", {"form": form, "imports": imports})


@require_GET
@login_required
def roster_import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    """Progress while the import runs (HTMX polls the progress partial), then the rows or
    counts and the errors."""
    _require_administrator(request)
    roster_import = selectors.roster_import_get_for_user(user=request.user, import_id=import_id)
    percent = selectors.roster_import_percent(roster_import=roster_import)
    context = {
        "imp": roster_import,
        "percent": percent,
        "step": percent - percent % 5,  # the progress bar's width classes (rosters.css)
        "progress": selectors.roster_import_progress(roster_import=roster_import),
        "bundle_kept_hours": services.BUNDLE_KEPT_HOURS,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    if partial and not roster_import.is_finished:
        template = "rosters/_progress.html"
    elif partial:
        template = "rosters/_result.html"
    else:
        template = "rosters/detail.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def roster_import_apply(request: HttpRequest, import_id: int) -> HttpResponse:
    """Apply a dry run: the same bundle, imported for real (a new import)."""
    _require_administrator(request)
    roster_import = selectors.roster_import_get_for_user(user=request.user, import_id=import_id)
    try:
        applied = services.roster_import_apply(roster_import=roster_import, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("roster_import_detail", import_id=roster_import.pk)
    messages.success(request, "The import is queued: it applies the dry run's bundle.")
    return redirect("roster_import_detail", import_id=applied.pk)
