"""Starting and running a cycle: assessment -> one move -> concrete move -> support plan and
first observation; the cycle page; logging and correcting sessions.

Pages that write take rows with CHANGE access (the coach of the caseload), the cycle page with
READ; anything outside the user's scope is a 404. Writes go through coaching.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from coaching import selectors, services
from coaching.access import (
    CHANGE,
    READ,
    cycle_get_for_user,
    cycles_for,
    revisit_get_for_user,
    session_get_for_user,
    teacher_get_for_user,
)
from coaching.forms.cycle import (
    KIND_FIELDS,
    KIND_HELP,
    LOGGABLE_KINDS,
    AgreedMoveForm,
    AssessmentForm,
    RevisitMoveForm,
    SessionForm,
    SupportPlanForm,
)
from coaching.models import OPEN_STATES, CycleState, Move, RevisitStatus, SessionKind
from core import formatting
from core.forms import add_service_errors, form_data
from teachers.school_days import school_days_for

# A session's history leaves out its cycle (it never moves) and when the row was made.
SESSION_HIDDEN_FIELDS = ("cycle", "created_at")

# --- 1. Assessment -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cycle_start(request: HttpRequest, teacher_id: int) -> HttpResponse:
    teacher = teacher_get_for_user(user=request.user, teacher_id=teacher_id, action=CHANGE)
    open_cycle = (
        cycles_for(request.user, CHANGE)
        .filter(teacher=teacher, state__in=OPEN_STATES)
        .select_related("assessment")
        .first()
    )
    form = AssessmentForm(form_data(request), teacher=teacher)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_start(teacher=teacher, coach=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Assessment saved. Now pick the ONE move for this cycle.")
            return redirect("move_pick", cycle_id=cycle.pk)
    return render(
        request,
        "coaching/cycle/start.html",
        {"teacher": teacher, "form": form, "open_cycle": open_cycle},
    )


# --- 2. Pick the move --------------------------------------------------------------------------


@login_required
@require_GET
def move_pick(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_get_for_user(user=request.user, cycle_id=cycle_id, action=CHANGE)
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "cycle": cycle,
        "agreed": getattr(cycle, "agreed_move", None),
        "move_fixed": cycle.state != CycleState.PLANNED,
        "query": query,
        "moves": selectors.move_library(need_area=cycle.assessment.need_area, query=query),
    }
    if request.htmx:
        return render(request, "coaching/cycle/_move_list.html", context)
    return render(request, "coaching/cycle/move_pick.html", context)


# --- 3. Make it concrete -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def move_agree(request: HttpRequest, cycle_id: int, move_id: int) -> HttpResponse:
    cycle = cycle_get_for_user(user=request.user, cycle_id=cycle_id, action=CHANGE)
    move = get_object_or_404(Move.objects.filter(is_active=True), pk=move_id)
    agreed = getattr(cycle, "agreed_move", None)
    if agreed is not None and agreed.move_id == move.pk:
        initial = {
            "next_day_action": agreed.next_day_action,
            "script": agreed.script,
            "success_indicator": agreed.success_indicator,
            "due_on": agreed.due_on,
        }
    else:
        # A school day that leaves room for the plan's practice before the try.
        initial = {
            "script": move.script_stems,
            "due_on": selectors.move_due_default(
                kinds=services.SUPPORT_PLANS[cycle.assessment.need_area],
                today=selectors.school_today(cycle.teacher.school),
                school_days=school_days_for(school=cycle.teacher.school),
            ),
        }
    form = AgreedMoveForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreed_move_set(cycle=cycle, move=move, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Move agreed: {move.name}.")
            if selectors.cycle_plan_exists(cycle=cycle):
                return redirect("cycle_detail", cycle_id=cycle.pk)
            return redirect("cycle_plan", cycle_id=cycle.pk)
    return render(
        request,
        "coaching/cycle/move_agree.html",
        {
            "cycle": cycle,
            "move": move,
            "agreed": agreed,
            "form": form,
            "move_fixed": cycle.state != CycleState.PLANNED,
            "wrong_area": move.need_area != cycle.assessment.need_area,
        },
    )


# --- 4. Support plan and first observation -----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cycle_plan(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_get_for_user(user=request.user, cycle_id=cycle_id, action=CHANGE)
    agreed = getattr(cycle, "agreed_move", None)
    if not cycle.is_open:
        messages.error(request, "This cycle is closed; its plan cannot change.")
        return redirect("cycle_detail", cycle_id=cycle.pk)
    if agreed is None:
        messages.info(request, "Agree on the move first: the plan is built around it.")
        return redirect("move_pick", cycle_id=cycle.pk)
    context = {"cycle": cycle, "agreed": agreed}
    if selectors.cycle_plan_exists(cycle=cycle):
        return render(request, "coaching/cycle/plan.html", {**context, "planned": True})
    kinds = services.SUPPORT_PLANS[cycle.assessment.need_area]
    school = cycle.teacher.school
    defaults = selectors.support_plan_defaults(
        kinds=kinds,
        due_on=agreed.due_on,
        school_days=school_days_for(school=school),
        tz=timezone.get_current_timezone(),
    )
    form = SupportPlanForm(
        form_data(request),
        kinds=kinds,
        defaults=defaults.sessions,
        initial={"observation_at": defaults.observation_at},
    )
    context["defaults_note"] = defaults.note
    if request.method == "POST" and form.is_valid():
        step = "sessions"
        try:
            with transaction.atomic():
                sessions = services.cycle_plan_support(
                    cycle=cycle,
                    sessions=form.planned_sessions(),
                    observation_at=form.cleaned_data["observation_at"],
                )
                step = "observation"
                services.cycle_schedule_observation(
                    cycle=cycle,
                    scheduled_for=form.cleaned_data["observation_at"],
                    focus=form.cleaned_data["focus"],
                )
        except ValidationError as exc:
            # A session's time is not one input (the plan's errors are keyed by kind); the
            # observation's time is.
            if step == "observation":
                rename = {"scheduled_for": "observation_at"}
            else:
                rename = {kind: f"{kind}_at" for kind in kinds}
            add_service_errors(form, exc, rename=rename)
        else:
            messages.success(
                request,
                f"Plan saved: {len(sessions)} support session{'s' if len(sessions) != 1 else ''}"
                " and the first observation are scheduled.",
            )
            return redirect("cycle_detail", cycle_id=cycle.pk)
    return render(request, "coaching/cycle/plan.html", {**context, "form": form})


# --- 5. The cycle page -------------------------------------------------------------------------


@login_required
@require_GET
def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_get_for_user(user=request.user, cycle_id=cycle_id, action=READ)
    can_change = cycles_for(request.user, CHANGE).filter(pk=cycle.pk).exists()
    if not can_change and cycle.teacher.user_id == request.user.pk:
        # The teacher reads their move on "My move"; this page is the coach's workspace.
        raise Http404("No coaching cycle matches the given query.")
    overview = selectors.cycle_overview(cycle=cycle)
    observations = [
        (o, selectors.engagement_change(o.engagement_samples.all()), len(o.student_evidence.all()))
        for o in overview.observations
    ]
    return render(
        request,
        "coaching/cycle/detail.html",
        {
            "cycle": cycle,
            "agreed": getattr(cycle, "agreed_move", None),
            "overview": overview,
            "observations": observations,
            "planned_sessions": [s for s in overview.sessions if s.held_at is None],
            "held_sessions": [s for s in overview.sessions if s.held_at is not None],
            "can_change": can_change,
            "actions": can_change and cycle.is_open,
        },
    )


# --- 6 and 7. Sessions -------------------------------------------------------------------------


def _default_kind(need_area: str) -> str:
    loggable = dict(LOGGABLE_KINDS)
    plan = [k for k in services.SUPPORT_PLANS[need_area] if k in loggable]
    return plan[0] if plan else SessionKind.CO_PLANNING


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_get_for_user(user=request.user, cycle_id=cycle_id, action=CHANGE)
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind", "")
    if kind not in dict(LOGGABLE_KINDS):
        kind = _default_kind(cycle.assessment.need_area)
    form = SessionForm(
        form_data(request),
        kind=kind,
        kind_url=reverse("session_new", args=[cycle.pk]),
        initial={"kind": kind, "held_at": timezone.now().replace(second=0, microsecond=0)},
    )
    context = {"cycle": cycle, "form": form, "kind": kind, "kind_help": KIND_HELP.get(kind, "")}
    if request.method == "GET" and request.htmx:
        return render(request, "coaching/cycle/_session_kind_fields.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_log(
                cycle=cycle, kind=form.cleaned_data["kind"], **form.details()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{session.get_kind_display()} logged; its "
                f"{formatting.minutes(session.duration_minutes)} count as direct coaching time.",
            )
            return redirect("cycle_detail", cycle_id=cycle.pk)
    return render(
        request,
        "coaching/cycle/session_form.html",
        {**context, "kinds": LOGGABLE_KINDS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_get_for_user(user=request.user, session_id=session_id, action=CHANGE)
    was_planned = session.held_at is None
    if was_planned and session.kind == SessionKind.DEBRIEF:
        messages.info(request, "A debrief is held on the debrief page, after the observation.")
        if session.cycle.state == CycleState.ACTIVE:
            return redirect("debrief", cycle_id=session.cycle_id)
        return redirect("cycle_detail", cycle_id=session.cycle_id)
    now = timezone.now().replace(second=0, microsecond=0)
    initial = {
        name: getattr(session, name)
        for name in ("held_at", "duration_minutes", "notes", *KIND_FIELDS.get(session.kind, ()))
    }
    if was_planned:
        initial["held_at"] = min(session.scheduled_for, now) if session.scheduled_for else now
    form = SessionForm(form_data(request), kind=session.kind, with_kind=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, **form.details())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{session.get_kind_display()} "
                + ("recorded." if was_planned else "corrected; the change is kept in history."),
            )
            return redirect("cycle_detail", cycle_id=session.cycle_id)
    return render(
        request,
        "coaching/cycle/session_form.html",
        {
            "cycle": session.cycle,
            "session": session,
            "was_planned": was_planned,
            "form": form,
            "kind": session.kind,
            "kind_help": KIND_HELP.get(session.kind, ""),
            "history": selectors.history_rows(
                instance=session, hidden_fields=SESSION_HIDDEN_FIELDS
            ),
        },
    )


# --- Revisits ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def revisit_move(request: HttpRequest, revisit_id: int) -> HttpResponse:
    """The coach moves a scheduled revisit to a school day in the revisit window (10 to 20
    school days after the last touch), or outside it with a reason."""
    revisit = revisit_get_for_user(user=request.user, revisit_id=revisit_id, action=CHANGE)
    cycle = revisit.cycle
    if revisit.status != RevisitStatus.SCHEDULED:
        messages.info(request, f"This revisit is {revisit.get_status_display().lower()}.")
        return redirect("cycle_detail", cycle_id=cycle.pk)
    window = selectors.revisit_window_for(cycle=cycle)
    form = RevisitMoveForm(
        form_data(request),
        initial={"due_on": revisit.due_on, "off_rule_reason": revisit.off_rule_reason},
        window=window,
    )
    if request.method == "POST" and form.is_valid():
        try:
            revisit = services.revisit_reschedule(revisit=revisit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Revisit moved to {revisit.due_on:%a %d %b}.")
            return redirect("cycle_detail", cycle_id=cycle.pk)
    return render(
        request,
        "coaching/cycle/revisit_move.html",
        {
            "revisit": revisit,
            "cycle": cycle,
            "form": form,
            "window": {"first": window.first.isoformat(), "last": window.last.isoformat()},
            "show_reason": form.needs_reason or bool(revisit.off_rule_reason),
        },
    )
