"""A teacher's data. The teacher's own page explains it and downloads everything the app holds
about them (only the person whose teacher profile it is: no profile, 404). A district's
administrator finds a teacher of their district and erases them, after a confirmation (any
other teacher: 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from privacy import access, selectors, services
from privacy.forms import ErasureConfirmForm, RetentionForm, TeacherSearchForm
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


ERASE_SEARCH_LIMIT = 50


def _require_district_administrator(request: HttpRequest) -> None:
    if not access.may_erase_teachers(user=request.user):
        raise PermissionDenied("This page is for a district's administrators.")


@login_required
@require_GET
def erase_index(request: HttpRequest) -> HttpResponse:
    """Find a teacher of the user's districts to erase, and the erasures made so far."""
    _require_district_administrator(request)
    form = TeacherSearchForm(request.GET or None)
    found = None
    if form.is_valid() and (q := form.cleaned_data["q"].replace("\x00", "")):
        found = (
            access.teachers_erasable_by(user=request.user)
            .filter(Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q))
            .exclude(erasures__isnull=False)
            .select_related("school")
            .order_by("last_name", "first_name", "pk")[:ERASE_SEARCH_LIMIT]
        )
    return render(
        request,
        "privacy/erase_index.html",
        {
            "form": form,
            "found": found,
            "limit": ERASE_SEARCH_LIMIT,
            "erasures": selectors.erasures_for(user=request.user)[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def erase_teacher(request: HttpRequest, teacher_id: int) -> HttpResponse:
    """What erasing this teacher changes, and the confirmation; POST erases."""
    _require_district_administrator(request)
    teacher = access.teacher_get_for_erasure(user=request.user, teacher_id=teacher_id)
    if teacher.erasures.exists():
        messages.info(request, "This teacher's data was erased already.")
        return redirect("erase_index")
    name = f"{teacher.first_name} {teacher.last_name}".strip()
    form = ErasureConfirmForm(request.POST if request.method == "POST" else None, expected=name)
    if request.method == "POST" and form.is_valid():
        try:
            services.teacher_erase(teacher=teacher, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"Teacher #{teacher.pk} was erased. The record below says who and when."
            )
            return redirect("erase_index")
    return render(
        request,
        "privacy/erase_teacher.html",
        {
            "teacher": teacher,
            "name": name,
            "form": form,
            "counts": selectors.teacher_records_count(teacher=teacher),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    """Each of the user's districts: how long it keeps coaching content, and what the next
    next run of the retention job erases. POST (with ``district``) sets one district's years."""
    _require_district_administrator(request)
    forms_by_district = {}
    if request.method == "POST":
        district = access.district_get_for_retention(
            user=request.user, district_id=request.POST.get("district", "")
        )
        form = RetentionForm(request.POST, prefix=f"d{district.pk}")
        if form.is_valid():
            services.district_retention_set(district=district, years=form.cleaned_data["years"])
            messages.success(request, f"{district.name}: the retention setting is saved.")
            return redirect("retention")
        forms_by_district[district.pk] = form
    previews = selectors.retention_previews_for(user=request.user)
    rows = [
        (
            p,
            forms_by_district.get(p.district.pk)
            or RetentionForm(
                initial={"years": p.district.retention_years}, prefix=f"d{p.district.pk}"
            ),
        )
        for p in previews
    ]
    return render(request, "privacy/retention.html", {"rows": rows})
