"""Entries from the live-observation page carry a client id, so a resend stores them once."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from observations import services
from observations.models import EngagementSample, ObservationNote, Phase, StudentEvidence
from observations.services import (
    observation_add_evidence,
    observation_add_note,
    observation_add_sweep,
)
from tests.factories import ObservationFactory

pytestmark = pytest.mark.django_db


def test_a_resent_sweep_is_stored_once():
    observation = ObservationFactory()
    client_id = uuid.uuid4()

    first = observation_add_sweep(
        observation=observation,
        phase=Phase.BEFORE_MOVE,
        engaged_count=14,
        present_count=25,
        client_id=client_id,
    )
    again = observation_add_sweep(
        observation=observation,
        phase=Phase.BEFORE_MOVE,
        engaged_count=14,
        present_count=25,
        client_id=client_id,
    )

    assert again.pk == first.pk
    assert EngagementSample.objects.count() == 1


def test_sweeps_with_different_client_ids_are_both_stored():
    observation = ObservationFactory()

    for _ in range(2):
        observation_add_sweep(
            observation=observation,
            phase=Phase.AFTER_MOVE,
            engaged_count=20,
            present_count=25,
            client_id=uuid.uuid4(),
        )

    assert EngagementSample.objects.count() == 2


def test_resent_note_and_evidence_are_stored_once():
    observation = ObservationFactory()
    note_id, evidence_id = uuid.uuid4(), uuid.uuid4()

    for _ in range(2):
        observation_add_note(observation=observation, text="Boards up", client_id=note_id)
        observation_add_evidence(
            observation=observation, kind="said", description="Equal parts", client_id=evidence_id
        )

    assert ObservationNote.objects.count() == 1
    assert StudentEvidence.objects.count() == 1


def test_a_client_id_of_another_observation_is_refused():
    client_id = uuid.uuid4()
    observation_add_note(observation=ObservationFactory(), text="First", client_id=client_id)

    with pytest.raises(ValidationError, match="another observation"):
        observation_add_note(observation=ObservationFactory(), text="Second", client_id=client_id)

    assert ObservationNote.objects.count() == 1


def _add(kind, observation, client_id):
    if kind == "note":
        return observation_add_note(observation=observation, text="Boards up.", client_id=client_id)
    if kind == "sweep":
        return observation_add_sweep(
            observation=observation,
            phase=Phase.BEFORE_MOVE,
            engaged_count=14,
            present_count=25,
            client_id=client_id,
        )
    return observation_add_evidence(
        observation=observation, kind="said", description="It's 3/4.", client_id=client_id
    )


MODELS = {"note": ObservationNote, "sweep": EngagementSample, "evidence": StudentEvidence}


@pytest.mark.parametrize("kind", list(MODELS))
def test_a_resend_racing_the_first_answers_with_the_stored_entry(kind, monkeypatch):
    """Two tabs (or a retry and the first request) send one entry at once: both looked before
    either saved, so the second's insert meets the first's row. It answers with that row (was a
    "conflicts with another" error, and the page marked a saved entry "Not saved")."""
    observation = ObservationFactory()
    client_id = uuid.uuid4()
    first = _add(kind, observation, client_id)
    real = services._already_saved
    looks = []

    def looked_before_the_first_saved(model, observation, client_id):
        looks.append(model)
        return None if len(looks) == 1 else real(model, observation, client_id)

    monkeypatch.setattr(services, "_already_saved", looked_before_the_first_saved)

    again = _add(kind, observation, client_id)

    assert len(looks) == 2  # the race was played: the insert was tried, then the row read
    assert again.pk == first.pk
    assert MODELS[kind].objects.filter(client_id=client_id).count() == 1


def test_a_new_entry_refused_for_its_own_data_is_still_refused():
    """The fallback answers only for a stored entry with the same id, never for bad data."""
    observation = ObservationFactory()

    with pytest.raises(ValidationError):
        observation_add_sweep(
            observation=observation,
            phase=Phase.BEFORE_MOVE,
            engaged_count=30,
            present_count=25,
            client_id=uuid.uuid4(),
        )
    assert not EngagementSample.objects.exists()
