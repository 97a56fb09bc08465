"""Writes for coaching cycles. Each function validates fully and saves inside a transaction."""

import datetime
import functools
import logging
import math
import uuid
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from coaching import selectors
from coaching.models import (
    OPEN_STATES,
    AgreedMove,
    Assessment,
    CoachingCycle,
    CoachingSession,
    ContextBrief,
    CycleState,
    Debrief,
    Move,
    NeedArea,
    Outcome,
    PersistentProblem,
    Reflection,
    Revisit,
    RevisitStatus,
    SessionKind,
    TimeCategory,
    TimeEntry,
)
from core.formatting import day_as_written
from core.forms import YEARS_BACK
from core.validation import validated_save
from observations.models import Observation
from observations.services import observation_finish, observation_schedule, observation_start
from teachers.models import School, Teacher
from teachers.school_days import school_days_by_school, school_days_for

logger = logging.getLogger(__name__)

_DEBRIEF_ON_ITS_PAGE = "A debrief is held on the debrief page, where its record is made."

# Which state a cycle may move to from each state (closing is handled by cycle_close).
_TRANSITIONS: dict[str, set[str]] = {
    CycleState.PLANNED: {CycleState.ACTIVE},
    CycleState.ACTIVE: {CycleState.DEBRIEFED},
    CycleState.DEBRIEFED: {CycleState.ACTIVE},
    CycleState.CLOSED: set(),
}


@transaction.atomic
def persistent_problem_open(
    *, teacher: Teacher, statement: str, category: str, opened_on: datetime.date | None = None
) -> PersistentProblem:
    return validated_save(
        PersistentProblem(
            teacher=teacher,
            statement=statement,
            category=category,
            opened_on=opened_on or timezone.localdate(),
        )
    )


@transaction.atomic
def cycle_start(
    *,
    teacher: Teacher,
    coach: User,
    evidence: str,
    need_area: str,
    rationale: str,
    assessed_on: datetime.date | None = None,
    persistent_problem: PersistentProblem | None = None,
) -> CoachingCycle:
    """Open a cycle from an assessment. Refused if the teacher already has an open cycle."""
    assessed_on = assessed_on or timezone.localdate()
    if CoachingCycle.objects.filter(teacher=teacher, state__in=OPEN_STATES).exists():
        raise ValidationError(
            "This teacher already has a cycle under way; close it before starting another."
        )
    assessment = validated_save(
        Assessment(
            teacher=teacher,
            coach=coach,
            assessed_on=assessed_on,
            evidence=evidence,
            need_area=need_area,
            rationale=rationale,
        )
    )
    return validated_save(
        CoachingCycle(
            teacher=teacher,
            coach=coach,
            assessment=assessment,
            persistent_problem=persistent_problem,
            opened_on=assessed_on,
        )
    )


@transaction.atomic
def agreed_move_set(
    *,
    cycle: CoachingCycle,
    move: Move,
    next_day_action: str,
    script: str,
    success_indicator: str,
    due_on: datetime.date,
    agreed_on: datetime.date | None = None,
) -> AgreedMove:
    """Make a library move concrete for this cycle. A cycle has exactly one agreed move; while
    the cycle is still planned it may be replaced, afterwards it is fixed. The move cannot be
    due before the day it is agreed (``agreed_on``, today unless recording history), and it is
    due on a school day of the teacher's school: the teacher tries it in a lesson."""
    existing = AgreedMove.objects.filter(cycle=cycle).first()
    if existing and cycle.state != CycleState.PLANNED:
        raise ValidationError("The agreed move is fixed once the cycle is under way.")
    today = agreed_on or timezone.localdate()
    if due_on < today:
        raise ValidationError({"due_on": "The due date is in the past; pick today or later."})
    school_days = school_days_for(school=cycle.teacher.school)
    refusal = selectors.school_day_refusal(day=due_on, school_days=school_days, today=today)
    if refusal:
        raise ValidationError({"due_on": refusal})
    agreed = existing or AgreedMove(cycle=cycle)
    agreed.move = move
    agreed.next_day_action = next_day_action
    agreed.script = script
    agreed.success_indicator = success_indicator
    agreed.due_on = due_on
    return validated_save(agreed)


@transaction.atomic
def cycle_transition(*, cycle: CoachingCycle, to_state: str) -> CoachingCycle:
    cycle = CoachingCycle.objects.select_for_update().get(pk=cycle.pk)
    if to_state not in _TRANSITIONS[cycle.state]:
        raise ValidationError(
            f"A {cycle.get_state_display().lower()} cycle cannot become {to_state}."
        )
    if to_state == CycleState.ACTIVE and not AgreedMove.objects.filter(cycle=cycle).exists():
        raise ValidationError("Agree on the move before the cycle starts.")
    cycle.state = to_state
    return validated_save(cycle)


@transaction.atomic
def cycle_close(
    *, cycle: CoachingCycle, outcome: str, closed_on: datetime.date | None = None
) -> CoachingCycle:
    """Close a cycle with its outcome; any scheduled revisit is cancelled."""
    cycle = CoachingCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state == CycleState.CLOSED:
        raise ValidationError("This cycle is already closed.")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Choose an outcome."})
    cycle.state = CycleState.CLOSED
    cycle.outcome = outcome
    cycle.closed_on = closed_on or timezone.localdate()
    validated_save(cycle)
    # Saved one by one (at most one is scheduled), so the cancellation is in its history.
    for revisit in Revisit.objects.select_for_update().filter(
        cycle=cycle, status=RevisitStatus.SCHEDULED
    ):
        revisit.status = RevisitStatus.CANCELLED
        revisit._change_reason = "The cycle was closed."
        validated_save(revisit)
    return cycle


@transaction.atomic
def session_log(
    *,
    cycle: CoachingCycle,
    kind: str,
    scheduled_for: datetime.datetime | None = None,
    held_at: datetime.datetime | None = None,
    **details,
) -> CoachingSession:
    """Record a coaching session (``details``: duration_minutes, notes and kind fields). A held
    debrief session is followed by its ``debrief_record``; ``debrief_conclude`` does both. A
    debrief scheduled while the teacher's reflection waits for one (none was scheduled when it
    was written) is the debrief that reflection prepares."""
    if cycle.state == CycleState.CLOSED:
        raise ValidationError("This cycle is closed; start a new one to log sessions.")
    session = validated_save(
        CoachingSession(
            cycle=cycle, kind=kind, scheduled_for=scheduled_for, held_at=held_at, **details
        )
    )
    if kind == SessionKind.DEBRIEF and held_at is None and scheduled_for is not None:
        _reflection_attach_pending(session=session)
    _time_entry_sync_for_session(session)
    context_brief_enqueue_for_debrief(session=session)
    return session


@transaction.atomic
def debrief_record(
    *,
    session: CoachingSession,
    students_showed: str,
    next_step: str,
    indicator_met: bool | None = None,
    teacher_reflection: str = "",
) -> Debrief:
    """Record what a debrief concluded; an active cycle becomes debriefed. A reflection the
    teacher wrote while no debrief was planned is attached to this one (and no longer changes)."""
    if session.kind != SessionKind.DEBRIEF:
        raise ValidationError("Only a debrief session has a debrief record.")
    _reflection_attach_pending(session=session)
    debrief = validated_save(
        Debrief(
            session=session,
            students_showed=students_showed,
            next_step=next_step,
            indicator_met=indicator_met,
            teacher_reflection=teacher_reflection,
        )
    )
    if session.cycle.state == CycleState.ACTIVE:
        cycle_transition(cycle=session.cycle, to_state=CycleState.DEBRIEFED)
    return debrief


@transaction.atomic
def revisit_schedule(
    *, cycle: CoachingCycle, due_on: datetime.date, reason: str = "", off_rule_reason: str = ""
) -> Revisit:
    """Schedule the cycle's next revisit; an already scheduled one is moved to the new date.
    ``off_rule_reason``: the coach's reason for a date outside the revisit window."""
    if cycle.state == CycleState.CLOSED:
        raise ValidationError("A closed cycle has no revisits.")
    revisit = (
        Revisit.objects.select_for_update()
        .filter(cycle=cycle, status=RevisitStatus.SCHEDULED)
        .first()
    ) or Revisit(cycle=cycle)
    revisit.due_on = due_on
    revisit.reason = reason
    revisit.off_rule_reason = off_rule_reason
    return validated_save(revisit)


@transaction.atomic
def revisit_complete(*, revisit: Revisit, completed_on: datetime.date | None = None) -> Revisit:
    if revisit.status != RevisitStatus.SCHEDULED:
        raise ValidationError("Only a scheduled revisit can be marked done.")
    revisit.status = RevisitStatus.DONE
    revisit.completed_on = completed_on or timezone.localdate()
    return validated_save(revisit)


@transaction.atomic
def revisit_mark_missed(*, revisit: Revisit) -> Revisit:
    if revisit.status != RevisitStatus.SCHEDULED:
        raise ValidationError("Only a scheduled revisit can be missed.")
    revisit.status = RevisitStatus.MISSED
    return validated_save(revisit)


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


# --- Issue 3: the coach workflow -------------------------------------------------------------

# The support each need area calls for (docs/design.md): which sessions a plan proposes, in order.
# The support trajectory of each need area, in the order it happens around the try (the first
# observation): practice before it, the review and the debrief after (selectors.PLAN_SLOTS).
SUPPORT_PLANS: dict[str, tuple[str, ...]] = {
    NeedArea.PLANNING: (SessionKind.CO_PLANNING, SessionKind.DEBRIEF),
    NeedArea.DELIVERY: (
        SessionKind.MODEL_LESSON,
        SessionKind.REHEARSAL,
        SessionKind.REAL_TIME_COACHING,
        SessionKind.DEBRIEF,
    ),
    NeedArea.PROGRESS_MONITORING: (
        SessionKind.CO_PLANNING,
        SessionKind.DATA_REVIEW,
        SessionKind.DEBRIEF,
    ),
}
SESSION_FIELDS = frozenset(
    {
        "scheduled_for",
        "held_at",
        "duration_minutes",
        "notes",
        "questions_scripted",
        "anticipated_responses",
        "practised",
        "rounds",
        "feedback_given",
        "exit_slips_meeting_pct",
        "misconceptions",
        "next_instructional_step",
    }
)


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


def _time_entry_sync_for_session(session: CoachingSession) -> None:
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


def _time_entry_sync_for_observation(observation: Observation) -> None:
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
def cycle_plan_support(
    *,
    cycle: CoachingCycle,
    sessions: list[tuple[str, datetime.datetime] | tuple[str, datetime.datetime, bool]],
    observation_at: datetime.datetime | None = None,
) -> list[CoachingSession]:
    """Schedule the support sessions of a cycle's plan: (kind, when) or (kind, when,
    is_follow_up). Practice comes before the first observation (``observation_at``, else the
    cycle's first observation) unless marked a follow-up, and the debrief within two school
    days after it (selectors.support_plan_order_errors); errors are keyed by session kind."""
    if not sessions:
        raise ValidationError("Plan at least one support session.")
    rows = [(s[0], s[1], bool(s[2]) if len(s) > 2 else False) for s in sessions]
    if any(when < timezone.now() - datetime.timedelta(hours=1) for _, when, _ in rows):
        raise ValidationError("Support sessions are planned for now or later.")
    school = cycle.teacher.school
    errors = selectors.support_plan_order_errors(
        sessions=rows,
        observation_at=observation_at or selectors.cycle_first_observation_at(cycle=cycle),
        school_days=school_days_for(school=school),
        tz=zoneinfo.ZoneInfo(school.time_zone),
    )
    if errors:
        raise ValidationError(errors)
    return [
        session_log(
            cycle=cycle,
            kind=kind,
            scheduled_for=when,
            is_follow_up=follow_up and kind in selectors.PRACTICE_KINDS,
        )
        for kind, when, follow_up in rows
    ]


@transaction.atomic
def cycle_schedule_observation(
    *, cycle: CoachingCycle, scheduled_for: datetime.datetime, focus: str = ""
) -> Observation:
    """Schedule a classroom visit in this cycle, with the cycle's coach as observer."""
    if cycle.state == CycleState.CLOSED:
        raise ValidationError("This cycle is closed.")
    if scheduled_for < timezone.now() - datetime.timedelta(hours=1):
        raise ValidationError({"scheduled_for": "Schedule the observation for now or later."})
    return observation_schedule(
        teacher=cycle.teacher,
        observer=cycle.coach,
        scheduled_for=scheduled_for,
        cycle_id=cycle.pk,
        focus=focus,
    )


@transaction.atomic
def cycle_observation_start(*, observation: Observation) -> Observation:
    """Start a visit. The cycle is under way from its first visit (planned or debriefed ->
    active), once the move is agreed; after a debrief, this visit is the revisit, now done."""
    if observation.cycle is not None and observation.cycle.state == CycleState.CLOSED:
        raise ValidationError("This cycle is closed; start a new cycle to observe again.")
    if observation.started_at is not None:
        return observation  # a resubmitted form: nothing changes
    observation = observation_start(observation=observation)
    cycle = observation.cycle
    if cycle is not None and cycle.state == CycleState.DEBRIEFED:
        # The follow-up visit after a debrief is the revisit: it is done when the visit starts.
        for revisit in Revisit.objects.filter(cycle=cycle, status=RevisitStatus.SCHEDULED):
            revisit_complete(
                revisit=revisit, completed_on=timezone.localdate(observation.started_at)
            )
    if cycle is not None and cycle.state in (CycleState.PLANNED, CycleState.DEBRIEFED):
        cycle_transition(cycle=cycle, to_state=CycleState.ACTIVE)
    return observation


@transaction.atomic
def cycle_observation_finish(
    *, observation: Observation, ended_at: datetime.datetime | None = None
) -> Observation:
    """End a visit; its length counts as observation time. Finishing a finished visit again
    changes nothing unless ``ended_at`` is given (a correction)."""
    if observation.started_at is None:
        raise ValidationError("Start the observation before finishing it.")
    if observation.ended_at is not None and ended_at is None:
        return observation
    observation = observation_finish(observation=observation, ended_at=ended_at)
    _time_entry_sync_for_observation(observation)
    return observation


@transaction.atomic
def session_update(*, session: CoachingSession, **fields) -> CoachingSession:
    """Record what happened in a planned session, or correct a logged one (history keeps the
    earlier values); its time entry follows."""
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise ValueError(f"Not session fields: {', '.join(sorted(unknown))}")
    held_without_record = (
        session.kind == SessionKind.DEBRIEF
        and fields.get("held_at") is not None
        and not Debrief.objects.filter(session=session).exists()
    )
    if held_without_record:
        raise ValidationError({"held_at": _DEBRIEF_ON_ITS_PAGE})
    rescheduled = "scheduled_for" in fields and fields["scheduled_for"] != session.scheduled_for
    for name, value in fields.items():
        setattr(session, name, value)
    validated_save(session)
    _time_entry_sync_for_session(session)
    if rescheduled:
        context_brief_enqueue_for_debrief(session=session)
    return session


class DebriefDecision:
    CONTINUE = "continue"
    MASTERED = "mastered"
    CLOSE = "close"
    CHOICES = (
        (CONTINUE, "Continue: schedule the revisit"),
        (MASTERED, "Mastered: close the cycle"),
        (CLOSE, "Close without mastery"),
    )


@transaction.atomic
def debrief_conclude(
    *,
    cycle: CoachingCycle,
    students_showed: str,
    next_step: str,
    decision: str,
    indicator_met: bool | None = None,
    teacher_reflection: str = "",
    revisit_due_on: datetime.date | None = None,
    revisit_off_rule_reason: str = "",
    outcome: str = "",
    held_at: datetime.datetime | None = None,
    duration_minutes: int | None = None,
) -> Debrief:
    """Hold the debrief: record what students showed, whether the indicator was met, ONE next
    step and the teacher's reflection, then continue or close. Continuing schedules the revisit
    on a school day in the window (10 to 20 school days after this debrief, see
    selectors.revisit_window); a school day outside it needs ``revisit_off_rule_reason``, which
    is kept on the revisit."""
    cycle = CoachingCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state != CycleState.ACTIVE:
        raise ValidationError("Debrief after the move has been observed (an active cycle).")
    errors: dict[str, str] = {}
    school = cycle.teacher.school
    today = selectors.school_today(school)
    held_on = selectors.school_date(held_at, school) if held_at else today
    window = None
    if decision == DebriefDecision.CONTINUE:
        if revisit_due_on is None:
            errors["revisit_due_on"] = "Pick the date of the revisit."
        elif revisit_due_on <= held_on:
            errors["revisit_due_on"] = "Pick a day after the debrief."
        else:
            window = selectors.revisit_window_for(
                cycle=cycle, today=today, last_touch=max(held_on, today)
            )
            errors.update(
                selectors.revisit_date_errors(
                    day=revisit_due_on,
                    window=window,
                    off_rule_reason=revisit_off_rule_reason,
                    date_field="revisit_due_on",
                    reason_field="revisit_off_rule_reason",
                )
            )
    elif decision == DebriefDecision.CLOSE:
        if outcome not in (Outcome.PROGRESSING, Outcome.NOT_YET, Outcome.ABANDONED):
            errors["outcome"] = "Choose how the cycle ends: progressing, not yet or abandoned."
    elif decision != DebriefDecision.MASTERED:
        errors["decision"] = "Choose whether to continue, mark mastered or close."
    if errors:
        raise ValidationError(errors)
    # Hold the debrief the plan scheduled, if there is one, rather than adding another.
    session = (
        cycle.sessions.filter(kind=SessionKind.DEBRIEF, held_at__isnull=True)
        .order_by("scheduled_for")
        .first()
    ) or CoachingSession(cycle=cycle, kind=SessionKind.DEBRIEF)
    session.held_at = held_at or timezone.now()
    session.duration_minutes = duration_minutes
    validated_save(session)
    _time_entry_sync_for_session(session)
    debrief = debrief_record(
        session=session,
        students_showed=students_showed,
        next_step=next_step,
        indicator_met=indicator_met,
        teacher_reflection=teacher_reflection,
    )
    cycle.refresh_from_db()
    if decision == DebriefDecision.CONTINUE:
        revisit_schedule(
            cycle=cycle,
            due_on=revisit_due_on,
            reason=f"Chosen at the debrief of {timezone.localdate(session.held_at):%d %b}.",
            off_rule_reason=""
            if window is not None and window.contains(revisit_due_on)
            else revisit_off_rule_reason.strip(),
        )
    else:
        cycle_close(
            cycle=cycle,
            outcome=Outcome.MASTERED if decision == DebriefDecision.MASTERED else outcome,
        )
    return debrief


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


# --- Issue 4: background jobs --------------------------------------------------------------------
# The periodic jobs (coaching/tasks.py) are thin callers of the functions below.


@dataclass(frozen=True)
class RevisitRun:
    scheduled: int = 0
    missed: int = 0

    def as_dict(self) -> dict:
        return {"scheduled": self.scheduled, "missed": self.missed}


@transaction.atomic
def _revisit_create_from_plan(plan: selectors.RevisitPlan) -> Revisit | None:
    """Create the planned revisit unless, by now, the cycle has one or is no longer under way."""
    cycle = CoachingCycle.objects.select_for_update().get(pk=plan.cycle.pk)
    if cycle.state not in selectors.UNDER_WAY_STATES:
        return None
    if Revisit.objects.filter(cycle=cycle, status=RevisitStatus.SCHEDULED).exists():
        return None
    revisit = Revisit(cycle=cycle, due_on=plan.due_on, reason=plan.reason)
    revisit._change_reason = "Revisit job: scheduled by the revisit rule."
    return validated_save(revisit)


def revisits_schedule_due(*, now: datetime.datetime | None = None) -> RevisitRun:
    """The revisit job: revisits overdue by more than REVISIT_MISSED_AFTER_DAYS school days
    (school days of their school that have passed since the date: a break does not count) are
    recorded as missed, then every cycle under way without a scheduled revisit gets one by the
    revisit rule. Running it again creates nothing twice (and two runs at once cannot either:
    the cycle row is locked and the database allows one scheduled revisit per cycle)."""
    now = now or timezone.now()
    missed = 0
    overdue = selectors.revisits_overdue(now=now)
    calendars = school_days_by_school(
        schools={r.cycle.teacher.school_id: r.cycle.teacher.school for r in overdue}.values()
    )
    for revisit in overdue:
        school = revisit.cycle.teacher.school
        today = selectors.school_today(school, now)
        late = calendars[school.pk].count(revisit.due_on, today)
        if late > selectors.REVISIT_MISSED_AFTER_DAYS:
            with transaction.atomic():
                locked = Revisit.objects.select_for_update().get(pk=revisit.pk)
                if locked.status == RevisitStatus.SCHEDULED:
                    locked._change_reason = (
                        "Revisit job: overdue by more than "
                        f"{selectors.REVISIT_MISSED_AFTER_DAYS} school days."
                    )
                    revisit_mark_missed(revisit=locked)
                    missed += 1
    scheduled = 0
    for plan in selectors.revisits_needed(now=now):
        if _revisit_create_from_plan(plan) is not None:
            scheduled += 1
    return RevisitRun(scheduled=scheduled, missed=missed)


@transaction.atomic
def revisit_reschedule(
    *,
    revisit: Revisit,
    due_on: datetime.date,
    today: datetime.date | None = None,
    off_rule_reason: str = "",
) -> Revisit:
    """The coach moves a scheduled revisit to a school day in the revisit window (10 to 20
    school days after the last touch; from today when that has passed). A school day outside
    the window needs ``off_rule_reason``, kept on the revisit; a non-school day is refused with
    its name and the nearest school days."""
    revisit = (
        Revisit.objects.select_for_update(of=("self",))
        .select_related("cycle__teacher__school")
        .get(pk=revisit.pk)
    )
    if revisit.status != RevisitStatus.SCHEDULED:
        raise ValidationError("Only a scheduled revisit can be moved.")
    today = today or selectors.school_today(revisit.cycle.teacher.school)
    window = selectors.revisit_window_for(cycle=revisit.cycle, today=today)
    errors = selectors.revisit_date_errors(
        day=due_on,
        window=window,
        off_rule_reason=off_rule_reason,
        date_field="due_on",
        reason_field="off_rule_reason",
    )
    if errors:
        raise ValidationError(errors)
    revisit.due_on = due_on
    revisit.reason = f"Moved by the coach on {today:%d %b}."
    revisit.off_rule_reason = "" if window.contains(due_on) else off_rule_reason.strip()
    return validated_save(revisit)


def context_brief_build(
    *, cycle: CoachingCycle, session: CoachingSession | None = None
) -> ContextBrief:
    """Assemble the cycle's context brief and store it in one write: a failure or a killed
    worker before the end leaves the stored brief as it was, never half of a new one.

    Evidence that lands while it is assembled leaves it stale, so it is built again: the
    cycle's content version is read before assembling and again, locked, before storing; a
    change in between (committed or still in flight) means the content may have missed it."""
    cycles = CoachingCycle.objects.filter(pk=cycle.pk)
    # A change marks a fresh brief stale and queues its rebuild; for a brief already stale, or
    # none yet, nothing is queued, so this build queues it if a change lands meanwhile.
    version_before, stale_before = cycles.values_list("content_version", "brief__is_stale").get()
    rebuild_queued_by_changes = stale_before is False
    content = selectors.context_brief_assemble(cycle=cycle)
    # The debrief it prepares: the one asked for while it is still ahead, else the cycle's next
    # scheduled debrief (read with the lock), else none. Never a debrief already held: a
    # reflection written after a debrief is for the next one, and so is the brief showing it.
    next_debrief = (
        CoachingSession.objects.filter(
            cycle=OuterRef("pk"),
            kind=SessionKind.DEBRIEF,
            held_at__isnull=True,
            scheduled_for__isnull=False,
        )
        .order_by("scheduled_for", "pk")
        .values("pk")[:1]
    )
    with transaction.atomic():
        version_now, next_debrief_id = (
            cycles.select_for_update(of=("self",))
            .annotate(next_debrief_id=Subquery(next_debrief))
            .values_list("content_version", "next_debrief_id")
            .get()
        )
        brief, _ = ContextBrief.objects.select_for_update().get_or_create(cycle=cycle)
        brief.content = content
        brief.built_at = timezone.now()
        if session is not None and session.held_at is None:
            brief.session = session
        else:
            brief.session_id = next_debrief_id
        brief.version = version_before
        brief.is_stale = version_now != version_before
        brief.build_count += 1
        brief.save()
    if brief.is_stale and not rebuild_queued_by_changes:
        from coaching.tasks import context_brief_build as build_task

        _enqueue_on_commit(
            build_task,
            (cycle.pk,),
            {"requested_at": timezone.now().isoformat()},
            countdown=settings.BRIEF_REBUILD_DELAY_SECONDS,
        )
    return brief


def context_brief_ensure(
    *,
    cycle: CoachingCycle,
    session: CoachingSession | None = None,
    requested_at: datetime.datetime | None = None,
) -> tuple[ContextBrief, bool]:
    """A fresh brief for the cycle: the stored one if nothing changed since it was built (and it
    was built after ``requested_at``), else a new build. Returns (brief, whether it was built):
    a job delivered twice builds once."""
    brief = selectors.context_brief_stored(cycle=cycle)
    fresh = (
        brief is not None
        and not brief.is_stale
        and (requested_at is None or brief.built_at >= requested_at)
    )
    if fresh:
        if session is not None and session.held_at is None and brief.session_id != session.pk:
            ContextBrief.objects.filter(pk=brief.pk).update(session=session)
            brief.session = session
        return brief, False
    return context_brief_build(cycle=cycle, session=session), True


class _BrokerSafeTask:
    """A task whose ``apply_async`` neither fails nor stalls the request that queues the job:
    nobody waits for the job's result, so none is kept (subscribing to it would make every
    enqueue wait ~20 s for a result store that is down), and with the broker unreachable the
    job is dropped with a warning. The sweeps and the on-demand builds make up for a dropped
    job (docs/administration.md "When PostgreSQL or Redis is down")."""

    def __init__(self, task) -> None:
        self.task = task
        self.name = task.name

    def apply_async(self, args: tuple = (), kwargs: dict | None = None, **options) -> None:
        try:
            self.task.apply_async(args, kwargs, ignore_result=True, **options)
        except Exception as exc:  # kombu's OperationalError, a result store that is down...
            logger.warning(
                "Could not queue %s%s (%s: %s); the periodic sweep will make up for it.",
                self.name,
                tuple(args),
                type(exc).__name__,
                exc,
            )


def _enqueue_on_commit(task, args: tuple, kwargs: dict | None = None, **options) -> None:
    """Queue a job once the current transaction commits (at once outside one); a broker that
    is down never fails the request (``_BrokerSafeTask``)."""
    transaction.on_commit(
        functools.partial(_BrokerSafeTask(task).apply_async, args, kwargs or {}, **options)
    )


def context_brief_mark_stale(
    *,
    cycle_id: int | None = None,
    observation_id: int | None = None,
    teacher_id: int | None = None,
) -> int:
    """New evidence or plans: the brief of that cycle (or of the cycle an observation belongs
    to, or of a teacher's open cycles) is stale, and a rebuild is queued once the change is
    committed, a little later so that a burst of entries costs one build."""
    briefs = ContextBrief.objects.filter(cycle__state__in=OPEN_STATES)
    if cycle_id is not None:
        briefs = briefs.filter(cycle_id=cycle_id)
    elif observation_id is not None:
        briefs = briefs.filter(cycle__observations__id=observation_id)
    elif teacher_id is not None:
        briefs = briefs.filter(cycle__teacher_id=teacher_id)
    else:
        raise ValueError("Say which brief is stale.")
    cycles = CoachingCycle.objects.filter(state__in=OPEN_STATES)
    if cycle_id is not None:
        cycles = cycles.filter(pk=cycle_id)
    elif observation_id is not None:
        cycles = cycles.filter(pk__in=Observation.objects.filter(pk=observation_id).values("cycle"))
    else:
        cycles = cycles.filter(teacher_id=teacher_id)
    # Every change counts, even while the cycle's first brief is being assembled.
    cycles.update(content_version=F("content_version") + 1)
    now = timezone.now()
    to_rebuild = list(briefs.filter(is_stale=False).values_list("cycle_id", flat=True))
    if not to_rebuild and not briefs.exists():
        return 0
    ContextBrief.objects.filter(pk__in=briefs.values("pk")).update(is_stale=True, changed_at=now)
    from coaching.tasks import context_brief_build as build_task

    for stale_cycle_id in to_rebuild:
        _enqueue_on_commit(
            build_task,
            (stale_cycle_id,),
            {"requested_at": now.isoformat()},
            countdown=settings.BRIEF_REBUILD_DELAY_SECONDS,
        )
    return len(to_rebuild)


def context_brief_enqueue_for_debrief(*, session: CoachingSession) -> None:
    """A debrief was scheduled: its brief is assembled BRIEF_LEAD_HOURS before it (at once if
    that time has come), after the scheduling is committed. A debrief further ahead than
    BRIEF_ETA_MAX_SECONDS past its lead time is left to the sweep, which builds briefs for the
    next BRIEF_SWEEP_HOURS: no message waits days in the broker (Redis would hand a waiting
    message out again after every visibility timeout)."""
    if session.kind != SessionKind.DEBRIEF or session.held_at or not session.scheduled_for:
        return
    from coaching.tasks import context_brief_build as build_task

    now = timezone.now()
    eta = max(now, session.scheduled_for - datetime.timedelta(hours=settings.BRIEF_LEAD_HOURS))
    if (eta - now).total_seconds() > settings.BRIEF_ETA_MAX_SECONDS:
        return
    _enqueue_on_commit(
        build_task,
        (session.cycle_id,),
        {"session_id": session.pk, "requested_at": eta.isoformat()},
        eta=eta,
    )


def context_briefs_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue a build for each debrief in the next BRIEF_SWEEP_HOURS without a fresh brief."""
    from coaching.tasks import context_brief_build as build_task

    sessions = selectors.debriefs_needing_brief(now=now)
    for session in sessions:
        _enqueue_on_commit(build_task, (session.cycle_id,), {"session_id": session.pk})
    return len(sessions)


# --- Reflections: attached to the debrief they prepare -------------------------------------------


def _reflection_attach_pending(*, session: CoachingSession) -> None:
    """A debrief is being scheduled or recorded: the reflection that waited for a debrief
    (written when none was scheduled) prepares this one; once it is held, the reflection no
    longer changes. A reflection written after the debrief was held (one recorded late) is for
    the next debrief: it waits."""
    if Reflection.objects.filter(session=session).exists():
        return
    pending = Reflection.objects.filter(cycle_id=session.cycle_id, session__isnull=True)
    if session.held_at is not None:
        pending = pending.filter(submitted_at__lte=session.held_at)
    pending = pending.first()
    if pending is not None:
        pending.session = session
        validated_save(pending)
