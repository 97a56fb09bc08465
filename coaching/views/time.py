"""Coach time: log the minutes sessions and observations do not log by themselves, see the
last two weeks with the direct share, and correct a manual entry (history keeps the change)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from coaching import selectors, services
from coaching.access import CHANGE, cycles_for, schools_for, time_entry_get_for_user
from coaching.forms.time import TimeEntryCorrectForm, TimeEntryForm
from coaching.models import OPEN_STATES, TimeEntry
from coaching.views.home import _require_role
from core.formatting import day_as_written
from core.forms import add_service_errors, form_data
from teachers.models import Role

PERIOD_DAYS = 14
# The history shows what a coach can correct: not who, where or which activity logged it.
TIME_ENTRY_HIDDEN_FIELDS = (
    "coach",
    "school",
    "session",
    "observation",
    "created_at",
    "client_id",
)


def _open_cycles(request: HttpRequest):
    return cycles_for(request.user, CHANGE).filter(state__in=OPEN_STATES)


@require_http_methods(["GET", "POST"])
@login_required
def time_log(request: HttpRequest) -> HttpResponse:
    _require_role(request, Role.COACH)
    schools = schools_for(request.user, (Role.COACH,)).order_by("name")
    form = TimeEntryForm(form_data(request), schools=schools, cycles=_open_cycles(request))
    if request.method == "POST" and (done := _already_logged(request, form)):
        return done
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.time_entry_log(
                coach=request.user,
                school=data["school"],
                minutes=data["minutes"],
                category=data["category"],
                entry_date=data["entry_date"],
                cycle=data["cycle"],
                note=data["note"],
                client_id=data["client_id"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Logged {_entry_text(entry)}.")
            return redirect("time_log")
    period = selectors.coach_time_period(coach=request.user, days=PERIOD_DAYS)
    weeks = selectors.coach_time_weeks(coach=request.user, page=request.GET.get("page"))
    return render(
        request,
        "coaching/time/log.html",
        {"form": form, "period": period, "days": PERIOD_DAYS, "weeks": weeks},
    )


def _entry_text(entry: TimeEntry) -> str:
    return (
        f"{entry.minutes} min of {entry.get_category_display().lower()} "
        f"on {entry.entry_date:%a} {day_as_written(entry.entry_date)}"
    )


def _already_logged(request: HttpRequest, form: TimeEntryForm) -> HttpResponse | None:
    """The form was sent before (Back, then "Log time" again): nothing new is logged, the
    page says so, whatever the fields hold now."""
    try:
        key = uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return None
    entry = selectors.time_entry_by_client_id(client_id=key)
    if entry is None or entry.coach_id != request.user.pk:
        return None
    messages.info(request, f"Already logged: {_entry_text(entry)}. Nothing was added.")
    return redirect("time_log")


@require_http_methods(["GET", "POST"])
@login_required
def time_entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Correct one of the coach's manual entries. Entries a session or an observation logged
    are shown with a link to their cycle, and are corrected there."""
    _require_role(request, Role.COACH)
    entry = time_entry_get_for_user(user=request.user, entry_id=entry_id)
    from_activity = bool(entry.session_id or entry.observation_id)
    form = (
        None
        if from_activity
        else TimeEntryCorrectForm(form_data(request), entry=entry, cycles=_open_cycles(request))
    )
    status = 200
    if request.method == "POST":
        if form is None:
            status = 400
            messages.error(request, "Correct this time through its session or observation.")
        elif form.is_valid():
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            if not changed:
                messages.info(request, "Nothing changed.")
                return redirect("time_entry_edit", entry_id=entry.pk)
            try:
                services.time_entry_correct(entry=entry, **changed)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, "Entry corrected; the earlier values stay in its history."
                )
                return redirect("time_entry_edit", entry_id=entry.pk)
    history = selectors.history_rows(instance=entry, hidden_fields=TIME_ENTRY_HIDDEN_FIELDS)
    context = {"entry": entry, "form": form, "history": history}
    return render(request, "coaching/time/edit.html", context, status=status)
