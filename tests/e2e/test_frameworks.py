"""A district administrator imports the sample framework on a phone (390 px): the framework's
page shows its domains, components and levels; a broken file is refused with its line and
column next to the field."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from frameworks.models import Framework
from observations.models import StudentEvidence
from teachers.models import Role
from tests.e2e.test_navigation import open_menu_link
from tests.e2e.test_sign_in import sign_in
from tests.factories import (
    ComponentFactory,
    DistrictFactory,
    MembershipFactory,
    ObservationFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

SAMPLE = Path(__file__).resolve().parents[2] / "frameworks" / "sample" / "home_grown_rubric.csv"


def test_administrator_imports_the_sample_framework_on_a_phone(
    transactional_db, page, live_server, tmp_path
):
    district = DistrictFactory(name="Riverside")
    admin = UserFactory(username="district_admin")
    MembershipFactory(user=admin, district=district, school=None, role=Role.ADMINISTRATOR)
    broken = tmp_path / "broken.csv"
    broken.write_bytes(SAMPLE.read_bytes().replace(b",,2\n", b",,3.5\n"))
    page.set_default_timeout(30_000)

    sign_in(page, "district_admin")
    expect(page).to_have_title("Dashboard · Coaching cycles")  # signed in: the landing page
    open_menu_link(page, "Frameworks", group="Administration")
    expect(page).to_have_title("Frameworks · Coaching cycles")

    # A broken file first: refused, the problem by line and column, nothing saved.
    page.get_by_label("Name").fill("Home-grown rubric")
    page.get_by_label("CSV file").set_input_files(str(broken))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("column “rank”: “3.5” is not a rank")).to_be_visible()
    assert not Framework.objects.exists()

    page.get_by_label("Name").fill("Home-grown rubric")
    page.get_by_label("CSV file").set_input_files(str(SAMPLE))
    page.get_by_label("Make it the district's active framework").check()
    page.get_by_role("button", name="Import").click()
    expect(page).to_have_title("Home-grown rubric · Coaching cycles")
    expect(page.get_by_role("heading", name="3 Instruction")).to_be_visible()
    expect(page.get_by_text("Checking for understanding")).to_be_visible()
    expect(page.get_by_text("4. Exemplary")).to_be_visible()
    expect(page.get_by_text("Active", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    framework = Framework.objects.get()
    assert framework.is_active and framework.district == district


def test_coach_tags_live_evidence_with_a_component_on_a_phone(transactional_db, school_world, page):
    w = school_world
    component = ComponentFactory(
        domain__framework__district=w.district, code="3b", name="Checking for understanding"
    )
    visit = ObservationFactory(cycle=w.c1a)
    sign_in(page, "coach1")

    page.goto(f"/observations/{visit.pk}/")
    page.get_by_label("Framework component (optional)").select_option(
        label="3b Checking for understanding"
    )
    page.get_by_label("Quote or description").fill("“Three quarters is more than two thirds.”")
    page.get_by_role("button", name="Understood", exact=True).click()
    saved = page.locator("#entry-list .entry-status").filter(has_text=re.compile(r"^Saved$"))
    expect(saved).to_have_count(1)
    expect(page.get_by_label("Framework component (optional)")).to_have_value("")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    evidence = StudentEvidence.objects.get(description__startswith="“Three quarters")
    assert list(evidence.components.all()) == [component]
