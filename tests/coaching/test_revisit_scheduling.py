"""The revisit rule and the revisit job, in process: in SCHOOL days of the teacher's school, 10
after the last touch for a new move or an unmet (or unclear) indicator, 15 once met, 20 when met
repeatedly; a date already past is today (or the next school day). A weekend, a holiday and a
term break stretch the wait instead of eating it, and the date is never a non-school day. Dates
are school dates: month ends, leap years, clock changes and schools ahead of UTC are travelled
through with ``now=`` (and time_machine where the job reads the clock itself)."""

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
    REVISIT_MISSED_AFTER_DAYS,
    revisit_due_from,
    revisit_interval,
    revisit_window,
    revisits_needed,
)
from coaching.services import RevisitRun, revisit_reschedule, revisits_schedule_due
from teachers.models import NonSchoolDay
from teachers.school_days import SchoolDays, school_days_for
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


def _closed(school, first: datetime.date, last: datetime.date, name: str) -> NonSchoolDay:
    return NonSchoolDay.objects.create(school=school, starts_on=first, ends_on=last, name=name)


# --- The rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("met_count", "last_met", "days"),
    [
        pytest.param(0, None, 10, id="new move, no debrief yet"),
        pytest.param(0, False, 10, id="not met"),
        pytest.param(0, None, 10, id="unclear"),
        pytest.param(2, False, 10, id="not met last time after two mets"),
        pytest.param(3, None, 10, id="unclear last time after three mets"),
        pytest.param(1, True, 15, id="met once"),
        pytest.param(2, True, 20, id="met twice"),
        pytest.param(5, True, 20, id="met five times"),
    ],
)
def test_revisit_interval_follows_the_indicator(met_count, last_met, days):
    interval, why = revisit_interval(met_count=met_count, last_met=last_met)

    assert interval == days
    assert f"{days} school days" in why
    assert why.endswith(
        {10: "(two school weeks)", 15: "(three school weeks)"}.get(days, "mastered)")
    )


def test_revisit_interval_constants_are_two_three_and_four_school_weeks():
    assert (REVISIT_DAYS_NOT_MET, REVISIT_DAYS_MET_ONCE, REVISIT_DAYS_MET_REPEATEDLY) == (
        10,
        15,
        20,
    )


def test_revisit_due_from_counts_school_days_from_the_last_touch_and_says_why():
    due, reason = revisit_due_from(
        last_touch=D(2026, 3, 2), met_count=1, last_met=True, today=D(2026, 3, 5)
    )

    assert due == D(2026, 3, 23)  # Mon + 15 school days = Mon three weeks later
    assert reason == (
        "Scheduled by the revisit rule: indicator met once: 15 school days (three school "
        "weeks), after the last touch on 02 Mar."
    )


def test_revisit_due_from_a_date_already_past_is_today_and_the_reason_says_so():
    due, reason = revisit_due_from(
        last_touch=D(2026, 1, 2), met_count=0, last_met=None, today=D(2026, 2, 10)
    )

    assert due == D(2026, 2, 10)
    assert "after the last touch on 02 Jan" in reason
    assert reason.endswith("16 Jan had passed, so it is due today.")
    assert len(reason) <= 200  # it fits Revisit.reason


def test_revisit_due_from_a_date_past_on_a_saturday_is_due_the_next_school_day():
    due, reason = revisit_due_from(
        last_touch=D(2026, 1, 2), met_count=0, last_met=None, today=D(2026, 2, 14)
    )

    assert due == D(2026, 2, 16)  # Saturday 14 Feb: Monday is the next school day
    assert reason.endswith("16 Jan had passed, so it is due on Mon 16 Feb, the next school day.")


def test_revisit_due_from_a_date_falling_today_is_not_called_past():
    due, reason = revisit_due_from(
        last_touch=D(2026, 1, 27), met_count=0, last_met=None, today=D(2026, 2, 10)
    )

    assert due == D(2026, 2, 10)
    assert "had passed" not in reason


# --- Weekends, holidays, term breaks ------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_touch", "met_count", "last_met", "due"),
    [
        pytest.param(D(2026, 2, 6), 0, None, D(2026, 2, 20), id="Fri + 10: two weeks, Fri"),
        pytest.param(D(2026, 2, 7), 0, None, D(2026, 2, 20), id="Sat + 10: the weekend is 0"),
        pytest.param(D(2026, 2, 8), 0, None, D(2026, 2, 20), id="Sun + 10"),
        pytest.param(D(2026, 1, 31), 1, True, D(2026, 2, 20), id="Sat Jan 31 + 15"),
        pytest.param(D(2026, 1, 31), 2, True, D(2026, 2, 27), id="Sat Jan 31 + 20"),
        pytest.param(D(2028, 1, 31), 2, True, D(2028, 2, 28), id="Jan 31 + 20, leap year"),
        pytest.param(D(2028, 2, 29), 1, True, D(2028, 3, 21), id="Feb 29 2028 + 15"),
        pytest.param(D(2026, 12, 18), 0, None, D(2027, 1, 1), id="Dec 18 + 10, next year"),
    ],
)
def test_revisit_due_from_on_weekdays_across_weekends_month_and_year_ends(
    last_touch, met_count, last_met, due
):
    got, _ = revisit_due_from(
        last_touch=last_touch, met_count=met_count, last_met=last_met, today=last_touch
    )

    assert got == due
    assert got.isoweekday() <= 5


def test_revisit_due_from_a_one_day_holiday_pushes_the_date_by_one_school_day():
    """Mon Feb 2 + 10 school days is Mon Feb 16, Presidents' Day: Tue Feb 17."""
    holiday = SchoolDays(closures=((D(2026, 2, 16), D(2026, 2, 16), "Presidents' Day"),))

    due, _ = revisit_due_from(
        last_touch=D(2026, 2, 2),
        met_count=0,
        last_met=None,
        today=D(2026, 2, 2),
        school_days=holiday,
    )

    assert due == D(2026, 2, 17)


def test_revisit_due_from_a_term_break_stretches_the_window_instead_of_eating_it():
    """Mon Mar 23 + 10 school days: Apr 6 without a break; with the spring break (Mar 30 to
    Apr 10) 4 school days before it and 6 after: Apr 20."""
    spring = SchoolDays(closures=((D(2026, 3, 30), D(2026, 4, 10), "Spring break"),))

    plain, _ = revisit_due_from(
        last_touch=D(2026, 3, 23), met_count=0, last_met=None, today=D(2026, 3, 23)
    )
    stretched, _ = revisit_due_from(
        last_touch=D(2026, 3, 23),
        met_count=0,
        last_met=None,
        today=D(2026, 3, 23),
        school_days=spring,
    )

    assert plain == D(2026, 4, 6)
    assert stretched == D(2026, 4, 20)
    assert spring.count(D(2026, 3, 23), stretched) == REVISIT_DAYS_NOT_MET


def test_revisit_window_is_10_to_20_school_days_and_says_so():
    window = revisit_window(
        last_touch=D(2026, 12, 7), today=D(2026, 12, 7), school_days=SchoolDays()
    )

    assert (window.first, window.last) == (D(2026, 12, 21), D(2027, 1, 4))
    assert window.text == (
        "between Mon 21 Dec and Mon 04 Jan: 10 to 20 school days after the last touch on Mon 07 Dec"
    )
    assert window.contains(D(2026, 12, 28)) and not window.contains(D(2026, 12, 26))


def test_revisit_window_already_past_is_today():
    window = revisit_window(
        last_touch=D(2026, 1, 5), today=D(2026, 3, 10), school_days=SchoolDays()
    )

    assert (window.first, window.last) == (D(2026, 3, 10), D(2026, 3, 10))
    assert window.text.startswith("on Tue 10 Mar: that window has passed")


@pytest.mark.parametrize(
    ("debriefs", "due"),
    [
        pytest.param([], D(2026, 2, 13), id="new move"),
        pytest.param([True], D(2026, 2, 20), id="met once"),
        pytest.param([True, True], D(2026, 2, 27), id="met twice"),
        pytest.param([True, True, False], D(2026, 2, 13), id="met twice then not"),
        pytest.param([True, None], D(2026, 2, 13), id="met then unclear"),
    ],
)
def test_revisit_job_on_the_last_day_of_january(debriefs, due):
    """The last touch is a debrief (or the first visit) on Sat Jan 31, school time: the school
    days are counted from the Monday after."""
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
    """Travelling to Fri Feb 20: the Jan 31 touch + 10 school days (Feb 13) has passed, so it
    is due Feb 20."""
    cycle = _cycle(opened_on=D(2026, 1, 31))

    with time_machine.travel(datetime.datetime(2026, 2, 20, 17, tzinfo=UTC), tick=False):
        run = revisits_schedule_due()

    assert run.scheduled == 1
    revisit = _scheduled(cycle)
    assert revisit.due_on == D(2026, 2, 20)
    assert revisit.reason.endswith("13 Feb had passed, so it is due today.")


def test_revisit_job_over_new_year_counts_school_days():
    cycle = _cycle(opened_on=D(2026, 12, 1))
    _debriefed(cycle, datetime.datetime(2026, 12, 20, 16, tzinfo=UTC), True)

    with time_machine.travel(datetime.datetime(2026, 12, 24, 9, tzinfo=UTC), tick=False):
        revisits_schedule_due()

    assert _scheduled(cycle).due_on == D(2027, 1, 8)  # Sun Dec 20 + 15 school days


def test_revisit_job_across_the_winter_break_of_the_teachers_school():
    """A debrief on Fri Dec 18, then the winter break (Dec 21 to Jan 1): the job, run during
    the break (time-machine), counts 10 school days from Jan 4: Fri Jan 15, not Jan 1 (a day
    of the break) as weekdays alone would say."""
    school = f.SchoolFactory()
    _closed(school, D(2026, 12, 21), D(2027, 1, 1), "Winter break")
    cycle = _cycle(school, opened_on=D(2026, 12, 1))
    _debriefed(cycle, datetime.datetime(2026, 12, 18, 16, tzinfo=UTC), False)
    other = _cycle(opened_on=D(2026, 12, 1))  # another school, no break
    _debriefed(other, datetime.datetime(2026, 12, 18, 16, tzinfo=UTC), False)

    with time_machine.travel(datetime.datetime(2026, 12, 23, 15, tzinfo=UTC), tick=False):
        revisits_schedule_due()

    assert _scheduled(cycle).due_on == D(2027, 1, 15)
    assert _scheduled(other).due_on == D(2027, 1, 1)


def test_revisit_job_never_proposes_a_non_school_day():
    """Every date the job proposes, over 50 days of last touches at a school with a holiday
    and a break, is a school day of that school."""
    school = f.SchoolFactory()
    _closed(school, D(2026, 2, 16), D(2026, 2, 16), "Presidents' Day")
    _closed(school, D(2026, 3, 30), D(2026, 4, 10), "Spring break")
    cycles = [
        _cycle(school, opened_on=D(2026, 2, 1) + datetime.timedelta(days=n)) for n in range(50)
    ]

    revisits_schedule_due(now=datetime.datetime(2026, 2, 1, 12, tzinfo=UTC))

    calendar = school_days_for(school=school)
    dues = [_scheduled(c).due_on for c in cycles]
    assert all(calendar.is_school_day(d) for d in dues)
    assert D(2026, 2, 17) in dues and D(2026, 4, 13) in dues  # right after each closure


# --- Clock changes (America/New_York: spring forward 2026-03-08, fall back 2026-11-01) --------


@pytest.mark.parametrize(
    ("held_local", "now_utc", "last_touch", "due"),
    [
        pytest.param(
            datetime.datetime(2026, 3, 7, 23, 30),
            datetime.datetime(2026, 3, 8, 6, 30, tzinfo=UTC),  # 01:30 EST, before the change
            D(2026, 3, 7),
            D(2026, 3, 20),
            id="23:30 the night before spring forward, run at 01:30 EST",
        ),
        pytest.param(
            datetime.datetime(2026, 3, 7, 23, 30),
            datetime.datetime(2026, 3, 8, 7, 30, tzinfo=UTC),  # 03:30 EDT, after the change
            D(2026, 3, 7),
            D(2026, 3, 20),
            id="23:30 the night before spring forward, run at 03:30 EDT",
        ),
        pytest.param(
            datetime.datetime(2026, 3, 8, 23, 30),  # EDT: 03:30 UTC on Mar 9
            datetime.datetime(2026, 3, 9, 4, 0, tzinfo=UTC),  # 00:00 EDT on Mar 9
            D(2026, 3, 8),
            D(2026, 3, 20),
            id="23:30 on spring-forward day",
        ),
        pytest.param(
            datetime.datetime(2026, 10, 31, 23, 30),  # EDT: 03:30 UTC on Nov 1
            datetime.datetime(2026, 11, 1, 5, 30, tzinfo=UTC),  # 01:30 EDT, first time
            D(2026, 10, 31),
            D(2026, 11, 13),
            id="23:30 the night before fall back, run at the first 01:30",
        ),
        pytest.param(
            datetime.datetime(2026, 10, 31, 23, 30),
            datetime.datetime(2026, 11, 1, 6, 30, tzinfo=UTC),  # 01:30 EST, second time
            D(2026, 10, 31),
            D(2026, 11, 13),
            id="23:30 the night before fall back, run at the second 01:30",
        ),
        pytest.param(
            datetime.datetime(2026, 11, 1, 23, 30),  # EST: 04:30 UTC on Nov 2
            datetime.datetime(2026, 11, 2, 5, 0, tzinfo=UTC),  # 00:00 EST on Nov 2
            D(2026, 11, 1),
            D(2026, 11, 13),
            id="23:30 on fall-back day",
        ),
    ],
)
def test_revisit_job_across_a_clock_change_counts_from_the_local_date(
    held_local, now_utc, last_touch, due
):
    """The session's UTC date is the day after its local date: the rule counts from the local
    date, in school days, whichever side of the change the job runs on."""
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
    """A school that teaches every day of the week (Feb 1 is a Sunday)."""
    school = f.SchoolFactory(time_zone=zone, school_weekdays="1234567")
    cycle = _cycle(school, opened_on=D(2026, 1, 2))  # + 10 school days = Jan 12, long past
    assert AUCKLAND_RUN.astimezone(zoneinfo.ZoneInfo(zone)).date() == D(2026, 2, 1)

    revisits_schedule_due(now=AUCKLAND_RUN)

    revisit = _scheduled(cycle)
    assert revisit.due_on == D(2026, 2, 1)  # the school's today; UTC's is Jan 31
    assert revisit.reason.endswith("12 Jan had passed, so it is due today.")


def test_revisit_job_for_a_school_behind_utc_keeps_its_own_today():
    """The same instant in New York is still Jan 31 (18:30): a past date becomes Jan 31 (a
    school that teaches every day; for one that does not, see the Saturday test above)."""
    school = f.SchoolFactory(time_zone="America/New_York", school_weekdays="1234567")
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


def test_revisit_job_records_a_revisit_overdue_over_10_school_days_as_missed_and_reschedules():
    """On Mon Mar 2: Fri Feb 13 is 11 school days ago (missed), Mon Feb 16 is 10 (still
    scheduled)."""
    assert REVISIT_MISSED_AFTER_DAYS == 10
    school = f.SchoolFactory()
    late = _cycle(school, opened_on=D(2026, 1, 2))
    overdue = f.RevisitFactory(cycle=late, due_on=D(2026, 2, 13))
    within = _cycle(school, opened_on=D(2026, 1, 2))
    recent = f.RevisitFactory(cycle=within, due_on=D(2026, 2, 16))

    run = revisits_schedule_due(now=RUN)

    assert run == RevisitRun(scheduled=1, missed=1)
    overdue.refresh_from_db()
    recent.refresh_from_db()
    assert overdue.status == RevisitStatus.MISSED
    assert recent.status == RevisitStatus.SCHEDULED and recent.due_on == D(2026, 2, 16)
    replacement = _scheduled(late)
    assert replacement.pk != overdue.pk
    assert replacement.due_on == D(2026, 3, 2)  # due today at the school
    assert revisits_schedule_due(now=RUN) == RevisitRun(scheduled=0, missed=0)


def test_revisit_job_does_not_count_a_break_as_missing_a_revisit():
    """The same Feb 13 revisit at a school whose mid-winter break is Feb 16 to 20: only 6
    school days have passed by Mar 2, so it is still scheduled."""
    school = f.SchoolFactory()
    _closed(school, D(2026, 2, 16), D(2026, 2, 20), "Mid-winter break")
    cycle = _cycle(school, opened_on=D(2026, 1, 2))
    overdue = f.RevisitFactory(cycle=cycle, due_on=D(2026, 2, 13))

    assert revisits_schedule_due(now=RUN) == RevisitRun(scheduled=0, missed=0)
    overdue.refresh_from_db()
    assert overdue.status == RevisitStatus.SCHEDULED


def test_revisits_needed_takes_two_queries_whatever_the_number_of_cycles_and_schools(
    django_assert_num_queries,
):
    school = f.SchoolFactory()
    _closed(school, D(2026, 2, 16), D(2026, 2, 16), "Presidents' Day")
    _cycle(school, opened_on=D(2026, 2, 2))
    with django_assert_num_queries(2):
        one = revisits_needed(now=RUN)
    for _ in range(3):
        other = f.SchoolFactory()
        _closed(other, D(2026, 3, 30), D(2026, 4, 10), "Spring break")
        for day in (2, 3):
            _cycle(other, opened_on=D(2026, 2, day))

    with django_assert_num_queries(2):
        many = revisits_needed(now=RUN)

    assert len(one) == 1 and len(many) == 7
    assert one[0].due_on == D(2026, 3, 2)  # Feb 2 + 10 = Feb 16, a holiday, passed: today


# --- The coach moves a revisit -----------------------------------------------------------------

TODAY = D(2026, 3, 10)


@pytest.fixture
def revisit():
    """A cycle last touched on Thu Mar 5 (a visit), its revisit due Thu Mar 19 by the rule: the
    window is Thu Mar 19 to Thu Apr 2 (10 to 20 school days after)."""
    cycle = _cycle(opened_on=D(2026, 2, 20))
    f.ObservationFactory(cycle=cycle, started_at=datetime.datetime(2026, 3, 5, 15, tzinfo=UTC))
    return f.RevisitFactory(cycle=cycle, due_on=D(2026, 3, 19), reason="By the rule.")


def test_revisit_reschedule_within_the_window_needs_no_reason(revisit):
    moved = revisit_reschedule(revisit=revisit, due_on=D(2026, 3, 24), today=TODAY)

    stored = Revisit.objects.get(pk=revisit.pk)
    assert (stored.due_on, stored.status) == (D(2026, 3, 24), RevisitStatus.SCHEDULED)
    assert stored.reason == moved.reason == "Moved by the coach on 10 Mar."
    assert stored.off_rule_reason == ""


def test_revisit_reschedule_to_the_first_and_last_days_of_the_window(revisit):
    revisit_reschedule(revisit=revisit, due_on=D(2026, 3, 19), today=TODAY)
    assert Revisit.objects.get(pk=revisit.pk).due_on == D(2026, 3, 19)

    revisit_reschedule(revisit=revisit, due_on=D(2026, 4, 2), today=TODAY)  # + 20 school days
    assert Revisit.objects.get(pk=revisit.pk).due_on == D(2026, 4, 2)


@pytest.mark.parametrize(
    "day",
    [D(2026, 3, 12), TODAY, D(2026, 4, 3)],
    ids=["two days out", "today", "the day after the window"],
)
def test_revisit_reschedule_outside_the_window_without_a_reason_is_refused(revisit, day):
    with pytest.raises(ValidationError) as excinfo:
        revisit_reschedule(revisit=revisit, due_on=day, today=TODAY)

    assert list(excinfo.value.message_dict) == ["off_rule_reason"]
    assert excinfo.value.message_dict["off_rule_reason"] == [
        f"{day:%a %d %b} is outside the revisit window (between Thu 19 Mar and Thu 02 Apr: 10 "
        "to 20 school days after the last touch on Thu 05 Mar). Say why this date, or pick a "
        "day in the window."
    ]
    assert Revisit.objects.get(pk=revisit.pk).due_on == D(2026, 3, 19)


def test_revisit_reschedule_outside_the_window_with_a_reason_is_kept_with_it(revisit):
    revisit_reschedule(
        revisit=revisit,
        due_on=D(2026, 3, 12),
        today=TODAY,
        off_rule_reason="  The teacher is on a course from Mar 16.  ",
    )

    stored = Revisit.objects.get(pk=revisit.pk)
    assert stored.due_on == D(2026, 3, 12)
    assert stored.off_rule_reason == "The teacher is on a course from Mar 16."

    revisit_reschedule(revisit=revisit, due_on=D(2026, 3, 20), today=TODAY, off_rule_reason="x")
    assert Revisit.objects.get(pk=revisit.pk).off_rule_reason == ""  # back in the window


def test_revisit_reschedule_to_a_holiday_is_refused_naming_it_and_the_nearest_school_days(
    revisit,
):
    _closed(revisit.cycle.teacher.school, D(2026, 3, 27), D(2026, 3, 27), "Teacher work day")

    with pytest.raises(ValidationError) as excinfo:
        revisit_reschedule(revisit=revisit, due_on=D(2026, 3, 27), today=TODAY, off_rule_reason="x")

    assert excinfo.value.message_dict == {
        "due_on": [
            "Fri 27 Mar is not a school day (Teacher work day): the nearest school days are "
            "Thu 26 Mar and Mon 30 Mar."
        ]
    }
    assert Revisit.objects.get(pk=revisit.pk).due_on == D(2026, 3, 19)


def test_revisit_reschedule_to_a_weekend_is_refused(revisit):
    with pytest.raises(ValidationError) as excinfo:
        revisit_reschedule(revisit=revisit, due_on=D(2026, 3, 21), today=TODAY)

    assert excinfo.value.message_dict["due_on"] == [
        "Sat 21 Mar is not a school day (a weekend): the nearest school days are Fri 20 Mar "
        "and Mon 23 Mar."
    ]


def test_revisit_reschedule_across_a_term_break_stretches_the_window(revisit):
    """The spring break (Mar 23 to Apr 3) stretches the window: Apr 2 is in the break and the
    window ends 20 school days after Mar 5, on Apr 16."""
    _closed(revisit.cycle.teacher.school, D(2026, 3, 23), D(2026, 4, 3), "Spring break")

    with pytest.raises(ValidationError) as excinfo:
        revisit_reschedule(revisit=revisit, due_on=D(2026, 4, 2), today=TODAY)
    assert "Spring break" in excinfo.value.message_dict["due_on"][0]

    revisit_reschedule(revisit=revisit, due_on=D(2026, 4, 16), today=TODAY)
    stored = Revisit.objects.get(pk=revisit.pk)
    assert (stored.due_on, stored.off_rule_reason) == (D(2026, 4, 16), "")


def test_revisit_reschedule_to_a_past_day_is_refused_on_due_on(revisit):
    with pytest.raises(ValidationError) as excinfo:
        revisit_reschedule(revisit=revisit, due_on=D(2026, 3, 9), today=TODAY)

    assert excinfo.value.message_dict == {"due_on": ["Pick today or a later day."]}
    assert Revisit.objects.get(pk=revisit.pk).due_on == D(2026, 3, 19)


def test_revisit_reschedule_of_a_revisit_past_its_window_allows_today_without_a_reason():
    cycle = _cycle(opened_on=D(2026, 1, 20))  # last touch Jan 20: + 20 school days, passed
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
        revisit_reschedule(revisit=revisit, due_on=D(2026, 3, 24), today=TODAY)

    assert excinfo.value.messages == ["Only a scheduled revisit can be moved."]
    assert Revisit.objects.get(pk=revisit.pk).due_on == D(2026, 3, 19)
