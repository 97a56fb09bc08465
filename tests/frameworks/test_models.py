"""Frameworks' rules: one active framework per district, names, codes and ranks unique."""

import pytest
from django.core.exceptions import ValidationError

from frameworks.models import Component, Framework, PerformanceLevel
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_component_reads_as_its_code_and_name():
    component = f.ComponentFactory(code="1a", name="Creating a respectful environment")
    assert str(component) == "1a Creating a respectful environment"


def test_a_district_has_one_active_framework_at_most():
    active = f.FrameworkFactory(is_active=True)
    second = Framework(district=active.district, name="Another", is_active=True)
    with pytest.raises(ValidationError, match="already has an active framework"):
        second.full_clean()
    Framework(district=active.district, name="Another", is_active=False).full_clean()


def test_a_framework_name_is_unique_in_its_district_only():
    framework = f.FrameworkFactory(name="Rubric")
    with pytest.raises(ValidationError, match="already has a framework with this name"):
        Framework(district=framework.district, name="Rubric").full_clean()
    Framework(district=f.DistrictFactory(), name="Rubric").full_clean()


def test_a_component_code_is_unique_across_the_whole_framework():
    first = f.ComponentFactory(code="1a")
    other_domain = f.DomainFactory(framework=first.domain.framework)
    with pytest.raises(ValidationError) as caught:
        Component(domain=other_domain, code="1a", name="Again").full_clean()
    assert "code" in caught.value.message_dict
    Component(domain=f.DomainFactory(), code="1a", name="Elsewhere").full_clean()


def test_a_level_rank_is_a_positive_number_unique_in_its_framework():
    level = f.PerformanceLevelFactory(rank=1)
    with pytest.raises(ValidationError):
        PerformanceLevel(framework=level.framework, rank=1, name="Again").full_clean()
    with pytest.raises(ValidationError):
        PerformanceLevel(framework=level.framework, rank=0, name="Zero").full_clean()
