"""`seed_demo` in a demo district that already coaches against another framework: the sample
framework is loaded inactive and nothing is tagged with its components (which the active
framework's checks would refuse)."""

from io import StringIO

import pytest
from django.core.management import call_command

from demo import data as demo
from frameworks.models import Framework
from observations.models import StudentEvidence
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_seeding_a_district_with_another_active_framework_loads_the_sample_inactive():
    district = f.DistrictFactory(slug=demo.DISTRICT.slug, name=demo.DISTRICT.name)
    theirs = f.FrameworkFactory(district=district, name="Their own rubric", is_active=True)
    call_command("seed_demo", stdout=StringIO())
    sample = Framework.objects.get(district=district, name=demo.FRAMEWORK_NAME)
    assert not sample.is_active
    assert Framework.objects.get(district=district, is_active=True) == theirs
    assert StudentEvidence.objects.exists()
    assert not StudentEvidence.objects.filter(components__isnull=False).exists()
    assert not sample.domains.filter(components__moves__isnull=False).exists()
