"""`seed_demo`'s dates agree with each other and with each school's calendar on any day: a
Monday, a Saturday, Christmas Eve. Every date is a school day of the teacher's school; a cycle
goes opened <= practice < first observation <= debrief (within two school days) <= revisit;
revisits fall 10 to 20 school days after the last touch; a cycle under way was touched less
than 20 school days ago; each school has a holiday in the coming month and a past break."""

import datetime
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from caseload.selectors import caseload_rows
from coaching.models import (
    OPEN_STATES,
    CoachingCycle,
    CoachingSession,
    Debrief,
    Revisit,
    RevisitStatus,
    SessionKind,
)
from coaching.selectors import UNDER_WAY_STATES, cycle_last_touch
from demo.seeding import cycles as seeding_cycles
from observations.models import Observation
from teachers.models import Membership, NonSchoolDay, Role, School
from teachers.school_days import SchoolDays, school_days_for

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
PRACTICE = {SessionKind.CO_PLANNING, SessionKind.REHEARSAL, SessionKind.MODEL_LESSON}


def _local(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(value, CHICAGO).date() if value else None


def _cycle_problems(cycle: CoachingCycle, sd: SchoolDays, today: datetime.date) -> list[str]:
    name = f"{cycle.teacher.last_name} (cycle opened {cycle.opened_on})"
    problems: list[str] = []
    sessions = list(CoachingSession.objects.filter(cycle=cycle))
    visits = list(Observation.objects.filter(cycle=cycle))
    revisits = list(Revisit.objects.filter(cycle=cycle))
    session_days = [(s, _local(s.held_at or s.scheduled_for)) for s in sessions]
    visit_days = sorted(_local(o.started_at or o.scheduled_for) for o in visits)
    debrief_days = sorted(day for s, day in session_days if s.kind == SessionKind.DEBRIEF)
    dates = {
        "opened": [cycle.opened_on],
        "closed": [cycle.closed_on] if cycle.closed_on else [],
        "move due": [cycle.agreed_move.due_on] if hasattr(cycle, "agreed_move") else [],
        "session": [day for _, day in session_days],
        "observation": visit_days,
        "revisit due": [r.due_on for r in revisits],
        "revisit done": [r.completed_on for r in revisits if r.completed_on],
    }
    for what, days in dates.items():
        problems += [
            f"{name}: {what} on {d:%a %d %b}, no school" for d in days if not sd.is_school_day(d)
        ]
        problems += [f"{name}: {what} on {d} before it opened" for d in days if d < cycle.opened_on]
    practice = sorted(day for s, day in session_days if s.kind in PRACTICE)
    if visit_days:
        first_visit = visit_days[0]
        if not practice or practice[0] >= first_visit:
            problems.append(f"{name}: no practice before the first observation on {first_visit}")
        if debrief_days and debrief_days[0] < first_visit:
            problems.append(f"{name}: debrief on {debrief_days[0]} before the first observation")
        for day in debrief_days:
            before = [v for v in visit_days if v <= day]
            if before and sd.count(before[-1], day) > 2:
                problems.append(f"{name}: debrief {day} more than 2 school days after {before[-1]}")
    for revisit in revisits:
        if debrief_days and revisit.due_on < debrief_days[0]:
            problems.append(f"{name}: revisit {revisit.due_on} before the first debrief")
        touches = [cycle.opened_on]
        touches += [d for s, d in session_days if s.held_at and d < revisit.due_on]
        touches += [_local(o.started_at) for o in visits if o.started_at]
        touches += [r.completed_on for r in revisits if r.completed_on]
        last = max(t for t in touches if t < revisit.due_on)
        if not 10 <= sd.count(last, revisit.due_on) <= 20:
            problems.append(
                f"{name}: revisit {revisit.due_on} is {sd.count(last, revisit.due_on)} school "
                f"days after the last touch {last}"
            )
    if cycle.state in UNDER_WAY_STATES:
        since = sd.count(cycle_last_touch(cycle=cycle), today)
        if since >= 20:
            problems.append(f"{name}: {since} school days since the last touch")
    return problems


def demo_date_problems(today: datetime.date) -> list[str]:
    problems: list[str] = []
    calendars = {s.pk: school_days_for(school=s) for s in School.objects.all()}
    cycles = CoachingCycle.objects.select_related("teacher", "agreed_move").order_by("pk")
    for cycle in cycles:
        problems += _cycle_problems(cycle, calendars[cycle.teacher.school_id], today)
    for school in School.objects.all():
        closures = NonSchoolDay.objects.filter(school=school)
        if not closures.filter(starts_on__gt=today, starts_on__lte=today + datetime.timedelta(31)):
            problems.append(f"{school.name}: no holiday in the coming month")
        if not any((c.ends_on - c.starts_on).days >= 4 and c.ends_on < today for c in closures):
            problems.append(f"{school.name}: no past break")
    # The caseload's "days since the last touch" of a teacher with an open cycle.
    for membership in Membership.objects.filter(role=Role.COACH).select_related("user"):
        sd = calendars[membership.school_id]
        for row in caseload_rows(coach=membership.user, today=today):
            if row.teacher.school_id != membership.school_id or row.cycle is None:
                continue
            if row.last_touch is None or sd.count(row.last_touch, today) >= 20:
                problems.append(f"{row.teacher.last_name}: caseload last touch {row.last_touch}")
    return problems


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2027, 3, 8, 8, 30, tzinfo=CHICAGO),  # a Monday morning after a weekend
        datetime.datetime(2027, 1, 16, 10, 0, tzinfo=CHICAGO),  # a Saturday
        datetime.datetime(2026, 12, 24, 16, 45, tzinfo=CHICAGO),  # Christmas Eve, late afternoon
    ],
    ids=["monday", "saturday", "christmas-eve"],
)
def test_every_demo_date_is_a_school_day_in_the_order_of_a_cycle(moment, monkeypatch):
    # Notes and student evidence carry no dates of their own: left out to keep this quick.
    monkeypatch.setattr(seeding_cycles, "observation_add_note", lambda **kwargs: None)
    monkeypatch.setattr(seeding_cycles, "observation_add_evidence", lambda **kwargs: None)
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo", stdout=StringIO())
        today = timezone.localdate(timezone=CHICAGO)

        assert demo_date_problems(today) == []
        open_cycles = CoachingCycle.objects.filter(state__in=OPEN_STATES)
        assert open_cycles.count() >= 15
        scheduled = Revisit.objects.filter(status=RevisitStatus.SCHEDULED)
        assert scheduled.filter(due_on__lt=today).exists()  # some overdue, a few days only
        assert scheduled.filter(due_on__gt=today).exists()
        assert Debrief.objects.exclude(next_step="").exists()
