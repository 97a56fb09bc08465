"""The live observation page's optional component select: the district's active framework's
components are offered; a tag from elsewhere comes back as a field error (400), not a 500, on
a fresh entry; an entry the page queued (with its client id) is saved without that tag."""

import uuid

import pytest
from django.urls import reverse

from observations.models import StudentEvidence
from tests import factories as f

pytestmark = pytest.mark.django_db

JSON_HEADERS = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


@pytest.fixture
def coach(client, school_world):
    client.force_login(school_world.coach1)
    return client


@pytest.fixture
def component(school_world):
    return f.ComponentFactory(
        domain__framework__district=school_world.district, code="1a", name="Routines"
    )


def _post(coach, observation, components, *, client_id="", **headers):
    data = {
        "type": "evidence",
        "client_id": client_id,
        "kind": "said",
        "description": "“Equal parts.”",
        "components": components,
    }
    return coach.post(reverse("observation_entry", args=[observation.pk]), data, **headers)


def test_the_live_page_offers_the_active_frameworks_components(coach, school_world, component):
    page = coach.get(reverse("observation_live", args=[school_world.o1a.pk]))
    assert 'name="components"' in page.text and "1a Routines" in page.text


def test_an_entry_with_a_component_is_saved_tagged(coach, school_world, component):
    response = _post(
        coach, school_world.o1a, str(component.pk), client_id=str(uuid.uuid4()), **JSON_HEADERS
    )
    assert response.status_code == 201
    evidence = StudentEvidence.objects.get(pk=response.json()["id"])
    assert list(evidence.components.all()) == [component]


BAD_COMPONENTS = ["other-district", "inactive framework", "999999", "abc"]


def _bad_component(school_world, value: str) -> str:
    if value == "other-district":
        return str(f.ComponentFactory(domain__framework__district=school_world.other_district).pk)
    if value == "inactive framework":  # e.g. the district switched frameworks since
        return str(
            f.ComponentFactory(
                domain__framework__district=school_world.district,
                domain__framework__is_active=False,
            ).pk
        )
    return value


@pytest.mark.parametrize("value", BAD_COMPONENTS)
def test_a_component_from_elsewhere_is_a_field_error(coach, school_world, component, value):
    value = _bad_component(school_world, value)
    before = StudentEvidence.objects.count()
    response = _post(coach, school_world.o1a, value, **JSON_HEADERS)
    assert response.status_code == 400
    assert "components" in response.json()["errors"]
    assert StudentEvidence.objects.count() == before


@pytest.mark.parametrize("value", BAD_COMPONENTS)
def test_a_queued_entry_with_a_component_no_longer_valid_is_saved_without_it(
    coach, school_world, component, value
):
    """Made offline, sent after the framework changed: the evidence is never lost for a tag."""
    value = _bad_component(school_world, value)
    client_id = uuid.uuid4()
    response = _post(coach, school_world.o1a, value, client_id=str(client_id), **JSON_HEADERS)
    assert response.status_code == 201
    evidence = StudentEvidence.objects.get(client_id=client_id)
    assert evidence.description == "“Equal parts.”"
    assert not evidence.components.exists()


def test_without_javascript_a_bad_component_shows_the_error_on_the_page(
    coach, school_world, component
):
    response = _post(coach, school_world.o1a, "999999")
    assert response.status_code == 200
    assert "Pick a component of your district" in response.text
