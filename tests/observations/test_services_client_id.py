"""Entries from the live-observation page carry a client id, so a resend stores them once."""

import uuid

import pytest
from django.core.exceptions import ValidationError

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
