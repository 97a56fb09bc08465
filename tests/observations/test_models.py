"""Rules on classroom evidence, held by the database itself (``full_clean`` bypassed)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from observations.models import EngagementSample, Observation, Phase, StudentEvidence
from tests.factories import (
    CoachingCycleFactory,
    EngagementSampleFactory,
    ObservationFactory,
    StudentEvidenceFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def observation(db):
    return ObservationFactory(cycle=CoachingCycleFactory())


def _sweep(observation, **counts):
    return EngagementSample.objects.create(
        observation=observation, phase=Phase.BEFORE_MOVE, **counts
    )


# --- Engagement samples ----------------------------------------------------------------------


def test_engaged_count_above_present_count_is_refused_by_the_database(observation):
    with pytest.raises(IntegrityError), transaction.atomic():
        _sweep(observation, engaged_count=26, present_count=25)
    assert not EngagementSample.objects.filter(observation=observation).exists()


def test_engaged_count_equal_to_present_count_is_accepted(observation):
    _sweep(observation, engaged_count=25, present_count=25)
    assert EngagementSample.objects.filter(observation=observation).count() == 1


def test_raising_engaged_count_above_present_count_by_update_is_refused(observation):
    sample = _sweep(observation, engaged_count=20, present_count=25)
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementSample.objects.filter(pk=sample.pk).update(engaged_count=30)
    EngagementSample.objects.filter(pk=sample.pk).update(engaged_count=25)
    sample.refresh_from_db()
    assert sample.engaged_count == 25


def test_present_count_of_zero_is_refused_by_the_database(observation):
    with pytest.raises(IntegrityError), transaction.atomic():
        _sweep(observation, engaged_count=0, present_count=0)


def test_present_count_of_one_is_accepted(observation):
    sample = _sweep(observation, engaged_count=0, present_count=1)
    assert sample.share == 0


def test_engagement_phase_outside_the_choices_is_refused_by_the_database(observation):
    sample = _sweep(observation, engaged_count=1, present_count=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementSample.objects.filter(pk=sample.pk).update(phase="during")
    EngagementSample.objects.filter(pk=sample.pk).update(phase=Phase.AFTER_MOVE)


def test_engagement_validation_puts_the_error_on_engaged_count(observation):
    sample = EngagementSample(
        observation=observation, phase=Phase.AFTER_MOVE, engaged_count=30, present_count=25
    )
    with pytest.raises(ValidationError) as excinfo:
        sample.full_clean()
    assert excinfo.value.message_dict == {
        "engaged_count": ["Engaged students cannot outnumber the students present."]
    }
    sample.engaged_count = 25
    sample.full_clean()


def test_engagement_share_is_engaged_over_present():
    assert EngagementSampleFactory(engaged_count=20, present_count=25).share == 0.8


# --- Student evidence ------------------------------------------------------------------------


def test_evidence_kind_outside_the_choices_is_refused_by_the_database(observation):
    evidence = StudentEvidenceFactory(observation=observation)
    with pytest.raises(IntegrityError), transaction.atomic():
        StudentEvidence.objects.filter(pk=evidence.pk).update(kind="felt")
    StudentEvidence.objects.filter(pk=evidence.pk).update(kind="understood")


# --- Observations ----------------------------------------------------------------------------


def test_observation_without_any_time_is_refused_by_the_database():
    teacher, observer = TeacherFactory(), UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(teacher=teacher, observer=observer)
    Observation.objects.create(teacher=teacher, observer=observer, scheduled_for=timezone.now())
    assert Observation.objects.filter(teacher=teacher).count() == 1


def test_observation_ending_before_it_started_is_refused_by_the_database(observation):
    started = observation.started_at
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.filter(pk=observation.pk).update(
            ended_at=started - datetime.timedelta(minutes=1)
        )
    Observation.objects.filter(pk=observation.pk).update(ended_at=started)


def test_observation_ending_without_having_started_is_refused_by_the_database():
    observation = ObservationFactory(started_at=None, scheduled_for=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.filter(pk=observation.pk).update(ended_at=timezone.now())


def test_observation_validation_refuses_a_cycle_of_another_teacher(observation):
    other_cycle = CoachingCycleFactory()
    candidate = Observation(
        teacher=observation.teacher,
        observer=observation.observer,
        started_at=timezone.now(),
        cycle=other_cycle,
    )
    with pytest.raises(ValidationError) as excinfo:
        candidate.full_clean()
    assert excinfo.value.message_dict == {"cycle": ["This cycle belongs to another teacher."]}
    candidate.cycle = observation.cycle
    candidate.full_clean()


def test_observation_is_done_once_started():
    planned = ObservationFactory(started_at=None, scheduled_for=timezone.now())
    assert not planned.is_done
    assert ObservationFactory().is_done


def test_observation_factory_follows_its_cycle(observation):
    assert observation.teacher == observation.cycle.teacher
    assert observation.observer == observation.cycle.coach
    observation.full_clean()
