"""Role home pages. Views only check the role, call a selector and render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from coaching import selectors
from coaching.access import SHARED_CYCLE_PRINCIPAL_READS, page_scopes
from coaching.forms.teacher import CaseloadFilterForm
from core.page_cache import versioned_page
from teachers.models import Role
from teachers.selectors import user_roles


def _plural(noun: str) -> str:
    return noun + ("es" if noun.endswith(("ch", "sh", "s")) else "s")


def _require_role(request: HttpRequest, *roles: str) -> None:
    if request.user.is_superuser:
        return
    if not user_roles(user=request.user) & set(roles):
        raise PermissionDenied(
            "This page is for " + " and ".join(_plural(r.label.lower()) for r in roles) + "."
        )


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its own page in the app: coach -> caseload, leaders and
    administrators (superusers too) -> dashboard, teacher -> my move. Never to the Django admin:
    its "View site" comes here (config/urls.py), and the app's menu links the admin for staff.
    Staff without a role get the no-role page, which links the admin."""
    roles = user_roles(user=request.user)
    if Role.COACH in roles:
        return redirect("caseload")
    if roles & {Role.PRINCIPAL, Role.DISTRICT_LEADER}:
        return redirect("dashboard")
    if Role.TEACHER in roles:
        return redirect("my_move")
    if Role.ADMINISTRATOR in roles or request.user.is_superuser:
        return redirect("dashboard")
    return render(request, "coaching/no_role.html", status=200)


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
    template = "coaching/_caseload_table.html" if partial else "coaching/caseload.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
@versioned_page(page_scopes)
@login_required
def my_move(request: HttpRequest) -> HttpResponse:
    _require_role(request, Role.TEACHER)
    return render(
        request,
        "coaching/my_move.html",
        {
            "mine": selectors.my_move(user=request.user),
            "sharing_sentence": SHARED_CYCLE_PRINCIPAL_READS,
        },
    )
