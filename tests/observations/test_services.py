"""Writes of classroom evidence: saved entry by entry, refused cleanly when wrong."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from observations.models import (
    EngagementSample,
    EvidenceKind,
    Observation,
    ObservationNote,
    Phase,
    StudentEvidence,
)
from observations.services import (
    observation_add_evidence,
    observation_add_note,
    observation_add_sweep,
    observation_finish,
    observation_schedule,
    observation_start,
)
from tests.factories import CoachingCycleFactory, ObservationFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2025, 3, 3, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def cycle(db):
    return CoachingCycleFactory()


@pytest.fixture
def observation(cycle):
    return ObservationFactory(cycle=cycle, started_at=NOON)


# --- Scheduling, starting, finishing ---------------------------------------------------------


def test_observation_schedule_creates_a_planned_visit_in_the_cycle(cycle):
    observation = observation_schedule(
        teacher=cycle.teacher,
        observer=cycle.coach,
        scheduled_for=NOON,
        cycle_id=cycle.pk,
        focus="Boards up",
    )
    observation.refresh_from_db()
    assert (observation.cycle, observation.scheduled_for, observation.focus) == (
        cycle,
        NOON,
        "Boards up",
    )
    assert not observation.is_done


def test_observation_schedule_refuses_a_cycle_of_another_teacher_and_saves_nothing(cycle):
    other = CoachingCycleFactory()
    with pytest.raises(ValidationError) as excinfo:
        observation_schedule(
            teacher=cycle.teacher, observer=cycle.coach, scheduled_for=NOON, cycle_id=other.pk
        )
    assert excinfo.value.message_dict == {"cycle": ["This cycle belongs to another teacher."]}
    assert not Observation.objects.exists()


def test_observation_start_sets_the_start_once(cycle):
    planned = observation_schedule(teacher=cycle.teacher, observer=cycle.coach, scheduled_for=NOON)
    observation_start(observation=planned, started_at=NOON)
    observation_start(observation=planned, started_at=NOON + datetime.timedelta(hours=1))
    planned.refresh_from_db()
    assert planned.started_at == NOON


def test_observation_finish_sets_the_end(observation):
    observation_finish(observation=observation, ended_at=NOON + datetime.timedelta(minutes=40))
    observation.refresh_from_db()
    assert observation.ended_at == NOON + datetime.timedelta(minutes=40)


def test_observation_finish_before_the_start_is_refused_and_not_saved(observation):
    with pytest.raises(ValidationError) as excinfo:
        observation_finish(observation=observation, ended_at=NOON - datetime.timedelta(minutes=1))
    assert "A visit cannot end before it started." in excinfo.value.messages
    observation.refresh_from_db()
    assert observation.ended_at is None


# --- Notes, sweeps, evidence -----------------------------------------------------------------


def test_observation_add_note_saves_the_note(observation):
    note = observation_add_note(observation=observation, text="Boards up after 8 s.", noted_at=NOON)
    assert list(observation.notes.values_list("id", "text")) == [(note.pk, "Boards up after 8 s.")]


def test_observation_add_note_refuses_an_empty_note(observation):
    with pytest.raises(ValidationError) as excinfo:
        observation_add_note(observation=observation, text="")
    assert "text" in excinfo.value.message_dict
    assert not ObservationNote.objects.exists()


def test_observation_add_sweep_records_engaged_out_of_present(observation):
    sample = observation_add_sweep(
        observation=observation, phase=Phase.AFTER_MOVE, engaged_count=20, present_count=25
    )
    sample.refresh_from_db()
    assert (sample.phase, sample.engaged_count, sample.present_count) == ("after_move", 20, 25)
    assert sample.share == 0.8


def test_observation_add_sweep_refuses_more_engaged_than_present_on_engaged_count(observation):
    with pytest.raises(ValidationError) as excinfo:
        observation_add_sweep(
            observation=observation, phase=Phase.AFTER_MOVE, engaged_count=30, present_count=25
        )
    assert excinfo.value.message_dict == {
        "engaged_count": ["Engaged students cannot outnumber the students present."]
    }
    assert not EngagementSample.objects.exists()


def test_observation_add_sweep_refuses_nobody_present_on_present_count(observation):
    with pytest.raises(ValidationError) as excinfo:
        observation_add_sweep(
            observation=observation, phase=Phase.BEFORE_MOVE, engaged_count=0, present_count=0
        )
    assert "present_count" in excinfo.value.message_dict
    assert not EngagementSample.objects.exists()


def test_observation_add_sweep_refuses_an_unknown_phase_on_phase(observation):
    with pytest.raises(ValidationError) as excinfo:
        observation_add_sweep(
            observation=observation, phase="during", engaged_count=3, present_count=5
        )
    assert "phase" in excinfo.value.message_dict
    assert not EngagementSample.objects.exists()


def test_observation_add_evidence_saves_what_students_produced(observation):
    evidence = observation_add_evidence(
        observation=observation, kind=EvidenceKind.PRODUCED, description="Correct number line."
    )
    assert list(observation.student_evidence.all()) == [evidence]
    assert evidence.noted_at <= timezone.now()


def test_observation_add_evidence_refuses_an_unknown_kind_on_kind(observation):
    with pytest.raises(ValidationError) as excinfo:
        observation_add_evidence(observation=observation, kind="felt", description="Bored.")
    assert "kind" in excinfo.value.message_dict
    assert not StudentEvidence.objects.exists()
