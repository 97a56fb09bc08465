"""A teacher's own data: the page that explains it and the download of everything the app
holds about them. Only the person whose teacher profile it is reaches these (no profile: 404)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from privacy import selectors
from privacy.graph import ACCOUNT_MODELS


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    teacher = selectors.own_teacher_get_for_user(user=request.user)
    return render(
        request,
        "privacy/my_data.html",
        {"teacher": teacher, "account_records": ACCOUNT_MODELS.values()},
    )


@login_required
@require_GET
def my_data_download(request: HttpRequest) -> HttpResponse:
    teacher = selectors.own_teacher_get_for_user(user=request.user)
    data = selectors.teacher_data_export(teacher=teacher)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="my-coaching-data-{stamp}.zip"'
    response["Cache-Control"] = "no-store, private"
    return response
