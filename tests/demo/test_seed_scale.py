"""`seed_scale`: one district at the sizes asked for, valid rows, reference teachers for the
benchmarks, upcoming debriefs, and the same data from the same seed."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from coaching.models import (
    OPEN_STATES,
    AgreedMove,
    CoachingCycle,
    CoachingSession,
    CycleState,
    Debrief,
    Outcome,
    SessionKind,
)
from demo.scale_data import (
    FEW_OBSERVATIONS,
    MANY_OBSERVATIONS_MIN,
    scale_reference_teachers,
    upcoming_debriefs,
)
from observations.models import EngagementSample, Observation, StudentEvidence
from teachers.models import CaseloadAssignment, District, Membership, Role, School, Teacher

pytestmark = pytest.mark.django_db
SIZES = {"schools": 2, "coaches": 4, "teachers": 30, "observations": 400}


def _seed(slug: str = "scale", seed: int = 1) -> str:
    out = StringIO()
    call_command("seed_scale", **SIZES, seed=seed, district_slug=slug, no_progress=True, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> District:
    """Seed once for the module; each test runs in a transaction that is rolled back, and the
    tables are emptied after the last one."""
    with django_db_blocker.unblock():
        _seed()
        yield District.objects.get(slug="scale")
        call_command("flush", "--no-input", verbosity=0)


def _snapshot(district: District) -> dict:
    cycles = CoachingCycle.objects.filter(teacher__school__district=district)
    observations = Observation.objects.filter(teacher__school__district=district)
    per_teacher = observations.order_by().values("teacher").annotate(n=Count("id"))
    return {
        "states": Counter(cycles.values_list("state", flat=True)),
        "outcomes": Counter(cycles.values_list("outcome", flat=True)),
        "visits per teacher": sorted(row["n"] for row in per_teacher),
        "sessions": CoachingSession.objects.filter(cycle__in=cycles).count(),
    }


def test_seed_scale_builds_one_district_at_the_sizes_asked_for(seeded):
    schools = School.objects.filter(district=seeded)
    teachers = Teacher.objects.filter(school__district=seeded)
    memberships = Membership.objects.filter(school__district=seeded)

    assert schools.count() == SIZES["schools"]
    assert teachers.count() == SIZES["teachers"]
    assert Observation.objects.filter(teacher__school__district=seeded).count() == 400
    assert memberships.filter(role=Role.PRINCIPAL).count() == SIZES["schools"]
    assert memberships.filter(role=Role.COACH).values("user").distinct().count() == 4
    # Every teacher is on the caseload of a coach of their own school.
    assignments = CaseloadAssignment.objects.filter(teacher__in=teachers, ended_on__isnull=True)
    assert assignments.count() == SIZES["teachers"]
    coach_at_school = {(m.user_id, m.school_id) for m in memberships.filter(role=Role.COACH)}
    assert all((a.coach_id, a.teacher.school_id) in coach_at_school for a in assignments)
    assert len(set(schools.values_list("time_zone", flat=True))) == SIZES["schools"]
    assert len(set(teachers.values_list("disposition", flat=True))) > 1


def test_every_visit_has_one_or_two_sweeps_and_at_most_two_pieces_of_evidence(seeded):
    visits = Observation.objects.filter(teacher__school__district=seeded)
    sweeps = visits.annotate(n=Count("engagement_samples")).aggregate(low=Min("n"), high=Max("n"))
    evidence = StudentEvidence.objects.filter(observation__in=visits)
    per_visit = Counter(evidence.values_list("observation", flat=True))

    assert sweeps == {"low": 1, "high": 2}
    assert max(per_visit.values()) <= 2
    assert not EngagementSample.objects.filter(engaged_count__gt=F("present_count")).exists()
    assert not visits.filter(started_at__isnull=True).exists()
    assert not visits.filter(ended_at__gt=timezone.now()).exists()
    assert not visits.exclude(cycle__teacher=F("teacher")).exists()


def test_reference_teachers_have_three_and_at_least_three_hundred_visits(seeded):
    few, many = scale_reference_teachers(district=seeded)

    assert few is not None and many is not None
    assert few.teacher.observations.count() == FEW_OBSERVATIONS
    assert many.teacher.observations.count() >= MANY_OBSERVATIONS_MIN
    assert few.cycle.state in OPEN_STATES and many.cycle.state in OPEN_STATES
    assert few.session is not None and many.session is not None


def test_upcoming_debriefs_are_one_to_fourteen_days_ahead_in_open_cycles(seeded):
    upcoming = upcoming_debriefs(district=seeded)
    open_cycles = CoachingCycle.objects.filter(
        teacher__school__district=seeded, state__in=OPEN_STATES
    )
    soonest = timezone.now()
    latest = soonest + datetime.timedelta(days=16)

    assert upcoming.count() >= open_cycles.count() // 2
    assert not upcoming.filter(scheduled_for__gt=latest).exists()
    assert max(Counter(upcoming.values_list("cycle", flat=True)).values()) == 1
    assert not CoachingSession.objects.filter(held_at__gt=soonest).exists()


def test_cycles_cover_every_state_with_consistent_dates_and_one_move(seeded):
    cycles = CoachingCycle.objects.filter(teacher__school__district=seeded)
    closed = cycles.filter(state=CycleState.CLOSED)
    held = CoachingSession.objects.filter(cycle__in=cycles, kind=SessionKind.DEBRIEF)

    assert set(cycles.values_list("state", flat=True)) == set(CycleState.values)
    assert set(closed.values_list("outcome", flat=True)) <= set(Outcome.values)
    assert not closed.filter(closed_on__lt=F("opened_on")).exists()
    assert AgreedMove.objects.filter(cycle__in=cycles).count() == cycles.count()
    assert not AgreedMove.objects.exclude(
        move__need_area=F("cycle__assessment__need_area")
    ).exists()
    debriefs = Debrief.objects.filter(session__in=held)
    assert debriefs.count() == held.filter(held_at__isnull=False).count()
    assert set(debriefs.values_list("indicator_met", flat=True)) == {True, False, None}
    assert debriefs.exclude(teacher_reflection="").exists()


def test_seed_scale_refuses_a_district_that_exists(seeded):
    before = _snapshot(seeded)

    with pytest.raises(CommandError, match="already exists"):
        _seed()

    assert _snapshot(seeded) == before


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(seeded):
    _seed(slug="scale-again")
    _seed(slug="scale-other", seed=2)

    again = _snapshot(District.objects.get(slug="scale-again"))
    other = _snapshot(District.objects.get(slug="scale-other"))

    assert again == _snapshot(seeded)
    assert other != again
