"""Tagging student evidence with framework components: only components of the teacher's
district's active framework; anything else is a field error and saves nothing. Tag changes are
kept in the evidence's history."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from observations.models import StudentEvidence
from observations.services import observation_add_evidence, student_evidence_set_components
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def components(school_world):
    """(a component of North's active framework, of North's inactive one, of South's)."""
    w = school_world
    active = f.ComponentFactory(domain__framework__district=w.district, code="1a")
    inactive = f.ComponentFactory(
        domain__framework__district=w.district, domain__framework__is_active=False, code="2a"
    )
    south = f.ComponentFactory(domain__framework__district=w.other_district, code="3a")
    return active, inactive, south


def _add(observation, **kwargs) -> StudentEvidence:
    return observation_add_evidence(
        observation=observation, kind="said", description="“Equal parts.”", **kwargs
    )


def test_evidence_is_tagged_with_a_component_of_the_active_framework(school_world, components):
    active, *_ = components
    evidence = _add(school_world.o1a, components=[active.pk])
    assert list(evidence.components.all()) == [active]


@pytest.mark.parametrize("which", [1, 2], ids=["inactive framework", "another district"])
def test_a_component_from_elsewhere_is_a_field_error_and_nothing_is_saved(
    school_world, components, which
):
    before = StudentEvidence.objects.count()
    with pytest.raises(ValidationError) as caught:
        _add(school_world.o1a, components=[components[which]])
    assert "components" in caught.value.message_dict
    assert StudentEvidence.objects.count() == before


def test_a_queued_entry_whose_component_is_no_longer_active_is_saved_without_it(
    school_world, components, caplog
):
    """Made offline, sent after the district switched frameworks: the evidence is kept, the
    tag that is no longer valid is left out and logged."""
    active, inactive, _ = components
    client_id = uuid.uuid4()
    evidence = _add(school_world.o1a, components=[active, inactive], client_id=client_id)
    assert evidence.client_id == client_id
    assert list(evidence.components.all()) == [active]
    assert f"without components [{inactive.pk}]" in caplog.text


def test_a_resent_entry_is_stored_once_with_its_tags(school_world, components):
    active, *_ = components
    client_id = uuid.uuid4()
    first = _add(school_world.o1a, components=[active], client_id=client_id)
    again = _add(school_world.o1a, components=[active], client_id=client_id)
    assert first.pk == again.pk and list(again.components.all()) == [active]


def test_retagging_is_recorded_in_the_evidence_history(school_world, components):
    active, *_ = components
    evidence = _add(school_world.o1a)
    student_evidence_set_components(evidence=evidence, components=[active])
    latest = evidence.history.latest()
    assert [c.component_id for c in latest.components.all()] == [active.pk]
    student_evidence_set_components(evidence=evidence, components=[])
    assert evidence.history.latest().components.count() == 0
