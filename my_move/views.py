"""The teacher's side: My move (the agreed move, the next step and what comes next), the
read-only record of one of their cycles, the reflection
before a debrief, and sharing a cycle with the principal. Only the cycle's own teacher reaches
these: the cycle is looked up among the signed-in teacher's own cycles (coaching.access READ,
narrowed to their own), so any other id is a 404. Writes go through the services only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching import selectors as coaching_selectors
from coaching.access import SHARED_CYCLE_PRINCIPAL_READS, own_cycle_get_for_user, page_scopes
from coaching.views.home import _require_role
from core.forms import add_service_errors, form_data
from core.page_cache import versioned_page
from my_move import selectors, services
from my_move.forms import CycleShareForm, ReflectionForm
from teachers.models import Role


@require_GET
@versioned_page(page_scopes)
@login_required
def my_move(request: HttpRequest) -> HttpResponse:
    _require_role(request, Role.TEACHER)
    return render(
        request,
        "my_move/my_move.html",
        {
            "mine": selectors.my_move(user=request.user),
            "sharing_sentence": SHARED_CYCLE_PRINCIPAL_READS,
        },
    )


@login_required
@require_GET
def my_cycle(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """One of the teacher's cycles, read-only: the move, the plan, the visits' evidence and
    engagement, the debriefs with their next steps, the teacher's reflections and sharing.
    Another teacher's cycle (or one the user reads only as its coach or principal) is a 404."""
    _require_role(request, Role.TEACHER)
    cycle = own_cycle_get_for_user(user=request.user, cycle_id=cycle_id)
    return render(
        request,
        "my_move/my_cycle.html",
        {
            "record": selectors.own_cycle_record(cycle=cycle),
            "cycle": cycle,
            "sharing_sentence": SHARED_CYCLE_PRINCIPAL_READS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reflect(request: HttpRequest) -> HttpResponse:
    """The reflection prompts for the cycle under way, filled in with earlier answers until
    the debrief they prepare is held."""
    _require_role(request, Role.TEACHER)
    cycle = selectors.teacher_own_open_cycle(user=request.user)
    agreed = getattr(cycle, "agreed_move", None) if cycle else None
    if cycle is None or not coaching_selectors.reflection_possible(
        cycle=cycle, school=cycle.teacher.school
    ):
        return render(request, "my_move/unavailable.html", {"cycle": cycle, "agreed": agreed})
    reflection = coaching_selectors.reflection_current(cycle=cycle)
    next_debrief = coaching_selectors.cycle_next_debrief(cycle=cycle)
    form = ReflectionForm.for_reflection(reflection, form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.reflection_submit(user=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if saved.session and saved.session.scheduled_for:
                when = timezone.localtime(saved.session.scheduled_for)
                text = (
                    f"Reflection saved. Your coach reads it before the debrief on "
                    f"{when:%A %d %B}; you can change it until then."
                )
            else:
                text = (
                    "Reflection saved. No debrief is scheduled yet; your reflection is kept "
                    "for the next one."
                )
            messages.success(request, text)
            return redirect("my_move")
    return render(
        request,
        "my_move/reflect.html",
        {
            "cycle": cycle,
            "agreed": agreed,
            "form": form,
            "reflection": reflection,
            "next_debrief": next_debrief,
        },
    )


@login_required
@require_POST
def cycle_share(request: HttpRequest) -> HttpResponse:
    """Share one of the teacher's cycles with their principal, or take it back."""
    _require_role(request, Role.TEACHER)
    form = CycleShareForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Say which cycle to share or stop sharing.")
    cycle = selectors.teacher_own_cycle_get(user=request.user, cycle_id=form.cleaned_data["cycle"])
    shared = form.cleaned_data["shared"]
    services.cycle_share_set(user=request.user, cycle=cycle, shared=shared)
    if shared:
        text = "Shared: your principal can now read this cycle's record. Stop sharing any time."
    else:
        text = "No longer shared: your principal sees only process figures for this cycle."
    messages.success(request, text)
    if form.cleaned_data["back"] == "cycle":
        return redirect("my_cycle", cycle_id=cycle.pk)
    return redirect(reverse("my_move") + f"#cycle-{cycle.pk}")
