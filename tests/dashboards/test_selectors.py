"""Dashboard figures on a small hand-made world whose every answer is worked out by hand.

School A (New York) has coach Ann (4 teachers, 10 hours a month) and coach Ben (2 teachers,
the default hours); school B (same district) has coach Cara. The period is June 2025; today is
30 June 2025. Week ends of the cadence series: 2, 9, 16, 23 and 30 June.

Ann
  T1  open, active, delivery. Visit 10 June (engagement 10/20 -> 15/20: +25 points), a visit
      11 June with before-move sweeps only (left out), session held 20 June, revisit due
      25 June still scheduled (overdue).
  T2  open, planned, planning. Visit 20 May (5/20 -> 20/20, before the period).
  T3  closed mastered 15 June, delivery. Visit 12 June (5/25 -> 15/25: +40 points), revisit
      done 14 June. Ann logged 120 min (10 May, direct) + 60 min (14 June, observation).
  T4  closed progressing 20 June, planning: 90 min (18 June, preparation). Closed not yet
      10 April, delivery: 270 min (5 April, direct). Never touched.
  Ann's other time in June: 150 min admin (25 June), 100 min direct coaching (26 June).
Ben
  T5  open, debriefed, progress monitoring; session held 28 June; revisit due 5 July.
  T6  closed not yet 10 June, planning, no time logged. Never touched.
  Ben's time in June: 90 min direct coaching (5 June), 10 min documentation (6 June).
"""

import dataclasses
import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from coaching.models import CycleState, NeedArea, Outcome, Revisit, RevisitStatus, TimeCategory
from coaching.selectors import engagement_change
from dashboards.selectors import (
    DASHBOARD_LISTS,
    SCHOOL_DASHBOARD_QUERIES,
    Capacity,
    CoachFigures,
    DashboardFilters,
    DashboardRow,
    capacity_for,
    dashboard_filters,
    dashboard_list,
    dashboard_plot_data,
    dashboard_summary,
    district_dashboard,
    school_dashboard,
)
from observations.models import Phase
from teachers.models import NonSchoolDay, Role
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 30)
JUNE = DashboardFilters(period_start=datetime.date(2025, 6, 1), period_end=TODAY)
NY = zoneinfo.ZoneInfo("America/New_York")
NOTE = "CONFIDENTIAL coaching note text"


def day(month: int, d: int) -> datetime.date:
    return datetime.date(2025, month, d)


def at(month: int, d: int) -> datetime.datetime:
    return datetime.datetime(2025, month, d, 12, tzinfo=NY)


def _teacher(school, coach, last_name):
    teacher = f.TeacherFactory(school=school, last_name=last_name, first_name="T")
    f.CaseloadAssignmentFactory(coach=coach, teacher=teacher, started_on=day(1, 1))
    return teacher


def _cycle(teacher, coach, need_area, opened, *, state=CycleState.PLANNED, outcome="", closed=None):
    return f.CoachingCycleFactory(
        teacher=teacher,
        coach=coach,
        assessment__need_area=need_area,
        opened_on=opened,
        state=state,
        outcome=outcome,
        closed_on=closed,
    )


def _visit(cycle, when, before=None, after=None):
    observation = f.ObservationFactory(cycle=cycle, started_at=when)
    f.ObservationNoteFactory(observation=observation, text=NOTE)
    for phase, counts in ((Phase.BEFORE_MOVE, before), (Phase.AFTER_MOVE, after)):
        if counts:
            f.EngagementSampleFactory(
                observation=observation,
                phase=phase,
                engaged_count=counts[0],
                present_count=counts[1],
            )
    return observation


@dataclasses.dataclass
class World:
    school_a: object
    school_b: object
    principal_a: object
    principal_b: object
    leader: object
    ann: object
    ben: object
    cara: object
    c1: object
    c3: object
    c4: object


@pytest.fixture
def world() -> World:
    district = f.DistrictFactory()
    school_a = f.SchoolFactory(district=district, name="A School", time_zone="America/New_York")
    school_b = f.SchoolFactory(district=district, name="B School", time_zone="America/New_York")
    principal_a = f.MembershipFactory(role=Role.PRINCIPAL, school=school_a).user
    principal_b = f.MembershipFactory(role=Role.PRINCIPAL, school=school_b).user
    leader = f.MembershipFactory(district_wide=True, district=district).user
    ann = f.UserFactory(first_name="Ann", last_name="Adams")
    ben = f.UserFactory(first_name="Ben", last_name="Brown")
    cara = f.UserFactory(first_name="Cara", last_name="Cole")
    f.MembershipFactory(user=ann, school=school_a, hours_per_month=Decimal("10"))
    f.MembershipFactory(user=ben, school=school_a)
    f.MembershipFactory(user=cara, school=school_b)

    t1, t2, t3, t4 = (_teacher(school_a, ann, n) for n in ("One", "Two", "Three", "Four"))
    c1 = _cycle(t1, ann, NeedArea.DELIVERY, day(5, 20), state=CycleState.ACTIVE)
    _visit(c1, at(6, 10), before=(10, 20), after=(15, 20))
    _visit(c1, at(6, 11), before=(10, 20))
    f.CoachingSessionFactory(cycle=c1, held_at=at(6, 20), notes=NOTE)
    f.RevisitFactory(cycle=c1, due_on=day(6, 25))

    c2 = _cycle(t2, ann, NeedArea.PLANNING, day(5, 15))
    _visit(c2, at(5, 20), before=(5, 20), after=(20, 20))

    closed = {"state": CycleState.CLOSED}
    c3 = _cycle(
        t3, ann, NeedArea.DELIVERY, day(5, 1), outcome=Outcome.MASTERED, closed=day(6, 15), **closed
    )
    _visit(c3, at(6, 12), before=(5, 25), after=(15, 25))
    f.RevisitFactory(
        cycle=c3, due_on=day(6, 14), status=RevisitStatus.DONE, completed_on=day(6, 14)
    )
    f.TimeEntryFactory(coach=ann, cycle=c3, entry_date=day(5, 10), minutes=120)
    f.TimeEntryFactory(
        coach=ann, cycle=c3, entry_date=day(6, 14), minutes=60, category=TimeCategory.OBSERVATION
    )

    c4 = _cycle(
        t4,
        ann,
        NeedArea.PLANNING,
        day(5, 5),
        outcome=Outcome.PROGRESSING,
        closed=day(6, 20),
        **closed,
    )
    f.TimeEntryFactory(
        coach=ann, cycle=c4, entry_date=day(6, 18), minutes=90, category=TimeCategory.PREPARATION
    )
    c4_old = _cycle(
        t4, ann, NeedArea.DELIVERY, day(3, 1), outcome=Outcome.NOT_YET, closed=day(4, 10), **closed
    )
    f.TimeEntryFactory(coach=ann, cycle=c4_old, entry_date=day(4, 5), minutes=270)
    f.TimeEntryFactory(
        coach=ann,
        school=school_a,
        entry_date=day(6, 25),
        minutes=150,
        category=TimeCategory.ADMIN,
    )
    f.TimeEntryFactory(coach=ann, school=school_a, entry_date=day(6, 26), minutes=100)

    t5, t6 = _teacher(school_a, ben, "Five"), _teacher(school_a, ben, "Six")
    c5 = _cycle(t5, ben, NeedArea.PROGRESS_MONITORING, day(6, 1), state=CycleState.DEBRIEFED)
    f.CoachingSessionFactory(cycle=c5, held_at=at(6, 28))
    f.RevisitFactory(cycle=c5, due_on=day(7, 5))
    _cycle(
        t6, ben, NeedArea.PLANNING, day(6, 1), outcome=Outcome.NOT_YET, closed=day(6, 10), **closed
    )
    f.TimeEntryFactory(coach=ben, school=school_a, entry_date=day(6, 5), minutes=90)
    f.TimeEntryFactory(
        coach=ben,
        school=school_a,
        entry_date=day(6, 6),
        minutes=10,
        category=TimeCategory.DOCUMENTATION,
    )

    tb = _teacher(school_b, cara, "Bee")
    cb = _cycle(
        tb, cara, NeedArea.DELIVERY, day(5, 1), outcome=Outcome.MASTERED, closed=day(6, 5), **closed
    )
    _visit(cb, at(6, 3), before=(10, 20), after=(20, 20))
    f.TimeEntryFactory(coach=cara, cycle=cb, entry_date=day(6, 3), minutes=30)
    return World(school_a, school_b, principal_a, principal_b, leader, ann, ben, cara, c1, c3, c4)


def _coaches(user, filters=JUNE):
    (school,) = school_dashboard(user=user, filters=filters, today=TODAY)
    return school, {c.coach.first_name: c for c in school.coaches}


# --- Per-coach figures ---------------------------------------------------------------------------


def test_caseload_cycles_and_outcomes_per_coach(world):
    school, by = _coaches(world.principal_a)
    ann, ben = by["Ann"], by["Ben"]

    assert school.school == world.school_a
    assert [c.coach for c in school.coaches] == [world.ann, world.ben]  # by last name
    assert (ann.caseload, ann.open_cycles, ann.active_cycles) == (4, 2, 1)  # T1 active, T2 planned
    assert (ben.caseload, ben.open_cycles, ben.active_cycles) == (2, 1, 0)  # T5 debriefed
    # closed in June: T3 mastered, T4 progressing; T4's April cycle is outside the period
    assert ann.closed == {Outcome.MASTERED: 1, Outcome.PROGRESSING: 1}
    assert (ann.closed_total, ann.moves_mastered, ann.progressed_share) == (2, 1, 1.0)
    assert ben.closed == {Outcome.NOT_YET: 1}
    assert (ben.moves_mastered, ben.progressed_share) == (0, 0.0)  # 0 of 1 progressed
    assert ann.closed_by_outcome == [("Mastered", 1), ("Progressing", 1)]
    # the school's states count every cycle ever: T3, T4 (twice) and T6 are closed
    assert school.states == {"planned": 1, "active": 1, "debriefed": 1, "closed": 4}


def test_need_area_mix_counts_open_cycles(world):
    _, by = _coaches(world.principal_a)

    assert by["Ann"].need_areas == {"delivery": 1, "planning": 1}  # T1, T2
    assert by["Ann"].need_area_mix == [
        ("planning", "Planning", 1),
        ("delivery", "Delivery", 1),
        ("progress_monitoring", "Progress monitoring", 0),
    ]
    assert by["Ben"].need_areas == {"progress_monitoring": 1}  # T5


def test_overdue_revisits_are_scheduled_ones_due_before_today(world):
    school, by = _coaches(world.principal_a)

    assert by["Ann"].overdue_revisits == 1  # T1 due 25 June; T3's revisit is done
    assert by["Ben"].overdue_revisits == 0  # T5 due 5 July
    assert school.overdue_revisits == 1


def test_cadence_kept_is_the_share_of_the_caseload_touched_in_the_last_28_days(world):
    _, by = _coaches(world.principal_a)

    # 28 days up to 30 June = from 2 June. Ann: T1 (session 20 June), T3 (revisit 14 June) of
    # 4; T2's last touch, 20 May, is too old; T4 never touched.
    assert (by["Ann"].cadence_touched, by["Ann"].cadence_caseload) == (2, 4)
    assert by["Ann"].cadence_kept == 0.5
    assert by["Ann"].cadence_pct == 50
    assert by["Ben"].cadence_kept == 0.5  # T5 (session 28 June) of 2


def test_cadence_per_week_looks_back_28_days_from_each_week_end(world):
    school, by = _coaches(world.principal_a)

    assert school.weeks == [day(6, 2), day(6, 9), day(6, 16), day(6, 23), day(6, 30)]
    # 2 June: T2 (20 May, 13 days). 9 June: T2 (20 days). 16 June: T1 (10 June), T2 (27 days),
    # T3 (14 June). 23 June: T1, T3 (T2 at 34 days is out). 30 June: T1, T3.
    assert by["Ann"].cadence_weekly == [0.25, 0.25, 0.75, 0.5, 0.5]
    # Ben: T5 touched on 28 June only
    assert by["Ben"].cadence_weekly == [0.0, 0.0, 0.0, 0.0, 0.5]


def test_engagement_change_is_the_mean_per_observation_in_the_period(world):
    _, by = _coaches(world.principal_a)

    # T1 10 June: 15/20 - 10/20 = +25 points; T3 12 June: 15/25 - 5/25 = +40 points.
    # T1 11 June has no after-move sweep; T2 20 May is before the period. (25 + 40) / 2 = 32.5
    assert by["Ann"].engagement_observations == 2
    assert by["Ann"].engagement_change == pytest.approx(32.5)
    assert by["Ben"].engagement_change is None


def test_direct_share_and_its_status_against_the_60_to_80_target(world):
    _, by = _coaches(world.principal_a)
    ann, ben = by["Ann"], by["Ben"]

    # Ann in June: observation 60 + preparation 90 + admin 150 + direct 100 = 400; direct 160
    assert ann.minutes_by_category == {
        "observation": 60,
        "preparation": 90,
        "admin": 150,
        "direct_coaching": 100,
    }
    assert (ann.minutes_total, ann.minutes_direct) == (400, 160)
    assert (ann.direct_pct, ann.direct_status) == (40, "below")
    # Ben: 90 direct of 100 = 90%
    assert (ben.direct_pct, ben.direct_status) == (90, "above")


def test_direct_status_within_the_band_includes_its_ends():
    within = [
        dataclasses.replace(_blank(), minutes_total=100, minutes_direct=n) for n in (60, 70, 80)
    ]
    assert [c.direct_status for c in within] == ["within"] * 3
    assert _blank().direct_status is None


def _blank():
    return CoachFigures(coach=None)


def test_minutes_per_completed_cycle_counts_cycles_closed_in_the_period_with_time(world):
    _, by = _coaches(world.principal_a)

    # T3: 120 + 60 = 180 (all its minutes, logged whenever); T4: 90. (180 + 90) / 2 = 135
    assert (by["Ann"].completed_cycle_minutes, by["Ann"].completed_cycles_timed) == (270, 2)
    assert by["Ann"].minutes_per_completed_cycle == 135
    # Ben's T6 closed in June with no time logged: no figure rather than 0 minutes a cycle
    assert by["Ben"].minutes_per_completed_cycle is None


def test_school_totals_sum_the_coaches(world):
    school, _ = _coaches(world.principal_a)
    totals = school.totals

    assert totals.coach is None
    assert (totals.caseload, totals.open_cycles, totals.closed_total) == (6, 3, 3)
    assert totals.cadence_kept == 0.5  # (2 + 1) of (4 + 2)
    assert totals.cadence_weekly == [1 / 6, 1 / 6, 3 / 6, 2 / 6, 3 / 6]
    assert (totals.minutes_total, totals.minutes_direct) == (500, 250)  # 400 + 100; 160 + 90
    assert totals.engagement_change == pytest.approx(32.5)


# --- Capacity ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("hours", "needed"), [(2, 20), (3, 30)])
def test_capacity_of_ten_teachers_monthly_at_two_to_three_hours_a_cycle(hours, needed):
    capacity = capacity_for(teachers=10, school_cycle_hours=hours)

    # 10 teachers x hours per cycle x 1 cycle a month
    assert capacity.hours_needed == needed
    assert (capacity.hours_per_cycle_source, capacity.cycles_per_month) == ("school", 1.0)
    assert (capacity.hours_available, capacity.hours_available_source) == (60.0, "default")
    assert not capacity.overloaded


def test_capacity_uses_the_coachs_own_hours_from_three_completed_cycles():
    own = capacity_for(teachers=10, school_cycle_hours=2.5, own_minutes=540, own_cycles=3)
    too_few = capacity_for(teachers=10, school_cycle_hours=2.5, own_minutes=360, own_cycles=2)

    assert (own.hours_per_cycle, own.hours_per_cycle_source, own.hours_needed) == (3.0, "own", 30)
    assert (too_few.hours_per_cycle, too_few.hours_per_cycle_source) == (2.5, "school")
    assert too_few.hours_needed == 25  # 10 x 2.5 x 1


def test_capacity_flags_a_coach_needing_more_hours_than_available():
    assert Capacity(
        teachers=10, hours_per_cycle=3, cycles_per_month=1, hours_available=29
    ).overloaded
    assert not Capacity(
        teachers=10, hours_per_cycle=3, cycles_per_month=1, hours_available=30
    ).overloaded


def test_capacity_per_coach_on_the_dashboard(world):
    school, by = _coaches(world.principal_a)
    ann, ben = by["Ann"].capacity, by["Ben"].capacity

    # Ann closed 3 cycles with time in the last 180 days: 180 + 90 + 270 = 540 min / 3 = 3 h;
    # 4 teachers x 3 h x 1 = 12 h against her 10 h: overloaded
    assert (ann.hours_per_cycle, ann.hours_per_cycle_source, ann.own_cycles) == (3.0, "own", 3)
    assert (ann.hours_needed, ann.hours_available, ann.hours_available_source) == (12, 10, "coach")
    assert ann.overloaded
    # Ben: no timed cycle, so the school default 2.5 h: 2 x 2.5 = 5 h of the default 60 h
    assert (ben.hours_per_cycle, ben.hours_needed, ben.hours_available) == (2.5, 5, 60)
    assert not ben.overloaded
    assert [c.coach for c in school.overloaded_coaches] == [world.ann]
    assert (school.hours_needed, school.hours_available) == (17, 70)


# --- School dates: each school's own time zone, and a long period ------------------------------

UTC = datetime.UTC


def _zoned_schools(*zones):
    """A district whose schools (one per zone, in order) each have a coach; and its leader."""
    district = f.DistrictFactory()
    leader = f.MembershipFactory(district_wide=True, district=district).user
    schools = []
    for i, zone in enumerate(zones):
        school = f.SchoolFactory(district=district, name=f"{i} {zone}", time_zone=zone)
        coach = f.UserFactory(first_name=f"Coach{i}")
        f.MembershipFactory(user=coach, school=school)
        schools.append((school, coach))
    return leader, schools


def _open_cycle(school, coach, name):
    return _cycle(_teacher(school, coach, name), coach, NeedArea.DELIVERY, day(1, 2))


def _figures(leader, filters):
    figures = school_dashboard(user=leader, filters=filters, today=filters.period_end)
    return [school.coaches[0] for school in figures]


def test_cadence_takes_touches_on_the_date_of_the_teachers_school(db):
    leader, schools = _zoned_schools("America/Los_Angeles", "Asia/Tokyo")
    # 03:00 UTC on 2 June is the evening of 1 June in Los Angeles and noon on 2 June in Tokyo.
    moment = datetime.datetime(2025, 6, 2, 3, tzinfo=UTC)
    for school, coach in schools:
        f.CoachingSessionFactory(cycle=_open_cycle(school, coach, "Session"), held_at=moment)
        f.ObservationFactory(cycle=_open_cycle(school, coach, "Visit"), started_at=moment)

    los_angeles, tokyo = _figures(leader, JUNE)

    # The window of the week ending 30 June starts on 2 June: 1 June is out, 2 June is in.
    assert los_angeles.cadence_weekly == [1.0, 1.0, 1.0, 1.0, 0.0]
    assert (los_angeles.cadence_touched, los_angeles.cadence_caseload) == (0, 2)
    assert tokyo.cadence_weekly == [1.0, 1.0, 1.0, 1.0, 1.0]
    assert (tokyo.cadence_touched, tokyo.cadence_caseload) == (2, 2)


def test_engagement_counts_visits_on_the_period_dates_of_their_school(db):
    leader, schools = _zoned_schools("America/Los_Angeles", "Asia/Tokyo")
    for school, coach in schools:
        cycle = _open_cycle(school, coach, "Visited")
        # 31 May 22:00 in Los Angeles, 1 June 14:00 in Tokyo: +50 points
        _visit(cycle, datetime.datetime(2025, 6, 1, 5, tzinfo=UTC), (5, 20), (15, 20))
        # 30 June 20:00 in Los Angeles, 1 July 12:00 in Tokyo: +25 points
        _visit(cycle, datetime.datetime(2025, 7, 1, 3, tzinfo=UTC), (10, 20), (15, 20))

    los_angeles, tokyo = _figures(leader, JUNE)

    assert (los_angeles.engagement_observations, los_angeles.engagement_change) == (1, 25)
    assert (tokyo.engagement_observations, tokyo.engagement_change) == (1, 50)


@pytest.mark.parametrize(
    ("before", "after", "points"),
    [
        ((197, 500), (393, 500), 40),  # 39.4% -> 78.6% shows 39% -> 79%: +40, not +39.2
        ((1, 8), (5, 8), 50),  # 12.5% -> 62.5% shows 12% -> 62% (an exact half to even)
        ((33, 200), (1, 3), 17),  # 16.5% -> 33.3% shows 16% -> 33%
    ],
)
def test_the_engagement_change_of_a_visit_is_the_difference_its_pages_show(
    db, before, after, points
):
    leader, [(school, coach)] = _zoned_schools("America/New_York")
    cycle = _open_cycle(school, coach, "Rounded")
    visit = _visit(cycle, datetime.datetime(2025, 6, 10, 15, tzinfo=UTC), before, after)

    (figures,) = _figures(leader, JUNE)

    assert engagement_change(visit.engagement_samples.all()).change_points == points
    assert (figures.engagement_observations, figures.engagement_change) == (1, points)


def test_a_period_starting_on_a_day_whose_midnight_is_skipped_starts_at_the_gap(db):
    # Havana springs forward from 00:00 to 01:00 on 9 March 2025 (05:00 UTC).
    leader, [(school, coach)] = _zoned_schools("America/Havana")
    cycle = _open_cycle(school, coach, "Gap")
    _visit(cycle, datetime.datetime(2025, 3, 9, 4, 30, tzinfo=UTC), (5, 20), (15, 20))  # 8 March
    _visit(cycle, datetime.datetime(2025, 3, 9, 5, 30, tzinfo=UTC), (10, 20), (15, 20))  # 9 March
    march = DashboardFilters(period_start=day(3, 9), period_end=day(3, 31))

    (havana,) = _figures(leader, march)

    assert (havana.engagement_observations, havana.engagement_change) == (1, 25)


def test_cadence_over_half_a_year_looks_back_28_days_from_every_week_end(db):
    leader, [(school, coach)] = _zoned_schools("America/New_York")
    cycle = _open_cycle(school, coach, "Long")
    half_year = DashboardFilters(period_start=day(1, 1), period_end=TODAY)
    # 190, 126, 63 and 62 days before 30 June (the series looks back 7 x 25 + 28 = 203 days)
    f.ObservationFactory(cycle=cycle, started_at=datetime.datetime(2024, 12, 22, 12, tzinfo=NY))
    f.RevisitFactory(
        cycle=cycle, due_on=day(2, 24), status=RevisitStatus.DONE, completed_on=day(2, 24)
    )
    f.CoachingSessionFactory(cycle=cycle, held_at=at(4, 28))
    f.CoachingSessionFactory(cycle=cycle, held_at=at(4, 29))

    (figures,) = school_dashboard(user=leader, filters=half_year, today=TODAY)
    (coach_figures,) = figures.coaches

    assert len(figures.weeks) == 26  # 6 January to 30 June
    weekly = zip(figures.weeks, coach_figures.cadence_weekly, strict=True)
    touched = [week_end for week_end, share in weekly if share]
    # 22 Dec: weeks ending 6 and 13 Jan (not 20 Jan: 29 days). 24 Feb: 24 Feb to 24 March.
    # 28 April: 28 April to 26 May (exactly 28 days); 29 April adds nothing new.
    assert touched == [
        day(1, 6),
        day(1, 13),
        day(2, 24),
        day(3, 3),
        day(3, 10),
        day(3, 17),
        day(3, 24),
        day(4, 28),
        day(5, 5),
        day(5, 12),
        day(5, 19),
        day(5, 26),
    ]
    assert (coach_figures.cadence_touched, coach_figures.cadence_caseload) == (0, 1)


# --- Filters -------------------------------------------------------------------------------------


def test_need_area_filter_narrows_what_counts_cycles_only(world):
    delivery = dataclasses.replace(JUNE, need_area=NeedArea.DELIVERY)
    _, by = _coaches(world.principal_a, delivery)
    ann, ben = by["Ann"], by["Ben"]

    assert (ann.open_cycles, ann.need_areas) == (1, {"delivery": 1})  # T1 only
    assert ann.closed == {Outcome.MASTERED: 1}  # T3; T4 was planning
    assert ann.overdue_revisits == 1  # T1 is delivery
    assert ann.minutes_per_completed_cycle == 180  # T3 alone
    assert (ben.open_cycles, ben.closed) == (0, {})
    # teachers and time are not narrowed
    assert (ann.caseload, ann.cadence_kept, ann.minutes_total) == (4, 0.5, 400)


def test_period_filter_moves_closed_cycles_time_and_cadence(world):
    april = DashboardFilters(period_start=day(4, 1), period_end=day(4, 30))
    school, by = _coaches(world.principal_a, april)
    ann = by["Ann"]

    assert ann.closed == {Outcome.NOT_YET: 1}  # T4's April cycle
    assert ann.minutes_per_completed_cycle == 270
    assert (ann.minutes_total, ann.minutes_direct) == (270, 270)  # 5 April
    assert ann.cadence_kept == 0.0  # no touch from 2 to 30 April
    assert ann.engagement_change is None
    assert len(school.weeks) == 5  # 2, 9, 16, 23, 30 April


def test_coach_filter_keeps_one_coach(world):
    school, by = _coaches(world.principal_a, dataclasses.replace(JUNE, coach_id=world.ben.pk))

    assert list(by) == ["Ben"]
    assert school.states == {"planned": 0, "active": 0, "debriefed": 1, "closed": 1}


def test_filters_default_to_the_last_90_days_and_read_a_query_string(world):
    default = DashboardFilters.default(today=TODAY)
    parsed = dashboard_filters(
        user=world.principal_a,
        params={"start": "2025-06-01", "end": "2025-06-30", "coach": str(world.ann.pk)},
        today=TODAY,
    )
    bad = dashboard_filters(
        user=world.principal_a,
        params={"start": "nonsense", "coach": "x", "need_area": "gossip"},
        today=TODAY,
    )

    assert (default.period_start, default.period_end, default.days) == (day(4, 2), TODAY, 90)
    assert parsed == dataclasses.replace(JUNE, coach_id=world.ann.pk)
    assert bad == DashboardFilters.default(today=TODAY)


def test_filters_refuse_a_period_ending_before_it_starts_and_unknown_need_areas():
    with pytest.raises(ValueError):
        DashboardFilters(period_start=TODAY, period_end=day(6, 1))
    with pytest.raises(ValueError):
        DashboardFilters(period_start=day(6, 1), period_end=TODAY, need_area="gossip")


def test_period_days_shortcut_still_works_for_the_digest(world):
    (school,) = school_dashboard(user=world.principal_a, period_days=7, today=TODAY)

    assert (school.filters.period_start, school.filters.period_end) == (day(6, 24), TODAY)
    ann = next(c for c in school.coaches if c.coach == world.ann)
    assert ann.closed == {}  # T3 and T4 closed before 24 June


# --- District view -------------------------------------------------------------------------------


def test_district_view_sets_schools_side_by_side_with_a_point_per_coach(world):
    district = district_dashboard(user=world.leader, filters=JUNE, today=TODAY)

    assert [s.school for s in district.schools] == [world.school_a, world.school_b]
    assert [s.totals.caseload for s in district.schools] == [6, 1]
    points = {p.coach: p for p in district.points}
    assert set(points) == {"Ann Adams", "Ben Brown", "Cara Cole"}
    ann = points["Ann Adams"]
    assert (ann.caseload, ann.closed, ann.progressed_share, ann.cadence_kept) == (4, 2, 1.0, 0.5)
    assert points["Ben Brown"].progressed_share == 0.0
    assert points["Cara Cole"].progressed_share == 1.0  # 1 mastered of 1
    # caseload (4, 2, 1) against progressed (1, 0, 1): x mean 7/3, y mean 2/3;
    # sxy = 5/3*1/3 + (-1/3)(-2/3) + (-4/3)*1/3 = 1/3; sxx = 42/9; syy = 6/9
    assert district.caseload_outcome_correlation == pytest.approx((1 / 3) / (42 / 9 * 6 / 9) ** 0.5)


def test_district_view_gives_a_principal_their_own_school_only(world):
    district = district_dashboard(user=world.principal_b, filters=JUNE, today=TODAY)

    assert [s.school for s in district.schools] == [world.school_b]
    assert [p.coach for p in district.points] == ["Cara Cole"]


def test_plot_data_is_plain_json(world):
    import json

    schools = school_dashboard(user=world.principal_a, filters=JUNE, today=TODAY)
    data = json.loads(json.dumps(dashboard_plot_data(schools=schools)))

    assert data["weeks"] == ["2025-06-02", "2025-06-09", "2025-06-16", "2025-06-23", "2025-06-30"]
    assert data["week_labels"] == ["2 Jun", "9 Jun", "16 Jun", "23 Jun", "30 Jun"]
    ann = next(r for r in data["cadence"] if r["coach"] == "Ann Adams")
    assert ann["pct"] == [25, 25, 75, 50, 50]
    total = next(r for r in data["time"] if r["coach_id"] is None)
    assert sum(total["minutes"]) == 500
    need = next(r for r in data["need_area_mix"] if r["coach"] == "Ann Adams")
    assert need["open_cycles"] == [1, 1, 0]  # planning, delivery, progress monitoring
    eng = next(r for r in data["engagement"] if r["coach"] == "Ann Adams")
    assert (eng["change_points"], eng["observations"]) == (32.5, 2)
    assert data["direct_target_pct"] == [60, 80]


# --- The lists behind the figures ----------------------------------------------------------------


def _names(rows):
    return [r.teacher for r in rows]


def test_lists_behind_the_figures_match_the_figures(world):
    def rows(figure, filters=JUNE):
        return dashboard_list(
            user=world.principal_a,
            school_id=world.school_a.id,
            figure=figure,
            filters=filters,
            today=TODAY,
        )

    assert _names(rows("caseload")) == ["T Five", "T Four", "T One", "T Six", "T Three", "T Two"]
    assert _names(rows("off_cadence")) == ["T Four", "T Six", "T Two"]
    assert _names(rows("open_cycles")) == ["T Five", "T One", "T Two"]
    assert _names(rows("active_cycles")) == ["T One"]
    assert _names(rows("closed")) == ["T Four", "T Six", "T Three"]
    assert _names(rows("mastered")) == ["T Three"]
    (overdue,) = rows("overdue_revisits")
    assert (overdue.teacher, overdue.revisit_due_on) == ("T One", day(6, 25))
    ann_only = dataclasses.replace(JUNE, coach_id=world.ann.pk, need_area=NeedArea.PLANNING)
    assert _names(rows("open_cycles", ann_only)) == ["T Two"]
    one = next(r for r in rows("caseload") if r.teacher == "T One")
    assert (one.state, one.need_area, one.last_touch) == ("active", "delivery", day(6, 20))


def test_lists_flag_only_cycles_the_teacher_shared_as_readable(world):
    world.c3.shared_with_principal = True
    world.c3.save()

    closed = dashboard_list(
        user=world.principal_a,
        school_id=world.school_a.id,
        figure="closed",
        filters=JUNE,
        today=TODAY,
    )

    assert {r.teacher: r.may_read for r in closed} == {
        "T Three": True,
        "T Four": False,
        "T Six": False,
    }


# --- Confidentiality -----------------------------------------------------------------------------


def test_a_principal_sees_nothing_of_another_school(world):
    schools = school_dashboard(user=world.principal_a, filters=JUNE, today=TODAY)
    district = district_dashboard(user=world.principal_a, filters=JUNE, today=TODAY)
    plots = dashboard_plot_data(schools=schools)

    assert [s.school for s in schools] == [world.school_a]
    assert world.cara not in {c.coach for s in schools for c in s.coaches}
    assert [s.school for s in district.schools] == [world.school_a]
    assert "Cara Cole" not in {p.coach for p in district.points}
    assert {r["school_id"] for r in plots["cadence"]} == {world.school_a.id}
    for figure in DASHBOARD_LISTS:
        with pytest.raises(Http404):
            dashboard_list(
                user=world.principal_a,
                school_id=world.school_b.id,
                figure=figure,
                filters=JUNE,
                today=TODAY,
            )


def test_a_coach_or_teacher_leads_no_dashboard(world):
    assert school_dashboard(user=world.ann, filters=JUNE, today=TODAY) == []
    with pytest.raises(Http404):
        dashboard_list(
            user=world.ann,
            school_id=world.school_a.id,
            figure="caseload",
            filters=JUNE,
            today=TODAY,
        )


def test_lists_carry_process_fields_never_content(world):
    fields = {f.name for f in dataclasses.fields(DashboardRow)}
    rows = [
        row
        for figure in DASHBOARD_LISTS
        for row in dashboard_list(
            user=world.principal_a,
            school_id=world.school_a.id,
            figure=figure,
            filters=JUNE,
            today=TODAY,
        )
    ]

    assert not fields & {"notes", "evidence", "rationale", "script", "reflection", "next_step"}
    assert rows and all(NOTE not in repr(row) for row in rows)


# --- Queries: the same whatever the size ---------------------------------------------------------


def _grow(school, coaches: int, teachers_each: int) -> None:
    """Coaches with caseloads, open and closed cycles, visits with sweeps, touches and time."""
    for _ in range(coaches):
        coach = f.UserFactory()
        f.MembershipFactory(user=coach, school=school)
        for i in range(teachers_each):
            teacher = _teacher(school, coach, f"Grow{i}")
            old = _cycle(
                teacher,
                coach,
                NeedArea.DELIVERY,
                day(4, 1),
                state=CycleState.CLOSED,
                outcome=Outcome.MASTERED,
                closed=day(6, 1 + i),
            )
            f.TimeEntryFactory(coach=coach, cycle=old, entry_date=day(6, 1), minutes=100)
            cycle = _cycle(teacher, coach, NeedArea.PLANNING, day(6, 2), state=CycleState.ACTIVE)
            _visit(cycle, at(6, 3 + i), before=(5, 20), after=(10, 20))
            f.CoachingSessionFactory(cycle=cycle, held_at=at(6, 4 + i))
            f.RevisitFactory(cycle=cycle, due_on=day(6, 20))
    # A holiday per growth: the calendars are read in one query whatever their size.
    NonSchoolDay.objects.create(
        school=school, starts_on=day(3, coaches), ends_on=day(3, coaches), name="Holiday"
    )


def _count(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_dashboards_run_the_same_queries_for_a_small_and_a_larger_district(world):
    calls = {
        "school": lambda: school_dashboard(user=world.leader, filters=JUNE, today=TODAY),
        "district": lambda: district_dashboard(user=world.leader, filters=JUNE, today=TODAY),
        "caseload": lambda: dashboard_list(
            user=world.leader,
            school_id=world.school_a.id,
            figure="off_cadence",
            filters=JUNE,
            today=TODAY,
        ),
        "cycles": lambda: dashboard_list(
            user=world.leader,
            school_id=world.school_a.id,
            figure="overdue_revisits",
            filters=JUNE,
            today=TODAY,
        ),
    }
    _grow(world.school_a, coaches=2, teachers_each=3)  # 2 more coaches, 6 more teachers
    small = {name: _count(call) for name, call in calls.items()}
    _grow(world.school_a, coaches=2, teachers_each=7)
    _grow(world.school_b, coaches=2, teachers_each=7)  # now 4 + 2 coaches more, 34 teachers
    large = {name: _count(call) for name, call in calls.items()}

    assert small == large
    assert small["school"] == small["district"] == SCHOOL_DASHBOARD_QUERIES
    figures = school_dashboard(user=world.leader, filters=JUNE, today=TODAY)
    assert sum(len(s.coaches) for s in figures) == 9


def test_ten_teachers_at_the_school_default_of_two_hours_need_20_hours(db):
    school = f.SchoolFactory(default_cycle_hours=Decimal("2.0"))
    principal = f.MembershipFactory(role=Role.PRINCIPAL, school=school).user
    coach = f.UserFactory()
    f.MembershipFactory(user=coach, school=school, hours_per_month=Decimal("19.5"))
    for i in range(10):
        _teacher(school, coach, f"T{i}")

    (figures,) = school_dashboard(user=principal, filters=JUNE, today=TODAY)
    (coach_figures,) = figures.coaches

    assert coach_figures.capacity.hours_needed == 20  # 10 x 2.0 h x 1 a month
    assert coach_figures.capacity.overloaded  # 20 > 19.5


# --- What would make an overloaded caseload fit, and the summary on top -------------------------


def test_capacity_says_by_how_much_a_caseload_is_over_and_what_would_make_it_fit():
    # 9 teachers x 9.8 h a cycle x 1 a month = 88.2 h against 60 h: 28.2 h over.
    capacity = Capacity(teachers=9, hours_per_cycle=9.8, cycles_per_month=1, hours_available=60)
    fitting = Capacity(teachers=6, hours_per_cycle=9.8, cycles_per_month=1, hours_available=60)

    assert capacity.hours_over == pytest.approx(28.2)
    assert capacity.teachers_fewer_to_fit == 3  # 6 x 9.8 = 58.8 h fits; 7 x 9.8 = 68.6 does not
    assert capacity.hours_more_to_fit == 29  # whole hours: 88.2 needs 89 - 60 = 29 more
    assert capacity.hours_per_cycle_to_fit == 6.6  # 60 / 9 = 6.67 h, down to a tenth
    assert capacity.minutes_per_cycle_to_fit == 396
    assert (fitting.hours_over, fitting.teachers_fewer_to_fit, fitting.hours_more_to_fit) == (
        0,
        0,
        0,
    )


def test_summary_names_the_overloaded_coach_with_how_much_and_what_would_fit(world):
    summary = dashboard_summary(
        schools=school_dashboard(user=world.principal_a, filters=JUNE, today=TODAY)
    )

    # Ann: 4 teachers x 3 h (her own average) = 12 h against her 10 h; Ben: 5 h of 60 h.
    (ann,) = summary.overloaded
    assert (ann.coach, ann.needed_minutes, ann.available_minutes, ann.over_minutes) == (
        "Ann Adams",
        12 * 60,
        10 * 60,
        2 * 60,
    )
    assert (ann.teachers_fewer, ann.more_minutes) == (1, 2 * 60)  # 3 teachers x 3 h = 9 h
    assert (ann.cycle_minutes, ann.cycle_minutes_to_fit) == (180, 150)  # 10 h / 4 = 2.5 h
    assert [(o.coach, o.n) for o in summary.below_direct] == [("Ann Adams", 40)]
    assert not summary.several_schools and not summary.all_clear


def test_summary_counts_overdue_revisits_with_the_oldest_in_school_days(world):
    # Ben's revisit for T5 due Friday 13 June: 16-20, 23-27 and 30 June since.
    Revisit.objects.filter(cycle__teacher__last_name="Five").update(due_on=day(6, 13))

    summary = dashboard_summary(
        schools=school_dashboard(user=world.principal_a, filters=JUNE, today=TODAY)
    )

    assert summary.overdue_revisits == 2
    assert summary.overdue_oldest_school_days == 11
    assert [(o.coach, o.n) for o in summary.overdue_by_coach] == [
        ("Ann Adams", 1),
        ("Ben Brown", 1),
    ]
    # Cadence: T1, T3 of Ann's 4 and T5 of Ben's 2, in the 20 school days from 2 June.
    assert (summary.cadence_touched, summary.cadence_caseload) == (3, 6)
    assert summary.cadence_since == day(6, 2)


# --- A school calendar: a break is not neglect ---------------------------------------------------


def _winter_break(school):
    """Two weeks off: Monday 22 December 2025 to Friday 2 January 2026."""
    NonSchoolDay.objects.create(
        school=school,
        starts_on=datetime.date(2025, 12, 22),
        ends_on=datetime.date(2026, 1, 2),
        name="Winter break",
    )


@pytest.mark.parametrize(("has_break", "kept"), [(True, 1), (False, 0)])
def test_cadence_counts_school_days_so_a_two_week_break_is_not_missed(db, has_break, kept):
    leader, [(school, coach)] = _zoned_schools("America/New_York")
    cycle = _open_cycle(school, coach, "Before the break")
    f.CoachingSessionFactory(cycle=cycle, held_at=datetime.datetime(2025, 12, 8, 12, tzinfo=NY))
    if has_break:
        _winter_break(school)
    # 14 January: 37 days after 8 December; 17 school days with the break, 27 without it.
    today = datetime.date(2026, 1, 14)
    period = DashboardFilters(period_start=datetime.date(2025, 12, 1), period_end=today)

    (coach_figures,) = _figures(leader, period)
    off = dashboard_list(
        user=leader, school_id=school.id, figure="off_cadence", filters=period, today=today
    )

    assert (coach_figures.cadence_touched, coach_figures.cadence_caseload) == (kept, 1)
    assert len(off) == 1 - kept
    # The week ending 31 December, in the break: seen 8 December, 9 or 17 school days before.
    weeks = school_dashboard(user=leader, filters=period, today=today)[0].weeks
    assert coach_figures.cadence_weekly[weeks.index(datetime.date(2025, 12, 31))] == 1.0


@pytest.mark.parametrize(
    ("has_break", "today", "overdue"),
    [
        (True, datetime.date(2025, 12, 30), (0, None)),  # in the break: nothing missed yet
        (False, datetime.date(2025, 12, 30), (1, 7)),  # 22-26, 29 and 30 December
        (True, datetime.date(2026, 1, 5), (1, 1)),  # the first school day after it
    ],
)
def test_a_revisit_due_on_the_eve_of_a_break_is_not_overdue_during_it(
    db, has_break, today, overdue
):
    leader, [(school, coach)] = _zoned_schools("America/New_York")
    cycle = _open_cycle(school, coach, "Eve")
    f.RevisitFactory(cycle=cycle, due_on=datetime.date(2025, 12, 19))
    if has_break:
        _winter_break(school)
    period = DashboardFilters(period_start=datetime.date(2025, 12, 1), period_end=today)

    (coach_figures,) = _figures(leader, period)
    rows = dashboard_list(
        user=leader, school_id=school.id, figure="overdue_revisits", filters=period, today=today
    )

    assert (coach_figures.overdue_revisits, coach_figures.overdue_oldest_school_days) == overdue
    assert [r.school_days_overdue for r in rows] == ([overdue[1]] if overdue[0] else [])
