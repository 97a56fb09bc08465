"""Observations: schedule a visit, run it live on a tablet, and hold the debrief.

Every row comes through coaching.access with CHANGE (the coach whose caseload holds the
teacher); anyone else gets a 404. Writes go through the services only.
"""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from coaching import selectors, services
from coaching.access import CHANGE, cycle_get_for_user, observation_get_for_user
from coaching.forms.observation import (
    ENTRY_FORMS,
    INDICATOR_VALUES,
    PRESENT_COUNT_INVALID,
    DebriefForm,
    EvidenceEntryForm,
    NoteEntryForm,
    ObservationScheduleForm,
    SweepEntryForm,
)
from coaching.models import CoachingCycle, ContextBrief, CycleState
from core import formatting
from core.forms import add_service_errors, form_data
from frameworks import selectors as framework_selectors
from observations import services as observation_services
from observations.models import Observation

NOT_STARTED = "Start the observation before recording entries."


def _after_visit(observation: Observation) -> str:
    if observation.cycle_id:
        return reverse("cycle_detail", args=[observation.cycle_id])
    return reverse("teacher_detail", args=[observation.teacher_id])


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


# --- The live observation ----------------------------------------------------------------------


def _live_context(observation: Observation, **forms) -> dict:
    live = selectors.observation_live_data(observation=observation)
    blank = {"initial": {"client_id": uuid.uuid4()}, "observation": observation}
    sweep_initial = {
        "client_id": uuid.uuid4(),
        "phase": live.last_phase or "before_move",
        "present_count": live.last_present,
    }
    return {
        "observation": observation,
        "cycle": observation.cycle,
        "live": live,
        "script_data": {
            "totals": live.engagement.as_json(),
            "last_present": live.last_present,
            "last_phase": live.last_phase,
        },
        "note_form": forms.get("note") or NoteEntryForm(**blank),
        "sweep_form": forms.get("sweep")
        or SweepEntryForm(initial=sweep_initial, observation=observation),
        "evidence_form": forms.get("evidence") or EvidenceEntryForm(**blank),
        "present_count_invalid": PRESENT_COUNT_INVALID,
        "evidence_components": framework_selectors.active_components(
            district_id=observation.teacher.school.district_id
        ),
    }


@login_required
@require_http_methods(["GET"])
def observation_live(request: HttpRequest, observation_id: int) -> HttpResponse:
    observation = observation_get_for_user(
        user=request.user, observation_id=observation_id, action=CHANGE
    )
    return render(request, "coaching/observation/live.html", _live_context(observation))


@login_required
@require_POST
def observation_start(request: HttpRequest, observation_id: int) -> HttpResponse:
    observation = observation_get_for_user(
        user=request.user, observation_id=observation_id, action=CHANGE
    )
    if observation.started_at is not None:  # a resubmitted form must not reopen a debriefed cycle
        return redirect("observation_live", observation_id=observation.pk)
    try:
        services.cycle_observation_start(observation=observation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Observation started. Every entry is saved as you make it.")
    return redirect("observation_live", observation_id=observation.pk)


@login_required
@require_POST
def observation_finish(request: HttpRequest, observation_id: int) -> HttpResponse:
    observation = observation_get_for_user(
        user=request.user, observation_id=observation_id, action=CHANGE
    )
    if observation.ended_at is not None:  # a resubmitted form must not stretch the logged time
        ended = timezone.localtime(observation.ended_at)
        messages.info(request, f"This observation was already finished at {ended:%H:%M}.")
        return redirect(_after_visit(observation))
    try:
        observation = services.cycle_observation_finish(observation=observation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("observation_live", observation_id=observation.pk)
    logged = formatting.minutes(observation.time_entry.minutes)
    messages.success(request, f"Observation finished: {logged} logged as observation time.")
    return redirect(_after_visit(observation))


def _wants_json(request: HttpRequest) -> bool:
    """The page's script marks its requests; a plain form post (no JavaScript) does not."""
    return request.headers.get("X-Requested-With") == "fetch" or request.headers.get(
        "Accept", ""
    ).startswith("application/json")


_ADD = {
    "note": (observation_services.observation_add_note, "noted_at"),
    "sweep": (observation_services.observation_add_sweep, "taken_at"),
    "evidence": (observation_services.observation_add_evidence, "noted_at"),
}


def _entry_time(entry) -> datetime.datetime:
    return getattr(entry, "taken_at", None) or entry.noted_at


@login_required
@require_POST
def observation_entry(request: HttpRequest, observation_id: int) -> HttpResponse:
    """Save one live entry (note, sweep or evidence). JSON for the page's script; a plain form
    post redirects back to the page with a message."""
    observation = observation_get_for_user(
        user=request.user, observation_id=observation_id, action=CHANGE
    )
    as_json = _wants_json(request)
    kind = request.POST.get("type", "")

    def refuse(errors: dict[str, list[str]]) -> HttpResponse:
        if as_json:
            return JsonResponse({"errors": errors}, status=400)
        for field_errors in errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("observation_live", observation_id=observation.pk)

    if kind not in ENTRY_FORMS:
        return refuse({"type": ["Unknown kind of entry: send a note, a sweep or evidence."]})
    if observation.started_at is None:
        return refuse({NON_FIELD_ERRORS: [NOT_STARTED]})

    form = ENTRY_FORMS[kind](request.POST, observation=observation)
    if form.is_valid():
        data = dict(form.cleaned_data)
        add, time_field = _ADD[kind]
        taken_at = data.pop("taken_at")
        try:
            entry = add(observation=observation, **data, **{time_field: taken_at})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _entry_saved(request, observation, kind, entry, as_json)
    if as_json:
        errors = {field: list(field_errors) for field, field_errors in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    context = _live_context(observation, **{kind: form})
    return render(request, "coaching/observation/live.html", context)


def _entry_saved(request, observation, kind: str, entry, as_json: bool) -> HttpResponse:
    when = timezone.localtime(_entry_time(entry))
    if not as_json:
        if kind == "sweep":
            text = (
                f"Sweep saved: {entry.engaged_count} of {entry.present_count} engaged "
                f"({entry.get_phase_display().lower()})."
            )
        else:
            text = "Note saved." if kind == "note" else "Student evidence saved."
        messages.success(request, text)
        return redirect(reverse("observation_live", args=[observation.pk]) + f"#{kind}")
    body = {
        "id": entry.pk,
        "type": kind,
        "client_id": str(entry.client_id) if entry.client_id else None,
        "saved_at": timezone.now().isoformat(),
        "taken_at": when.isoformat(),
        "time": f"{when:%H:%M}",
    }
    if kind == "sweep":
        engagement = selectors.engagement_change(observation.engagement_samples.all())
        body["engagement"] = engagement.as_json()
    return JsonResponse(body, status=201)


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
