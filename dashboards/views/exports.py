"""CSV exports of cycles, observations and time entries for a period (dashboards.exports says
which rows and columns). The page's form is sent by GET, so a download link can be bookmarked:
with the form's parameters the page answers with the CSV, streamed; with invalid ones, the form
again with its errors (400)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.csv_export import csv_streaming_response
from dashboards import exports
from dashboards.forms.exports import EXPORT_FIELDS, ExportForm


@require_GET
@never_cache
@login_required
def export_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    kinds = exports.export_kinds(user=user)
    if not kinds:
        raise PermissionDenied("Exports are for people with a role at a school.")
    asked = any(name in request.GET for name in EXPORT_FIELDS)
    form = ExportForm(
        request.GET if asked else None,
        kinds=kinds,
        schools=exports.export_schools(user=user),
        today=timezone.localdate(),  # at the user's school (SchoolTimeZoneMiddleware)
    )
    if asked and form.is_valid():
        data = form.cleaned_data
        export = exports.export_for(
            user=user,
            kind=data["what"],
            start=data["start"],
            end=data["end"],
            school=data.get("school"),
        )
        return csv_streaming_response(
            filename=export.filename, header=export.header, rows=export.rows
        )
    quick = [
        (
            f"{exports.ExportKind(kind).label}, {preset.label.split(' (')[0].lower()}",
            urlencode({"what": kind, "period": preset.value}),
        )
        for kind in kinds
        for preset in (exports.PeriodPreset.THIS_MONTH, exports.PeriodPreset.THIS_SCHOOL_YEAR)
    ]
    context = {
        "form": form,
        "quick": quick,
        "can_export_time": exports.ExportKind.TIME_ENTRIES in kinds,
        "max_days": exports.EXPORT_MAX_DAYS,
    }
    return render(request, "dashboards/exports.html", context, status=400 if asked else 200)
