"""The support plan: practice before the try, and the default times of each kind."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from coaching.models import CoachingCycle, SessionKind
from observations.models import Observation
from teachers.school_days import SchoolDays

# --- The support plan: practice before the try ---------------------------------------------------

# Practice prepares the try, so it comes before the first observation (the day the teacher tries
# the move): co-planning, rehearsal, a model lesson, real-time coaching. One planned after the
# first observation is a follow-up the coach marks on purpose (CoachingSession.is_follow_up).
PRACTICE_KINDS = (
    SessionKind.CO_PLANNING,
    SessionKind.REHEARSAL,
    SessionKind.MODEL_LESSON,
    SessionKind.REAL_TIME_COACHING,
)
# The debrief follows the observation within this many school days, while the lesson is fresh.
DEBRIEF_WITHIN_SCHOOL_DAYS = 2
PLAN_OBSERVATION_TIME = datetime.time(10, 0)
# Where the default plan puts each kind: (school days from the day of the try, time of day).
# Delivery: see it (model lesson), do it (rehearsal after school), do it in class with the coach
# prompting (real-time coaching), then the try. Planning: co-planning the school day before.
# Progress monitoring: co-planning the exit slip and its criterion the day before, the slips
# reviewed the afternoon of the try. The debrief the next school day.
PLAN_SLOTS: dict[str, tuple[int, datetime.time]] = {
    SessionKind.MODEL_LESSON: (-2, datetime.time(10, 0)),
    SessionKind.REHEARSAL: (-2, datetime.time(15, 30)),
    SessionKind.REAL_TIME_COACHING: (-1, datetime.time(10, 0)),
    SessionKind.CO_PLANNING: (-1, datetime.time(15, 30)),
    SessionKind.DATA_REVIEW: (0, datetime.time(15, 30)),
    SessionKind.DEBRIEF: (1, datetime.time(15, 30)),
}


def _at(day: datetime.date, at: datetime.time, tz: datetime.tzinfo) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at), tz)


def _next_slot(
    school_days: SchoolDays, after: datetime.datetime, at: datetime.time, tz: datetime.tzinfo
) -> datetime.datetime:
    """The first ``at`` on a school day later than ``after``."""
    day = school_days.on_or_after(timezone.localtime(after, tz).date())
    slot = _at(day, at, tz)
    return slot if slot > after else _at(school_days.add(day, 1), at, tz)


def plan_lead_school_days(*, kinds: Iterable[str]) -> int:
    """How many school days of practice the plan's kinds need before the try."""
    return max((-PLAN_SLOTS[k][0] for k in kinds if k in PRACTICE_KINDS), default=0)


def move_due_default(
    *, kinds: Iterable[str], today: datetime.date, school_days: SchoolDays
) -> datetime.date:
    """The due date proposed for a new move: the first school day that leaves room for the
    plan's practice before it (the school day after it, at least)."""
    return school_days.add(today, plan_lead_school_days(kinds=kinds) + 1)


@dataclass(frozen=True)
class PlanDefaults:
    sessions: dict[str, datetime.datetime]
    observation_at: datetime.datetime
    note: str = ""  # why the observation is not on the move's due date, when it is not


def support_plan_defaults(
    *,
    kinds: Iterable[str],
    due_on: datetime.date | None,
    school_days: SchoolDays,
    tz: datetime.tzinfo,
    now: datetime.datetime | None = None,
) -> PlanDefaults:
    """The plan proposed for a move due ``due_on``, every time on a school day: the practice
    sessions on the school days before the try (PLAN_SLOTS), the first observation on the day
    of the try at 10:00, the exit-slip review that afternoon, the debrief the next school day.
    Practice whose slot has passed moves to the next free slot, still before the try; when the
    try comes too soon for that, the observation moves to the school day after the practice
    and ``note`` says so (the coach agrees a new date with the teacher or changes the times)."""
    now = now or timezone.now()
    kinds = tuple(kinds)
    today = timezone.localtime(now, tz).date()
    lead = plan_lead_school_days(kinds=kinds)
    try_day = school_days.on_or_after(max(due_on, today) if due_on else today)
    if due_on is None:
        try_day = school_days.add(today, lead + 1)
    if _at(try_day, PLAN_OBSERVATION_TIME, tz) <= now:
        try_day = school_days.add(today, 1)
    sessions: dict[str, datetime.datetime] = {}
    practice = sorted((k for k in kinds if k in PRACTICE_KINDS), key=lambda k: PLAN_SLOTS[k])
    previous = now
    for kind in practice:
        offset, at = PLAN_SLOTS[kind]
        when = _at(school_days.add(try_day, offset), at, tz)
        if when <= previous:  # passed, or not after the practice before it
            when = _next_slot(school_days, previous, at, tz)
        sessions[kind] = previous = when
    observation_at = _at(try_day, PLAN_OBSERVATION_TIME, tz)
    note = ""
    if previous >= observation_at:
        try_day = school_days.add(timezone.localtime(previous, tz).date(), 1)
        observation_at = _at(try_day, PLAN_OBSERVATION_TIME, tz)
        if due_on is not None:
            note = (
                f"The move is due {due_on:%a %d %b}: too soon for the practice to come first. "
                f"This plan observes the try on {try_day:%a %d %b}; agree that day with the "
                "teacher (change the move's due date), or adjust the times."
            )
    for kind in kinds:
        if kind not in sessions:
            offset, at = PLAN_SLOTS.get(kind, (1, datetime.time(15, 30)))
            sessions[kind] = _at(school_days.add(try_day, offset), at, tz)
    return PlanDefaults(sessions=sessions, observation_at=observation_at, note=note)


def support_plan_order_errors(
    *,
    sessions: Iterable[tuple[str, datetime.datetime, bool]],
    observation_at: datetime.datetime | None,
    school_days: SchoolDays,
    tz: datetime.tzinfo,
) -> dict[str, str]:
    """The support plan order, by session kind: practice (PRACTICE_KINDS) before the first
    observation unless marked a follow-up; the debrief after the observation and within
    DEBRIEF_WITHIN_SCHOOL_DAYS school days of it. ``sessions``: (kind, when, is_follow_up)."""
    if observation_at is None:
        return {}
    observed = timezone.localtime(observation_at, tz)
    errors: dict[str, str] = {}
    for kind, when, follow_up in sessions:
        local = timezone.localtime(when, tz)
        label = SessionKind(kind).label
        if kind in PRACTICE_KINDS and when >= observation_at and not follow_up:
            errors[kind] = (
                f"{label} on {local:%a %d %b %H:%M} comes after the first observation "
                f"({observed:%a %d %b %H:%M}): practice comes before the try. Plan it before "
                "the observation, or tick “This is a follow-up” if it follows up on the try."
            )
        elif kind == SessionKind.DEBRIEF:
            if when <= observation_at:
                errors[kind] = (
                    f"The debrief comes after the observation ({observed:%a %d %b %H:%M}): "
                    "plan it later that day or on the next school day."
                )
                continue
            late = school_days.count(observed.date(), local.date())
            if late > DEBRIEF_WITHIN_SCHOOL_DAYS:
                latest = school_days.add(observed.date(), DEBRIEF_WITHIN_SCHOOL_DAYS)
                errors[kind] = (
                    f"The debrief is {late} school days after the observation "
                    f"({observed:%a %d %b}): hold it within {DEBRIEF_WITHIN_SCHOOL_DAYS} school "
                    f"days, by {latest:%a %d %b}, while the lesson is fresh."
                )
    return errors


def cycle_first_observation_at(*, cycle: CoachingCycle) -> datetime.datetime | None:
    """When the cycle's first observation is (started, or planned)."""
    times = [
        o.started_at or o.scheduled_for
        for o in Observation.objects.filter(cycle=cycle).only("started_at", "scheduled_for")
    ]
    return min(times, default=None)


def cycle_plan_exists(*, cycle: CoachingCycle) -> bool:
    """Whether the cycle's support plan has been made: any session or observation in it."""
    return cycle.sessions.exists() or cycle.observations.exists()
