"""The time page in a real browser at phone width: logging time, then the browser's Back and
"Log time" again adds nothing (the form's key), and the page says so."""

import pytest
from playwright.sync_api import expect

from coaching.models import TimeEntry
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e


def test_back_then_submit_again_logs_the_time_once(transactional_db, school_world, page):
    w = school_world
    sign_in(page, "coach1")

    page.goto("/time/")
    page.get_by_label("Category").select_option(label="Admin")
    page.locator("#id_minutes").fill("40")
    page.locator("#id_note").fill("Weekly report")
    page.get_by_role("button", name="Log time").click()
    expect(page.get_by_text("Logged 40 min of admin")).to_be_visible()
    expect(page.get_by_role("cell", name="Weekly report")).to_have_count(1)

    page.go_back()
    expect(page.get_by_role("button", name="Log time")).to_be_visible()
    page.locator("#id_minutes").fill("40")
    page.locator("#id_note").fill("Weekly report")
    page.get_by_role("button", name="Log time").click()

    expect(page.get_by_text("Already logged: 40 min of admin")).to_be_visible()
    expect(page.get_by_role("cell", name="Weekly report")).to_have_count(1)
    assert TimeEntry.objects.filter(coach=w.coach1, note="Weekly report").count() == 1
    expect(page.get_by_text("40 min", exact=True)).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits a phone
