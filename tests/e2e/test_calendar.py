"""A teacher on a phone makes their calendar link, copies it, and the link serves their feed;
the page passes axe-core before and after the link is made (the page-wide accessibility test
sees only the page as a GET shows it)."""

import icalendar
import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT, _missing
from tests.e2e.test_navigation import open_account_menu
from tests.e2e.test_sign_in import sign_in
from tests.factories import AgreedMoveFactory

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__accessibility__/axe.min.js"  # answered by the test, never by the app


def _serious_axe_violations(page) -> list[str]:
    if not AXE.exists():
        _missing(f"{AXE.relative_to(ROOT)} is missing: run `make test` or `npm ci`")
    # From the app's origin, which the CSP allows (an inline copy it would block).
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE)))
    try:
        page.add_script_tag(url=AXE_URL)
    finally:
        page.unroute(f"**{AXE_URL}")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']}: {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_teacher_makes_and_copies_the_calendar_link_on_a_phone(
    transactional_db, school_world, page, live_server
):
    w = school_world
    AgreedMoveFactory(cycle=w.c1a, move__name="Boards up on hinge questions")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, "teacher1a")

    open_account_menu(page)
    page.get_by_role("link", name="Calendar feed").click()
    expect(page).to_have_title("Calendar · Coaching cycles")
    assert _serious_axe_violations(page) == []

    page.get_by_role("button", name="Create my calendar link").click()
    expect(page.get_by_text("Copy it now")).to_be_visible()
    https = page.get_by_label("Link for Google Calendar and Outlook (https)").input_value()
    assert https.startswith(live_server.url + "/calendar/")
    webcal = page.get_by_label("Link for Apple Calendar and other apps (webcal)").input_value()
    assert webcal.startswith("webcal://")
    assert _serious_axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="Copy the https link").click()
    expect(page.get_by_text("Link copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == https

    feed = page.request.get(https)
    assert feed.status == 200
    calendar = icalendar.Calendar.from_ical(feed.body())
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert any("Boards up on hinge questions" in s for s in summaries), summaries

    # Back on the page later: the link is not shown again.
    page.goto("/calendar/")
    expect(page.get_by_role("button", name="Make a new link")).to_be_visible()
    assert https not in page.content()
