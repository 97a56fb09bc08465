"""The coach's caseload (filtered and sorted, the table alone for HTMX), and the teacher page:
profile and suggested stance, persistent problems, the current cycle and
the timeline. Profile edits and new problems update the page in place with HTMX and work as
plain pages without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from caseload import selectors
from caseload.forms import CaseloadFilterForm, PersistentProblemForm, TeacherProfileForm
from coaching import services
from coaching.access import CHANGE, READ, page_scopes, teacher_get_for_user, teachers_for
from coaching.views.home import _require_role
from core.forms import add_service_errors, form_data
from core.page_cache import versioned_page
from teachers import services as teacher_services
from teachers.models import Role, Teacher
from teachers.selectors import teacher_suggested_stance, user_roles


@require_GET
@versioned_page(page_scopes)
@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """The coach's teachers, filtered and sorted by the GET parameters ``show``, ``need`` and
    ``sort``; an HTMX request from the filter bar gets the table alone."""
    _require_role(request, Role.COACH)
    all_rows = selectors.caseload_rows(coach=request.user)
    filter_form = CaseloadFilterForm(request.GET or None)
    filters = filter_form.filters()
    rows = selectors.caseload_rows_filter(rows=all_rows, **filters)
    context = {
        "rows": rows,
        "all_count": len(all_rows),
        "filters": filters,
        "filter_form": filter_form,
        "overdue_count": sum(r.overdue for r in all_rows),
        "without_cycle_count": sum(r.no_active_cycle for r in all_rows),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "caseload/_caseload_table.html" if partial else "caseload/caseload.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _partial(request: HttpRequest) -> bool:
    """An HTMX request for a piece of the page (not htmx restoring its history)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _require_coach(request: HttpRequest) -> None:
    """The teacher page is the coach's working page: for anyone else it does not exist."""
    if not request.user.is_superuser and Role.COACH not in user_roles(user=request.user):
        raise Http404("No such teacher.")


def _can_change(request: HttpRequest, teacher: Teacher) -> bool:
    return teachers_for(request.user, CHANGE).filter(pk=teacher.pk).exists()


def _profile_context(teacher: Teacher, *, can_change: bool, **extra) -> dict:
    return {
        "teacher": teacher,
        "stance": teacher_suggested_stance(teacher=teacher),
        "can_change": can_change,
        **extra,
    }


def _problems_context(
    teacher: Teacher, *, can_change: bool, problem_form: Form | None = None, **extra
) -> dict:
    return {
        "teacher": teacher,
        "problems": selectors.teacher_open_problems(teacher=teacher),
        "problem_form": problem_form or PersistentProblemForm(),
        "can_change": can_change,
        **extra,
    }


def _render(request: HttpRequest, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
@login_required
def teacher_detail(request: HttpRequest, teacher_id: int) -> HttpResponse:
    _require_coach(request)
    teacher = teacher_get_for_user(user=request.user, teacher_id=teacher_id, action=READ)
    can_change = _can_change(request, teacher)
    context = {
        **_profile_context(teacher, can_change=can_change),
        **_problems_context(teacher, can_change=can_change),
        "cycle": selectors.teacher_open_cycle(teacher=teacher),
        "timeline": selectors.teacher_timeline(teacher=teacher),
        "evidence_groups": selectors.teacher_evidence_by_component(
            user=request.user, teacher=teacher
        ),
    }
    return _render(request, "caseload/teacher/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def teacher_profile(request: HttpRequest, teacher_id: int) -> HttpResponse:
    """GET: the profile form (the partial for HTMX). POST: save it through the service."""
    teacher = teacher_get_for_user(user=request.user, teacher_id=teacher_id, action=CHANGE)
    form = TeacherProfileForm(form_data(request), teacher=teacher)
    if request.method == "POST" and form.is_valid():
        try:
            teacher = teacher_services.teacher_profile_update(teacher=teacher, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _partial(request):
                context = _profile_context(teacher, can_change=True, saved=True)
                return _render(request, "caseload/teacher/_profile_section.html", context)
            messages.success(request, f"{teacher.full_name}'s profile is saved.")
            return redirect("teacher_detail", teacher_id=teacher.pk)
    context = _profile_context(teacher, can_change=True, form=form)
    if _partial(request):
        return _render(request, "caseload/teacher/_profile_section.html", context)
    return _render(request, "caseload/teacher/profile_edit.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def problem_open(request: HttpRequest, teacher_id: int) -> HttpResponse:
    """Open a persistent problem of practice for the teacher (the partial for HTMX)."""
    teacher = teacher_get_for_user(user=request.user, teacher_id=teacher_id, action=CHANGE)
    form = PersistentProblemForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.persistent_problem_open(teacher=teacher, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _partial(request):
                context = _problems_context(teacher, can_change=True, opened=problem)
                return _render(request, "caseload/teacher/_problems.html", context)
            messages.success(request, f"Persistent problem opened: “{problem.statement}”.")
            return redirect(reverse("teacher_detail", args=[teacher.pk]) + "#problems")
    context = _problems_context(teacher, can_change=True, problem_form=form)
    if _partial(request):
        return _render(request, "caseload/teacher/_problems.html", context)
    return _render(request, "caseload/teacher/problem_open.html", context)
