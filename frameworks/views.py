"""Framework pages, for administrators of a district and superusers (anyone else: 404). Views
check the role, call a selector or a service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors, form_data
from frameworks import selectors, services
from frameworks.forms import FrameworkImportForm


def _require_administrator(request: HttpRequest) -> None:
    if not selectors.may_manage_frameworks(user=request.user):
        raise Http404("No such page.")


@require_http_methods(["GET", "POST"])
@login_required
def framework_index(request: HttpRequest) -> HttpResponse:
    """The district's frameworks and the CSV upload form."""
    _require_administrator(request)
    form = FrameworkImportForm(form_data(request), request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            framework = services.framework_import_csv(
                district=data["district"],
                name=data["name"],
                file=data["file"],
                activate=data["activate"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            state = " It is now the active framework." if framework.is_active else ""
            messages.success(request, f"Framework “{framework.name}” imported.{state}")
            return redirect("framework_detail", framework_id=framework.pk)
    context = {
        "form": form,
        "frameworks": selectors.frameworks_for(request.user),
        "columns": services.COLUMNS,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "frameworks/index.html", context, status=status)


@require_GET
@login_required
def framework_detail(request: HttpRequest, framework_id: int) -> HttpResponse:
    _require_administrator(request)
    framework = selectors.framework_get_for_user(user=request.user, framework_id=framework_id)
    return render(request, "frameworks/detail.html", {"framework": framework})


@require_POST
@login_required
def framework_activate(request: HttpRequest, framework_id: int) -> HttpResponse:
    _require_administrator(request)
    framework = selectors.framework_get_for_user(user=request.user, framework_id=framework_id)
    try:
        services.framework_activate(framework=framework, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{framework.name}” is now {framework.district}'s framework.")
    return redirect("framework_detail", framework_id=framework.pk)
