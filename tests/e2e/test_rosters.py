"""An administrator imports a district's roster in the browser: a dry run whose progress bar
reaches done, then "Apply this import" with the counts, and a malformed bundle's errors by file
and line. The jobs run on the real Celery worker."""

import pytest
from playwright.sync_api import expect

from teachers.models import Role, School
from tests.e2e.test_navigation import open_menu_link
from tests.e2e.test_sign_in import sign_in
from tests.factories import DistrictFactory, MembershipFactory, UserFactory
from tests.rosters.bundles import bundle_files, write_bundle

pytestmark = pytest.mark.e2e


def test_administrator_imports_a_roster_with_progress_and_sees_errors(
    transactional_db, celery_worker, page, live_server, tmp_path
):
    district = DistrictFactory(name="Riverside")
    admin = UserFactory(username="district_admin")
    MembershipFactory(user=admin, district=district, school=None, role=Role.ADMINISTRATOR)
    good = write_bundle(tmp_path, bundle_files(), name="riverside")
    broken_files = bundle_files()
    broken_files["orgs.csv"] = broken_files["orgs.csv"].replace(b"sch-2,active", b"sch-1,active")
    broken = write_bundle(tmp_path, broken_files, name="broken")
    page.set_default_timeout(30_000)

    sign_in(page, "district_admin")
    expect(page).to_have_title("Dashboard · Coaching cycles")  # signed in: the landing page
    open_menu_link(page, "Rosters", group="Administration")
    expect(page).to_have_title("Roster imports · Coaching cycles")
    page.get_by_label("OneRoster bundle (.zip)").set_input_files(str(good))
    expect(page.get_by_label("Dry run only")).to_be_checked()
    page.get_by_role("button", name="Upload and check").click()

    # The progress bar, polled every second, until the dry run is done.
    expect(page.get_by_role("progressbar", name="Import progress")).to_be_visible()
    expect(page.get_by_text("Dry run done: nothing was changed yet.")).to_be_visible()
    expect(page.locator('[data-count="create"]')).to_have_text("10")
    expect(page.locator('[data-count="skipped"]')).to_have_text("4")
    assert not School.objects.filter(district=district).exists()
    expect(page.get_by_role("cell", name="Riverside Elementary sch-1")).to_be_visible()

    page.get_by_role("button", name="Apply this import").click()
    expect(page.get_by_text("Import done.")).to_be_visible()
    expect(page.locator('[data-count="create"]')).to_have_text("10")
    assert School.objects.filter(district=district).count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A malformed bundle: refused, its errors by file and line, nothing changed.
    page.goto("/roster/")
    page.get_by_label("OneRoster bundle (.zip)").set_input_files(str(broken))
    page.get_by_label("Dry run only").uncheck()
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("The bundle was refused: nothing was changed")).to_be_visible()
    row = page.locator("table.roster-errors tbody tr").first
    expect(row).to_contain_text("orgs.csv")
    expect(row.locator("td").nth(1)).to_have_text("4")
    expect(row).to_contain_text("duplicate sourcedId 'sch-1' (first on line 3)")
    assert School.objects.filter(district=district).count() == 3
