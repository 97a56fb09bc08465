"""The revisit rule and the revisit job, in process: 14 days after the last touch for a new move
or an unmet (or unclear) indicator, 21 once met, 28 when met repeatedly; a date already past is
today. Dates are school dates: month ends, leap years, clock changes and schools ahead of UTC
are travelled through with ``now=`` (and time_machine where the job reads the clock itself)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from coaching.models import CycleState, Revisit, RevisitStatus, SessionKind
from coaching.selectors import (
    REVISIT_DAYS_MET_ONCE,
    REVISIT_DAYS_MET_REPEATEDLY,
    REVISIT_DAYS_NOT_MET,
    revisit_due_from,
    revisit_interval,
    revisits_needed,
)
from coaching.services import RevisitRun, revisit_reschedule, revisits_schedule_due
from tests import factories as f

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
D = datetime.date


def _cycle(school=None, *, opened_on: datetime.date, state: str = CycleState.ACTIVE, **teacher):
    """A cycle of a new teacher at ``school``, opened (and assessed) on ``opened_on``."""
    school = school or f.SchoolFactory()
    return f.CoachingCycleFactory(
        teacher=f.TeacherFactory(school=school, **teacher),
        state=state,
        assessment__assessed_on=opened_on,
    )


def _held(cycle, at: datetime.datetime, kind: str = SessionKind.CO_PLANNING):
    return f.CoachingSessionFactory(cycle=cycle, kind=kind, held_at=at, scheduled_for=None)


def _debriefed(cycle, at: datetime.datetime, met: bool | None):
    return f.DebriefFactory(
        session__cycle=cycle, session__held_at=at, session__scheduled_for=None, indicator_met=met
    )


def _scheduled(cycle) -> Revisit:
    return Revisit.objects.get(cycle=cycle, status=RevisitStatus.SCHEDULED)


# --- The rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("met_count", "last_met", "days"),
    [
        pytest.param(0, None, 14, id="new move, no debrief yet"),
        pytest.param(0, False, 14, id="not met"),
        pytest.param(0, None, 14, id="unclear"),
        pytest.param(2, False, 14, id="not met last time after two mets"),
        pytest.param(3, None, 14, id="unclear last time after three mets"),
        pytest.param(1, True, 21, id="met once"),
        pytest.param(2, True, 28, id="met twice"),
        pytest.param(5, True, 28, id="met five times"),
    ],
)
def test_revisit_interval_follows_the_indicator(met_count, last_met, days):
    interval, why = revisit_interval(met_count=met_count, last_met=last_met)

    assert interval == days
    assert why.endswith({14: "two weeks", 21: "three weeks"}.get(days, "mastered)"))


def test_revisit_interval_constants_are_two_three_and_four_weeks():
    assert (REVISIT_DAYS_NOT_MET, REVISIT_DAYS_MET_ONCE, REVISIT_DAYS_MET_REPEATEDLY) == (
        14,
        21,
        28,
    )


def test_revisit_due_from_counts_from_the_last_touch_and_says_why():
    due, reason = revisit_due_from(
        last_touch=D(2026, 3, 2), met_count=1, last_met=True, today=D(2026, 3, 5)
    )

    assert due == D(2026, 3, 23)
    assert reason == (
        "Scheduled by the revisit rule: indicator met once: three weeks, after the last touch "
        "on 02 Mar."
    )


def test_revisit_due_from_a_date_already_past_is_today_and_the_reason_says_so():
    due, reason = revisit_due_from(
        last_touch=D(2026, 1, 2), met_count=0, last_met=None, today=D(2026, 2, 10)
    )

    assert due == D(2026, 2, 10)
    assert "after the last touch on 02 Jan" in reason
    assert reason.endswith("16 Jan had passed, so it is due today.")
    assert len(reason) <= 200  # it fits Revisit.reason


def test_revisit_due_from_a_date_falling_today_is_not_called_past():
    due, reason = revisit_due_from(
        last_touch=D(2026, 1, 27), met_count=0, last_met=None, today=D(2026, 2, 10)
    )

    assert due == D(2026, 2, 10)
    assert "had passed" not in reason


# --- Month ends, leap years, the turn of the year ---------------------------------------------


@pytest.mark.parametrize(
    ("last_touch", "met_count", "last_met", "due"),
    [
        pytest.param(D(2026, 1, 31), 0, None, D(2026, 2, 14), id="Jan 31 + 14"),
        pytest.param(D(2026, 1, 31), 1, True, D(2026, 2, 21), id="Jan 31 + 21"),
        pytest.param(D(2026, 1, 31), 2, True, D(2026, 2, 28), id="Jan 31 + 28"),
        pytest.param(D(2028, 1, 31), 2, True, D(2028, 2, 28), id="Jan 31 + 28, leap year"),
        pytest.param(D(2028, 2, 28), 0, False, D(2028, 3, 13), id="Feb 28 2028 + 14, leap"),
        pytest.param(D(2027, 2, 28), 0, False, D(2027, 3, 14), id="Feb 28 2027 + 14"),
        pytest.param(D(2028, 2, 29), 1, True, D(2028, 3, 21), id="Feb 29 2028 + 21"),
        pytest.param(D(2026, 12, 20), 0, None, D(2027, 1, 3), id="Dec 20 + 14, next year"),
        pytest.param(D(2026, 12, 20), 2, True, D(2027, 1, 17), id="Dec 20 + 28, next year"),
    ],
)
def test_revisit_due_from_across_month_and_year_ends(last_touch, met_count, last_met, due):
    got, _ = revisit_due_from(
        last_touch=last_touch, met_count=met_count, last_met=last_met, today=last_touch
    )

    assert got == due


@pytest.mark.parametrize(
    ("debriefs", "due"),
    [
        pytest.param([], D(2026, 2, 14), id="new move"),
        pytest.param([True], D(2026, 2, 21), id="met once"),
        pytest.param([True, True], D(2026, 2, 28), id="met twice"),
        pytest.param([True, True, False], D(2026, 2, 14), id="met twice then not"),
        pytest.param([True, None], D(2026, 2, 14), id="met then unclear"),
    ],
)
def test_revisit_job_on_the_last_day_of_january(debriefs, due):
    """The last touch is a debrief (or the first visit) on Jan 31, school time."""
    cycle = _cycle(opened_on=D(2026, 1, 5))
    _held(cycle, datetime.datetime(2026, 1, 20, 15, tzinfo=UTC), kind=SessionKind.REHEARSAL)
    for index, met in enumerate(debriefs):
        at = datetime.datetime(2026, 1, 31 - len(debriefs) + 1 + index, 15, tzinfo=UTC)
        _debriefed(cycle, at, met)
    if not debriefs:
        f.ObservationFactory(cycle=cycle, started_at=datetime.datetime(2026, 1, 31, 15, tzinfo=UTC))

    run = revisits_schedule_due(now=datetime.datetime(2026, 2, 1, 12, tzinfo=UTC))

    assert run == RevisitRun(scheduled=1, missed=0)
    revisit = _scheduled(cycle)
    assert revisit.due_on == due
    assert "after the last touch on 31 Jan" in revisit.reason


def test_revisit_job_reads_the_clock_when_not_given_now():
    """Travelling to Feb 20: the Jan 31 touch + 14 (Feb 14) has passed, so it is due Feb 20."""
    cycle = _cycle(opened_on=D(2026, 1, 31))

    with time_machine.travel(datetime.datetime(2026, 2, 20, 17, tzinfo=UTC), tick=False):
        run = revisits_schedule_due()

    assert run.scheduled == 1
    revisit = _scheduled(cycle)
    assert revisit.due_on == D(2026, 2, 20)
    assert revisit.reason.endswith("14 Feb had passed, so it is due today.")


def test_revisit_job_over_new_year_counts_calendar_days():
    cycle = _cycle(opened_on=D(2026, 12, 1))
    _debriefed(cycle, datetime.datetime(2026, 12, 20, 16, tzinfo=UTC), True)

    with time_machine.travel(datetime.datetime(2026, 12, 24, 9, tzinfo=UTC), tick=False):
        revisits_schedule_due()

    assert _scheduled(cycle).due_on == D(2027, 1, 10)  # Dec 20 + 21


# --- Clock changes (America/New_York: spring forward 2026-03-08, fall back 2026-11-01) --------


@pytest.mark.parametrize(
    ("held_local", "now_utc", "last_touch", "due"),
    [
        pytest.param(
            datetime.datetime(2026, 3, 7, 23, 30),
            datetime.datetime(2026, 3, 8, 6, 30, tzinfo=UTC),  # 01:30 EST, before the change
            D(2026, 3, 7),
            D(2026, 3, 21),
            id="23:30 the night before spring forward, run at 01:30 EST",
        ),
        pytest.param(
            datetime.datetime(2026, 3, 7, 23, 30),
            datetime.datetime(2026, 3, 8, 7, 30, tzinfo=UTC),  # 03:30 EDT, after the change
            D(2026, 3, 7),
            D(2026, 3, 21),
            id="23:30 the night before spring forward, run at 03:30 EDT",
        ),
        pytest.param(
            datetime.datetime(2026, 3, 8, 23, 30),  # EDT: 03:30 UTC on Mar 9
            datetime.datetime(2026, 3, 9, 4, 0, tzinfo=UTC),  # 00:00 EDT on Mar 9
            D(2026, 3, 8),
            D(2026, 3, 22),
            id="23:30 on spring-forward day",
        ),
        pytest.param(
            datetime.datetime(2026, 10, 31, 23, 30),  # EDT: 03:30 UTC on Nov 1
            datetime.datetime(2026, 11, 1, 5, 30, tzinfo=UTC),  # 01:30 EDT, first time
            D(2026, 10, 31),
            D(2026, 11, 14),
            id="23:30 the night before fall back, run at the first 01:30",
        ),
        pytest.param(
            datetime.datetime(2026, 10, 31, 23, 30),
            datetime.datetime(2026, 11, 1, 6, 30, tzinfo=UTC),  # 01:30 EST, second time
            D(2026, 10, 31),
            D(2026, 11, 14),
            id="23:30 the night before fall back, run at the second 01:30",
        ),
        pytest.param(
            datetime.datetime(2026, 11, 1, 23, 30),  # EST: 04:30 UTC on Nov 2
            datetime.datetime(2026, 11, 2, 5, 0, tzinfo=UTC),  # 00:00 EST on Nov 2
            D(2026, 11, 1),
            D(2026, 11, 15),
            id="23:30 on fall-back day",
        ),
    ],
)
def test_revisit_job_across_a_clock_change_counts_from_the_local_date(
    held_local, now_utc, last_touch, due
):
    """The session's UTC date is the day after its local date: the rule counts from the local
    date, in calendar days, whichever side of the change the job runs on."""
    school = f.SchoolFactory(time_zone="America/New_York")
    cycle = _cycle(school, opened_on=held_local.date() - datetime.timedelta(days=10))
    held_at = held_local.replace(tzinfo=NEW_YORK)
    assert held_at.astimezone(UTC).date() != held_local.date()  # the case worth testing
    _held(cycle, held_at)

    plans = revisits_needed(now=now_utc)
    run = revisits_schedule_due(now=now_utc)

    assert [(p.cycle.pk, p.last_touch, p.due_on) for p in plans] == [(cycle.pk, last_touch, due)]
    assert run.scheduled == 1
    assert _scheduled(cycle).due_on == due


# --- Schools ahead of UTC ----------------------------------------------------------------------

# 2026-01-31 23:30 UTC is 2026-02-01 12:30 in Auckland (NZDT, UTC+13).
AUCKLAND_RUN = datetime.datetime(2026, 1, 31, 23, 30, tzinfo=UTC)


def test_revisit_job_takes_the_last_touch_as_the_date_at_the_school():
    school = f.SchoolFactory(time_zone="Pacific/Auckland")
    cycle = _cycle(school, opened_on=D(2026, 1, 10))
    # 2026-01-20 11:30 UTC is 2026-01-21 00:30 in Auckland.
    _held(cycle, datetime.datetime(2026, 1, 20, 11, 30, tzinfo=UTC))

    revisits_schedule_due(now=AUCKLAND_RUN)

    revisit = _scheduled(cycle)
    assert revisit.due_on == D(2026, 2, 4)  # Jan 21 + 14, not Jan 20 + 14
    assert "after the last touch on 21 Jan" in revisit.reason


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "Australia/Sydney"])
def test_revisit_job_moves_a_past_date_to_the_schools_today_not_utcs(zone):
    school = f.SchoolFactory(time_zone=zone)
    cycle = _cycle(school, opened_on=D(2026, 1, 2))  # + 14 = Jan 16, long past
    assert AUCKLAND_RUN.astimezone(zoneinfo.ZoneInfo(zone)).date() == D(2026, 2, 1)

    revisits_schedule_due(now=AUCKLAND_RUN)

    revisit = _scheduled(cycle)
    assert revisit.due_on == D(2026, 2, 1)  # the school's today; UTC's is Jan 31
    assert revisit.reason.endswith("16 Jan had passed, so it is due today.")


def test_revisit_job_for_a_school_behind_utc_keeps_its_own_today():
    """The same instant in New York is still Jan 31 (18:30): a past date becomes Jan 31."""
    school = f.SchoolFactory(time_zone="America/New_York")
    cycle = _cycle(school, opened_on=D(2026, 1, 2))

    revisits_schedule_due(now=AUCKLAND_RUN)

    assert _scheduled(cycle).due_on == D(2026, 1, 31)


# --- The job -----------------------------------------------------------------------------------

RUN = datetime.datetime(2026, 3, 2, 14, tzinfo=UTC)  # Monday 09:00 in New York


def test_revisit_job_schedules_one_revisit_per_cycle_under_way_and_no_other():
    active = _cycle(opened_on=D(2026, 2, 20))
    debriefed = _cycle(opened_on=D(2026, 2, 10), state=CycleState.DEBRIEFED)
    _debriefed(debriefed, datetime.datetime(2026, 2, 24, 15, tzinfo=UTC), True)
    planned = _cycle(opened_on=D(2026, 2, 20), state=CycleState.PLANNED)
    closed = f.CoachingCycleFactory(
        closed=True, assessment__assessed_on=D(2026, 2, 1), closed_on=D(2026, 2, 20)
    )
    inactive_teacher = _cycle(opened_on=D(2026, 2, 20), is_active=False)
    inactive_school = _cycle(f.SchoolFactory(is_active=False), opened_on=D(2026, 2, 20))

    run = revisits_schedule_due(now=RUN)

    assert run == RevisitRun(scheduled=2, missed=0)
    assert set(Revisit.objects.values_list("cycle_id", "due_on", "status")) == {
        (active.pk, D(2026, 3, 6), RevisitStatus.SCHEDULED),  # Feb 20 + 14
        (debriefed.pk, D(2026, 3, 17), RevisitStatus.SCHEDULED),  # Feb 24 + 21
    }
    for cycle in (planned, closed, inactive_teacher, inactive_school):
        assert not cycle.revisits.exists()


def test_revisit_job_run_twice_creates_nothing_twice():
    cycle = _cycle(opened_on=D(2026, 2, 20))

    first = revisits_schedule_due(now=RUN)
    second = revisits_schedule_due(now=RUN)
    third = revisits_schedule_due(now=RUN + datetime.timedelta(days=1))

    assert (first.scheduled, second.scheduled, third.scheduled) == (1, 0, 0)
    assert Revisit.objects.filter(cycle=cycle).count() == 1


def test_revisit_job_never_moves_a_revisit_the_coach_chose():
    cycle = _cycle(opened_on=D(2026, 2, 20))
    chosen = f.RevisitFactory(cycle=cycle, due_on=D(2026, 3, 3), reason="Chosen at the debrief.")

    run = revisits_schedule_due(now=RUN)

    assert run == RevisitRun(scheduled=0, missed=0)
    assert list(Revisit.objects.filter(cycle=cycle).values_list("pk", "due_on", "reason")) == [
        (chosen.pk, D(2026, 3, 3), "Chosen at the debrief.")
    ]


def test_revisit_job_schedules_the_next_once_the_last_was_done():
    cycle = _cycle(opened_on=D(2026, 1, 20))
    f.RevisitFactory(
        cycle=cycle, due_on=D(2026, 2, 25), status=RevisitStatus.DONE, completed_on=D(2026, 2, 26)
    )

    revisits_schedule_due(now=RUN)

    assert _scheduled(cycle).due_on == D(2026, 3, 12)  # the done revisit is the last touch


def test_revisit_job_records_a_revisit_overdue_over_14_school_days_as_missed_and_reschedules():
    """In Auckland it is Feb 1: Jan 17 is 15 days ago (by UTC's Jan 31 it would be 14)."""
    school = f.SchoolFactory(time_zone="Pacific/Auckland")
    late = _cycle(school, opened_on=D(2026, 1, 2))
    overdue = f.RevisitFactory(cycle=late, due_on=D(2026, 1, 17))
    within = _cycle(school, opened_on=D(2026, 1, 2))
    recent = f.RevisitFactory(cycle=within, due_on=D(2026, 1, 18))  # 14 days: still scheduled

    run = revisits_schedule_due(now=AUCKLAND_RUN)

    assert run == RevisitRun(scheduled=1, missed=1)
    overdue.refresh_from_db()
    recent.refresh_from_db()
    assert overdue.status == RevisitStatus.MISSED
    assert recent.status == RevisitStatus.SCHEDULED and recent.due_on == D(2026, 1, 18)
    replacement = _scheduled(late)
    assert replacement.pk != overdue.pk
    assert replacement.due_on == D(2026, 2, 1)  # due today at the school
    assert revisits_schedule_due(now=AUCKLAND_RUN) == RevisitRun(scheduled=0, missed=0)


# --- The coach moves a revisit -----------------------------------------------------------------

TODAY = D(2026, 3, 10)


@pytest.fixture
def revisit():
    """A cycle last touched on Mar 5 (a visit), its revisit due Mar 19 by the rule."""
    cycle = _cycle(opened_on=D(2026, 2, 20))
    f.ObservationFactory(cycle=cycle, started_at=datetime.datetime(2026, 3, 5, 15, tzinfo=UTC))
    return f.RevisitFactory(cycle=cycle, due_on=D(2026, 3, 19), reason="By the rule.")


def test_revisit_reschedule_to_an_earlier_day(revisit):
    moved = revisit_reschedule(revisit=revisit, due_on=D(2026, 3, 12), today=TODAY)

    stored = Revisit.objects.get(pk=revisit.pk)
    assert (stored.due_on, stored.status) == (D(2026, 3, 12), RevisitStatus.SCHEDULED)
    assert stored.reason == moved.reason == "Moved by the coach on 10 Mar."


def test_revisit_reschedule_to_today_and_to_four_weeks_after_the_last_touch(revisit):
    revisit_reschedule(revisit=revisit, due_on=TODAY, today=TODAY)
    assert Revisit.objects.get(pk=revisit.pk).due_on == TODAY

    revisit_reschedule(revisit=revisit, due_on=D(2026, 4, 2), today=TODAY)  # Mar 5 + 28
    assert Revisit.objects.get(pk=revisit.pk).due_on == D(2026, 4, 2)


def test_revisit_reschedule_to_a_past_day_is_refused_on_due_on(revisit):
    with pytest.raises(ValidationError) as excinfo:
        revisit_reschedule(revisit=revisit, due_on=D(2026, 3, 9), today=TODAY)

    assert excinfo.value.message_dict == {"due_on": ["Pick today or a later day."]}
    assert Revisit.objects.get(pk=revisit.pk).due_on == D(2026, 3, 19)


def test_revisit_reschedule_beyond_four_weeks_after_the_last_touch_is_refused(revisit):
    """Mar 5 + 28 = Apr 2 is the latest day; Apr 3 is refused, although it is within 28 days
    of today."""
    with pytest.raises(ValidationError) as excinfo:
        revisit_reschedule(revisit=revisit, due_on=D(2026, 4, 3), today=TODAY)

    assert excinfo.value.message_dict == {
        "due_on": ["A revisit is due within 28 days of the last touch: 02 Apr at the latest."]
    }
    assert Revisit.objects.get(pk=revisit.pk).due_on == D(2026, 3, 19)


def test_revisit_reschedule_of_a_revisit_past_four_weeks_allows_only_today():
    cycle = _cycle(opened_on=D(2026, 1, 20))  # last touch Jan 20: + 28 = Feb 17, passed
    overdue = f.RevisitFactory(cycle=cycle, due_on=D(2026, 2, 3))

    with pytest.raises(ValidationError):
        revisit_reschedule(revisit=overdue, due_on=TODAY + datetime.timedelta(days=1), today=TODAY)
    revisit_reschedule(revisit=overdue, due_on=TODAY, today=TODAY)

    assert Revisit.objects.get(pk=overdue.pk).due_on == TODAY


def test_revisit_reschedule_of_a_done_revisit_is_refused(revisit):
    Revisit.objects.filter(pk=revisit.pk).update(
        status=RevisitStatus.DONE, completed_on=D(2026, 3, 9)
    )

    with pytest.raises(ValidationError) as excinfo:
        revisit_reschedule(revisit=revisit, due_on=D(2026, 3, 12), today=TODAY)

    assert excinfo.value.messages == ["Only a scheduled revisit can be moved."]
    assert Revisit.objects.get(pk=revisit.pk).due_on == D(2026, 3, 19)
