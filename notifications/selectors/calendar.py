"""The private calendar feed's events: a person's sessions, observations and revisits."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from coaching.access import READ, cycles_for, teachers_for
from coaching.models import CoachingCycle, CoachingSession, Revisit, RevisitStatus
from observations.models import Observation
from teachers.models import CaseloadAssignment

# --- Calendar ------------------------------------------------------------------------------------

# The private calendar feed (notifications.views) holds the recent past and the year ahead.
CALENDAR_PAST_DAYS = 60
CALENDAR_FUTURE_DAYS = 366
# How long an event lasts in the calendar when the row does not say.
CALENDAR_SESSION_MINUTES = 30
CALENDAR_OBSERVATION_MINUTES = 45


@dataclass(frozen=True)
class CalendarEvent:
    """One event of a calendar feed. Process data only (what, when, where, with whom): calendars
    end up in Google or Outlook, so no notes, evidence, scripts or reflections."""

    uid: str  # stable across feeds and renewals, e.g. "revisit-12"
    kind: str  # "session" | "observation" | "revisit"
    title: str  # the session kind, "Observation" or "Revisit"
    mine: bool  # the user is the teacher (else the coach of the teacher's caseload)
    teacher_id: int
    teacher: str
    coach: str  # the coach, or the observer of an observation
    move: str  # the library move's name ("" before one is agreed)
    cycle_id: int | None
    school: str
    start: datetime.datetime | datetime.date  # aware (UTC) datetime; a date for all-day events
    end: datetime.datetime | datetime.date  # exclusive
    done: bool = False
    cancelled: bool = False
    missed: bool = False

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime.datetime)


def _calendar_move(cycle: CoachingCycle | None) -> str:
    agreed = getattr(cycle, "agreed_move", None) if cycle is not None else None
    return agreed.move.name if agreed is not None else ""


def calendar_events(*, user: User, now: datetime.datetime | None = None) -> list[CalendarEvent]:
    """The events of ``user``'s calendar feed: for a teacher, their own sessions, observations
    and revisits; for a coach, those of the teachers on their caseload; both for someone who is
    both. From CALENDAR_PAST_DAYS ago to CALENDAR_FUTURE_DAYS ahead, sorted by start.

    Scoped by the access policy (what the user may READ), narrowed to their own teacher record
    and their own caseload: a principal's shared cycles, or everything a superuser may read, are
    not theirs to attend. Three queries, whatever the number of events."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    until = now + datetime.timedelta(days=CALENDAR_FUTURE_DAYS)
    caseload = CaseloadAssignment.objects.filter(coach=user, ended_on__isnull=True)
    teacher_ids = (
        teachers_for(user, READ)
        .filter(Q(user=user) | Q(id__in=caseload.values("teacher_id")))
        .values("id")
    )
    cycles = cycles_for(user, READ).filter(teacher_id__in=teacher_ids)
    in_cycle = ("cycle__teacher__school", "cycle__coach", "cycle__agreed_move__move")
    events: list[CalendarEvent] = []

    sessions = CoachingSession.objects.filter(
        Q(held_at__gte=since, held_at__lte=until)
        | Q(held_at__isnull=True, scheduled_for__gte=since, scheduled_for__lte=until),
        cycle__in=cycles,
    ).select_related(*in_cycle)
    for s in sessions:
        start = s.held_at or s.scheduled_for
        teacher = s.cycle.teacher
        minutes = s.duration_minutes or CALENDAR_SESSION_MINUTES
        events.append(
            CalendarEvent(
                uid=f"session-{s.pk}",
                kind="session",
                title=s.get_kind_display(),
                mine=teacher.user_id == user.pk,
                teacher_id=teacher.pk,
                teacher=teacher.full_name,
                coach=s.cycle.coach.display_name,
                move=_calendar_move(s.cycle),
                cycle_id=s.cycle_id,
                school=teacher.school.name,
                start=start,
                end=start + datetime.timedelta(minutes=minutes),
                done=s.held_at is not None,
            )
        )

    observations = Observation.objects.filter(
        Q(started_at__gte=since, started_at__lte=until)
        | Q(started_at__isnull=True, scheduled_for__gte=since, scheduled_for__lte=until),
        teacher_id__in=teacher_ids,
    ).select_related("teacher__school", "observer", "cycle__agreed_move__move")
    for o in observations:
        start = o.started_at or o.scheduled_for
        end = o.ended_at if o.ended_at and o.ended_at > start else None
        events.append(
            CalendarEvent(
                uid=f"observation-{o.pk}",
                kind="observation",
                title="Observation",
                mine=o.teacher.user_id == user.pk,
                teacher_id=o.teacher_id,
                teacher=o.teacher.full_name,
                coach=o.observer.display_name,
                move=_calendar_move(o.cycle),
                cycle_id=o.cycle_id,
                school=o.teacher.school.name,
                start=start,
                end=end or start + datetime.timedelta(minutes=CALENDAR_OBSERVATION_MINUTES),
                done=o.started_at is not None,
            )
        )

    first_day, last_day = since.date(), until.date()
    revisits = Revisit.objects.filter(
        Q(completed_on__gte=first_day, completed_on__lte=last_day)
        | Q(completed_on__isnull=True, due_on__gte=first_day, due_on__lte=last_day),
        cycle__in=cycles,
    ).select_related(*in_cycle)
    for r in revisits:
        day = r.completed_on or r.due_on  # a done revisit: the day it was done
        teacher = r.cycle.teacher
        events.append(
            CalendarEvent(
                uid=f"revisit-{r.pk}",
                kind="revisit",
                title="Revisit",
                mine=teacher.user_id == user.pk,
                teacher_id=teacher.pk,
                teacher=teacher.full_name,
                coach=r.cycle.coach.display_name,
                move=_calendar_move(r.cycle),
                cycle_id=r.cycle_id,
                school=teacher.school.name,
                start=day,
                end=day + datetime.timedelta(days=1),
                done=r.status == RevisitStatus.DONE,
                cancelled=r.status == RevisitStatus.CANCELLED,
                missed=r.status == RevisitStatus.MISSED,
            )
        )

    def sort_key(event: CalendarEvent) -> tuple[datetime.date, str]:
        day = event.start.date() if isinstance(event.start, datetime.datetime) else event.start
        return (day, event.uid)

    return sorted(events, key=sort_key)
