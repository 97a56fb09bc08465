"""A principal reads the caseload dashboard on a phone: the plots drawn by Chart.js, a filter,
a drill-down list, and a page body that never scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_sign_in import sign_in
from tests.factories import TimeEntryFactory

pytestmark = pytest.mark.e2e

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def test_principal_reads_the_dashboard_filters_it_and_opens_a_list(
    transactional_db, school_world, page
):
    w = school_world
    TimeEntryFactory(coach=w.coach1, school=w.school_a, minutes=60, category="direct_coaching")

    sign_in(page, "principal_a")

    expect(page).to_have_title("Dashboard · Coaching cycles")
    expect(page.get_by_role("heading", name=w.school_a.name)).to_be_visible()
    canvas = page.locator("canvas[data-chart]").first
    expect(canvas).to_have_attribute("role", "img")
    page.wait_for_function("() => typeof Chart === 'function'")
    assert page.evaluate(
        "Chart.getChart(document.querySelector('canvas[data-chart]')) !== undefined"
    )
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    page.get_by_label("Coach", exact=True).select_option(label=w.coach1.display_name)
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"[?&]coach={w.coach1.pk}(&|$)"))
    table = page.get_by_role("table").first
    expect(table.get_by_role("rowheader", name=w.coach1.display_name)).to_be_visible()
    expect(table.get_by_role("rowheader", name=w.coach2.display_name)).to_have_count(0)

    page.get_by_role("link", name="2 teachers on the caseload: list").first.click()

    expect(page.get_by_role("heading", name="Teachers on the caseload")).to_be_visible()
    expect(page.get_by_role("rowheader", name=w.t1a.full_name)).to_be_visible()
    expect(page.get_by_role("rowheader", name=w.t2a.full_name)).to_have_count(0)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
