"""A coach's time: entries logged, corrected, archived and restored, and kept in step with the
sessions and visits they record."""

import datetime
import math
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching import selectors
from coaching.models import CoachingCycle, CoachingSession, TimeCategory, TimeEntry
from core.formatting import day_as_written
from core.forms import YEARS_BACK
from core.validation import validated_save
from observations.models import Observation
from teachers.models import School


@transaction.atomic
def time_entry_log(
    *,
    coach: User,
    school: School,
    minutes: int,
    category: str,
    entry_date: datetime.date | None = None,
    cycle: CoachingCycle | None = None,
    note: str = "",
    client_id: uuid.UUID | None = None,
) -> TimeEntry:
    """Log the coach's own minutes of one day (today unless ``entry_date`` says otherwise).

    ``client_id``: the key of the form that sent it (the time page makes one when it shows the
    form). Sending the same key again (Back, then submit) logs nothing new and returns the entry
    already logged with it."""
    if existing := _time_entry_logged_with(coach, client_id):
        return existing
    entry_date = entry_date or timezone.localdate()
    _time_entry_date_check(entry_date)
    entry = TimeEntry(
        coach=coach,
        school=school,
        minutes=minutes,
        category=category,
        entry_date=entry_date,
        cycle=cycle,
        note=note,
        client_id=client_id,
    )
    try:
        return validated_save(entry)
    except ValidationError:
        # Two submits of one form at the same moment: the other one logged it.
        if existing := _time_entry_logged_with(coach, client_id):
            return existing
        raise


def _time_entry_logged_with(coach: User, client_id: uuid.UUID | None) -> TimeEntry | None:
    if client_id is None:
        return None
    existing = selectors.time_entry_by_client_id(client_id=client_id)
    if existing is not None and existing.coach_id != coach.pk:
        raise ValidationError("This form was already used by someone else: reload the page.")
    return existing


def time_entry_date_bounds(
    *, today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The first and last day time can be logged for: YEARS_BACK years back to today (never a
    future day). The one place deciding them: the service's check, the time page's date
    picker and its message all come from here."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=365 * YEARS_BACK), today


def time_entry_date_problem(entry_date: datetime.date) -> str | None:
    """Why time cannot be logged for ``entry_date`` (naming the real bounds), or None."""
    earliest, latest = time_entry_date_bounds()
    if earliest <= entry_date <= latest:
        return None
    bounds = f"pick a date from {day_as_written(earliest)} to today, {day_as_written(latest)}."
    if entry_date > latest:
        return f"Time cannot be logged for a future day: {bounds}"
    return f"That is too far back: {bounds}"


def _time_entry_date_check(entry_date: datetime.date) -> None:
    if problem := time_entry_date_problem(entry_date):
        raise ValidationError({"entry_date": problem})


@transaction.atomic
def time_entry_archive(*, entry: TimeEntry, by: User | None = None, reason: str = "") -> TimeEntry:
    """Archive a time entry instead of deleting it: it no longer counts in any figure or shows
    on any page, while the row and its history stay. ``by``: who archived it (None when the
    app did, e.g. for a session no longer held); ``reason`` goes into its history."""
    if entry.archived_at is not None:
        return entry
    entry.archived_at = timezone.now()
    entry.archived_by = by
    entry._change_reason = reason or "Archived."
    return validated_save(entry)


@transaction.atomic
def time_entry_restore(*, entry: TimeEntry, reason: str = "") -> TimeEntry:
    """Bring back an archived time entry: it counts again."""
    if entry.archived_at is None:
        return entry
    entry.archived_at = None
    entry.archived_by = None
    entry._change_reason = reason or "Restored."
    return validated_save(entry)


def time_entry_sync_for_session(session: CoachingSession) -> None:
    """A held session with a duration counts as direct-coaching time by itself; the entry
    follows later corrections of the session (no double entry). A session no longer held
    archives its entry (never deletes it); held again, the same entry counts again."""
    entry = TimeEntry.objects.filter(session=session).first()
    if session.held_at is None or not session.duration_minutes:
        if entry:
            time_entry_archive(entry=entry, reason="Its session is no longer held.")
        return
    cycle = session.cycle
    entry = entry or TimeEntry(session=session)
    entry.archived_at = None
    entry.archived_by = None
    entry.coach_id = cycle.coach_id
    entry.school_id = cycle.teacher.school_id
    entry.cycle = cycle
    entry.category = TimeCategory.DIRECT_COACHING
    entry.minutes = session.duration_minutes
    entry.entry_date = timezone.localdate(session.held_at)
    entry.note = f"{session.get_kind_display()} with {cycle.teacher.full_name}"[:200]
    validated_save(entry)


def time_entry_sync_for_observation(observation: Observation) -> None:
    """A finished observation counts as observation time by itself."""
    entry = TimeEntry.objects.filter(observation=observation).first()
    if observation.started_at is None or observation.ended_at is None:
        if entry:
            time_entry_archive(entry=entry, reason="Its observation is no longer finished.")
        return
    seconds = (observation.ended_at - observation.started_at).total_seconds()
    entry = entry or TimeEntry(observation=observation)
    entry.archived_at = None
    entry.archived_by = None
    entry.coach_id = observation.observer_id
    entry.school_id = observation.teacher.school_id
    entry.cycle_id = observation.cycle_id
    entry.category = TimeCategory.OBSERVATION
    entry.minutes = min(max(1, math.ceil(seconds / 60)), 1440)
    entry.entry_date = timezone.localdate(observation.started_at)
    entry.note = f"Observation of {observation.teacher.full_name}"[:200]
    validated_save(entry)


@transaction.atomic
def time_entry_correct(*, entry: TimeEntry, **fields) -> TimeEntry:
    """Correct a time entry logged by hand (history keeps the earlier values). Entries that a
    session or an observation logged are corrected through that session or observation."""
    if entry.archived_at is not None:
        raise ValidationError("This entry is archived: it can be restored, not corrected.")
    if entry.session_id or entry.observation_id:
        raise ValidationError("Correct this time through its session or observation.")
    allowed = {"minutes", "category", "entry_date", "note", "cycle"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not time-entry fields: {', '.join(sorted(unknown))}")
    if fields.get("entry_date") is not None:
        _time_entry_date_check(fields["entry_date"])
    for name, value in fields.items():
        setattr(entry, name, value)
    try:
        return validated_save(entry)
    except ValidationError:
        entry.refresh_from_db()  # the caller's entry keeps its stored values, not the refused ones
        raise
