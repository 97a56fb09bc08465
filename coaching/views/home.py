"""Role home pages. Views only check the role, call a selector and render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

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
