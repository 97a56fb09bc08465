"""The Content Security Policy in a real browser. tests/e2e/test_accessibility.py loads every page
as every role and fails on any violation; here: that its check does see violations (so it cannot
pass by seeing nothing), and that the interactive parts (signing in, an HTMX swap, Chart.js)
work under the policy with none."""

import pytest
from csp.utils import build_policy
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.test_accessibility import csp_violations, record_csp_violations
from tests.e2e.test_navigation import open_account_menu
from tests.e2e.test_sign_in import sign_in
from tests.factories import TimeEntryFactory

pytestmark = pytest.mark.e2e

PROBE_URL = "/__csp__/probe/"  # answered by the test, with the app's own policy
PROBE = """<!doctype html><html lang="en"><head><title>probe</title>
<style>body { color: red; }</style></head>
<body><p style="color: blue">inline</p>
<img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<script>document.title = "ran";</script>
<script src="/static/vendor/htmx/htmx.min.js"></script>
<img alt="" src="https://example.invalid/pixel.gif">
</body></html>"""


def test_the_browser_check_reports_what_the_policy_blocks(transactional_db, page, live_server):
    assert "unsafe-inline" not in build_policy()
    console = record_csp_violations(page)
    page.route(
        f"**{PROBE_URL}",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body=PROBE,
            headers={"Content-Security-Policy": build_policy()},
        ),
    )

    page.goto(PROBE_URL)
    page.wait_for_load_state("load")
    found = " | ".join(csp_violations(page, console))

    assert page.title() == "probe"  # the inline script did not run
    assert "style-src-elem blocked inline" in found
    assert "style-src-attr blocked inline" in found
    assert "script-src-elem blocked inline" in found
    assert "img-src blocked https://example.invalid/pixel.gif" in found
    assert "blocked http" not in found.replace("https://example.invalid", "")  # own files load
    # htmx loaded here without the app's htmx-config (templates/base.html) tries to add a
    # <style> of its own: the check sees it, and the app's pages turn it off.
    assert "style-src-elem blocked inline (http" in found
    assert "htmx.min.js" in found
    assert "blocked data:" not in found  # and data: images


def test_sign_in_htmx_and_charts_work_under_the_policy(transactional_db, school_world, page):
    w = school_world
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]
    TimeEntryFactory(coach=w.coach1, school=w.school_a, minutes=60, category="direct_coaching")
    console = record_csp_violations(page)

    sign_in(page, "coach1")  # form-action 'self', and the redirect after it
    expect(page).to_have_title("Caseload · Coaching cycles")
    assert "default-src 'self'" in page.evaluate(
        "fetch(location.href).then(r => r.headers.get('Content-Security-Policy'))"
    )
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true"):
        page.get_by_label("Show").select_option(index=1)  # HTMX swaps the table in
    expect(page.locator("#caseload-table")).to_be_visible()
    problems = csp_violations(page, console)

    open_account_menu(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "principal_a")
    expect(page).to_have_title("Dashboard · Coaching cycles")
    page.wait_for_function("() => typeof Chart === 'function'")
    assert page.evaluate(
        "Chart.getChart(document.querySelector('canvas[data-chart]')) !== undefined"
    )
    problems += csp_violations(page, console)

    assert problems == []
