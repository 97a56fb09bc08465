"""A principal on a phone opens Exports from the menu, downloads this school year's cycles as a
CSV, then sends a reversed period and sees the error next to the field. The form with its
errors (a 400, which the page-wide accessibility test does not visit) passes axe-core and the
CSP check on a desktop and on a phone."""

import csv
import io

import pytest
from playwright.sync_api import expect

from dashboards.exports import CYCLE_HEADER
from tests.e2e.test_accessibility import (
    DESKTOP,
    PHONE,
    axe_available,  # noqa: F401  (a fixture)
    check,
    record_csp_violations,
    sign_in_as,
)
from tests.e2e.test_navigation import open_menu_link
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e


def test_principal_downloads_a_csv_and_sees_errors_next_to_the_fields(
    transactional_db,
    school_world,
    page,
    live_server,
    axe_available,  # noqa: F811
):
    w = school_world
    sign_in(page, "principal_a")
    expect(page).to_have_title("Dashboard · Coaching cycles")  # signed in: the landing page
    open_menu_link(page, "Exports")
    expect(page).to_have_title("Exports · Coaching cycles")

    page.get_by_label("What to export").select_option("cycles")
    page.get_by_label("Period").select_option("this_school_year")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename.startswith("cycles-")
    with open(download.value.path(), encoding="utf-8-sig") as file:
        text = file.read()
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == CYCLE_HEADER
    school_a_cycles = {c.pk for c in (w.c1a, w.c1b, w.c2a)}
    assert school_a_cycles <= {int(row[0]) for row in table[1:]}
    assert "School B" not in text and "School C" not in text

    page.get_by_label("Period").select_option("custom")
    page.get_by_label("From", exact=True).fill("2025-06-30")
    page.get_by_label("To", exact=True).fill("2025-06-01")
    page.get_by_role("button", name="Download CSV").click()
    expect(page.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("The period must end on or after its first day.")).to_be_visible()

    page.csp_console = record_csp_violations(page)
    sign_in_as(page, live_server, w.principal_a)
    url = "/exports/?what=cycles&period=custom&start=2025-06-30&end=2025-06-01"
    problems = []
    for viewport, width in ((DESKTOP, "desktop"), (PHONE, "390px")):
        page.set_viewport_size(viewport)
        problems += check(page, url, who="principal", width=width, expect_status=400)
        problems += check(page, "/exports/", who="principal", width=width)
    assert not problems, problems
