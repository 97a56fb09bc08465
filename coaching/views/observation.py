"""Observations: schedule a visit and hold the debrief (the visit itself is run on the live
observation page, live_observation/).

Every row comes through coaching.access with CHANGE (the coach whose caseload holds the
teacher); anyone else gets a 404. Writes go through the services only.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from coaching import selectors, services
from coaching.access import CHANGE, cycle_get_for_user
from coaching.forms.observation import (
    INDICATOR_VALUES,
    DebriefForm,
    ObservationScheduleForm,
)
from coaching.models import CoachingCycle, ContextBrief, CycleState
from core.forms import add_service_errors, form_data

# --- Scheduling --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def observation_new(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_get_for_user(user=request.user, cycle_id=cycle_id, action=CHANGE)
    form = ObservationScheduleForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.cycle_schedule_observation(cycle=cycle, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            when = timezone.localtime(observation.scheduled_for)
            messages.success(request, f"Observation scheduled for {when:%a %d %b, %H:%M}.")
            return redirect("cycle_detail", cycle_id=cycle.pk)
    return render(
        request,
        "coaching/observation/new.html",
        {"cycle": cycle, "form": form, "closed": cycle.state == CycleState.CLOSED},
    )


# --- The debrief -------------------------------------------------------------------------------


def _as_date(value: str | None) -> datetime.date | datetime.datetime | str | None:
    if not value:
        return value
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return value


def brief_for_display(brief: dict) -> dict:
    """The brief is plain JSON (ISO dates); give the template dates it can format."""
    for key in ("left_off", "latest_engagement"):
        if brief.get(key):
            brief[key] = {**brief[key], "date": _as_date(brief[key]["date"])}
    if brief.get("move"):
        brief["move"] = {**brief["move"], "due_on": _as_date(brief["move"]["due_on"])}
    if brief.get("reflection"):
        brief["reflection"] = {
            **brief["reflection"],
            "submitted_on": _as_date(brief["reflection"]["submitted_on"]),
            "for_debrief": (
                _as_date(brief["reflection"]["for_debrief"])
                if brief["reflection"].get("for_debrief")
                else None
            ),
        }
    patterns = brief.get("patterns", {})
    for key in ("engagement_trend", "indicator_history"):
        patterns[key] = [{**row, "date": _as_date(row["date"])} for row in patterns.get(key, [])]
    brief["open_commitments"] = [
        {**row, "when": _as_date(row["when"])} for row in brief.get("open_commitments", [])
    ]
    return brief


def _brief_to_show(
    request: HttpRequest, cycle: CoachingCycle
) -> tuple[ContextBrief | None, bool, dict]:
    """The stored brief when it is fresh. Otherwise a GET assembles and stores it (on demand);
    a refused POST, which must change nothing, shows one assembled for the page only."""
    stored = selectors.context_brief_stored(cycle=cycle)
    if stored is not None and not stored.is_stale:
        return stored, False, brief_for_display(dict(stored.content))
    if request.method == "GET":
        record, built = services.context_brief_ensure(cycle=cycle)
        return record, built, brief_for_display(dict(record.content))
    return None, False, brief_for_display(selectors.context_brief_assemble(cycle=cycle))


def _revisit_suggestions(
    cycle: CoachingCycle, window: selectors.RevisitWindow
) -> dict[str, dict[str, str]]:
    """The revisit rule's date and reason for each answer to "was the indicator met?", and the
    window (for the page's script, which shows "Reason for this date" outside it)."""
    suggestions: dict[str, dict[str, str]] = {}
    for answer, met in INDICATOR_VALUES.items():
        due, why = selectors.revisit_due_suggest(
            cycle=cycle, indicator_met=met, today=window.today, school_days=window.school_days
        )
        suggestions[answer] = {"date": due.isoformat(), "label": f"{due:%a %d %b}", "reason": why}
    suggestions["window"] = {"first": window.first.isoformat(), "last": window.last.isoformat()}
    return suggestions


@login_required
@require_http_methods(["GET", "POST"])
def debrief(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_get_for_user(user=request.user, cycle_id=cycle_id, action=CHANGE)
    if cycle.state != CycleState.ACTIVE:
        return render(request, "coaching/observation/debrief_unavailable.html", {"cycle": cycle})

    today = selectors.school_today(cycle.teacher.school)
    window = selectors.revisit_window_for(cycle=cycle, today=today, last_touch=today)
    suggestions = _revisit_suggestions(cycle, window)
    form = DebriefForm(
        form_data(request),
        initial={"revisit_due_on": suggestions["unclear"]["date"]},
        window=window,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.debrief_conclude(cycle=cycle, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            cycle.refresh_from_db()
            if cycle.state == CycleState.CLOSED:
                text = f"Debrief saved. The cycle is closed: {cycle.get_outcome_display()}."
            else:
                text = f"Debrief saved. Revisit due {data['revisit_due_on']:%a %d %b}."
            messages.success(request, text)
            return redirect("cycle_detail", cycle_id=cycle.pk)

    overview = selectors.cycle_overview(cycle=cycle)
    evidence = [e for o in overview.observations for e in o.student_evidence.all()]
    engagement = overview.engagement  # pooled over every sweep of the cycle's observations
    brief_record, built_now, brief = _brief_to_show(request, cycle)
    return render(
        request,
        "coaching/observation/debrief.html",
        {
            "cycle": cycle,
            "form": form,
            "brief": brief,
            "brief_record": brief_record,
            "brief_built_now": built_now,
            "engagement": engagement,
            "chart_data": {
                "before_pct": engagement.before_pct,
                "after_pct": engagement.after_pct,
            },
            "evidence": sorted(evidence, key=lambda e: e.noted_at),
            "suggestions": suggestions,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_brief(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The stored context brief (the link in the coach's email before a debrief). Assembled
    now if there is none yet or new evidence made it stale; POST assembles it again."""
    cycle = cycle_get_for_user(user=request.user, cycle_id=cycle_id, action=CHANGE)
    if request.method == "POST":
        if cycle.is_open:
            services.context_brief_build(cycle=cycle)
            messages.success(request, "Brief assembled again.")
        return redirect("cycle_brief", cycle_id=cycle.pk)
    built_now = False
    if cycle.is_open:
        brief_record, built_now = services.context_brief_ensure(cycle=cycle)
    else:
        brief_record = selectors.context_brief_stored(cycle=cycle)
    return render(
        request,
        "coaching/cycle/brief.html",
        {
            "cycle": cycle,
            "brief_record": brief_record,
            "brief_built_now": built_now,
            "brief": brief_for_display(dict(brief_record.content)) if brief_record else None,
            "next_debrief": selectors.cycle_next_debrief(cycle=cycle),
        },
    )
