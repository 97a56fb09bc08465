"""The live observation page, on a tablet in the classroom: start the visit, record notes,
engagement sweeps and student evidence as they happen (JSON for the page's script, which keeps
unsent entries on the device and resends them with their client ids; plain form posts without
JavaScript), and finish it, which logs its time.

Every observation comes through coaching.access with CHANGE (the coach whose caseload holds the
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

from coaching import selectors as coaching_selectors
from coaching import services
from coaching.access import CHANGE, observation_get_for_user
from core import formatting
from core.forms import add_service_errors
from frameworks import selectors as framework_selectors
from live_observation import selectors
from live_observation.forms import (
    ENTRY_FORMS,
    PRESENT_COUNT_INVALID,
    EvidenceEntryForm,
    NoteEntryForm,
    SweepEntryForm,
)
from observations import services as observation_services
from observations.models import Observation

NOT_STARTED = "Start the observation before recording entries."


def _after_visit(observation: Observation) -> str:
    if observation.cycle_id:
        return reverse("cycle_detail", args=[observation.cycle_id])
    return reverse("teacher_detail", args=[observation.teacher_id])


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
    return render(request, "live_observation/live.html", _live_context(observation))


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
    return render(request, "live_observation/live.html", context)


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
        engagement = coaching_selectors.engagement_change(observation.engagement_samples.all())
        body["engagement"] = engagement.as_json()
    return JsonResponse(body, status=201)
