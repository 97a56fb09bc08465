"""Every page of the app passes an automated accessibility check (axe-core) in a real browser,
and the teacher's pages fit a phone.

The pages are found from the URL resolver as the access sweep finds them
(``tests/test_access_sweep.py``: the admin, static files, /health/ and signing in and out aside),
with the ids of its world (active, closed and fresh cycles with an agreed move, observations,
sessions, a debrief, briefs, revisits, time entries), so a page added later is checked without
editing this file. Each URL is requested as every role (coach, principal, district leader,
administrator, teacher) and checked as each role that gets it as a page (200, HTML): the full
page, as a browser without HTMX gets it. A page with a form is checked again as it comes back
from a POST without its fields (the form with its errors; the POST is rolled back). The sign-in
page is checked for an anonymous visitor (also with a wrong password), and the "not found" page.

axe-core comes from npm (``package.json`` pins it; ``make test`` runs ``npm ci``). A serious or
critical violation fails the test with its rule, help text and the elements concerned. Every
page is checked at desktop width; the teacher's pages and the sign-in page at 390 px too, where
the page must not scroll sideways either.

The app's Content Security Policy (config/settings/base.py) is on in tests too: every page must
come with the header, and any violation the browser reports on it (a blocked inline script or
style, a file from elsewhere) fails the test like an accessibility problem.

A route that no role gets as a page fails the test, so it cannot pass by skipping one: give it
a query string in ``query_variants()``, or list it in ``NOT_PAGES`` with the reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from coaching.forms.cycle import LOGGABLE_KINDS
from dashboards.selectors import DASHBOARD_LISTS
from tests.conftest import ROOT, _missing
from tests.test_access_sweep import (  # noqa: F401  (sweep: a fixture)
    KWARG_TARGETS,
    Route,
    Sweep,
    _all_routes,
    send,
    sweep,
)

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
FORM_ERRORS_URL = "/__accessibility__/form-errors/"  # answered by the test, never by the app
AXE_URL = "/__accessibility__/axe.min.js"  # the same
# Collects the page's CSP violations from before its first script runs.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
  `CSP ${e.disposition}: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} `
  + `(${e.sourceFile || 'the page'}:${e.lineNumber})`));
"""

# Role -> the user of the sweep's world (tests/test_access_sweep.py) who plays it. coach1 owns
# every target; t1a owns cycle A (shared with principal_a) and the closed cycle OLD.
ROLE_USERS = {
    "coach": "coach1",
    "principal": "principal_a",
    "district leader": "district_leader",
    "administrator": "administrator",
    "teacher": "t1a.user",
    # The roster import pages: the other district's administrator owns the sweep's imports.
    "roster administrator": "roster_administrator",
}

# Routes that are no page of their own: they redirect (checked where they lead), or answer
# POST only (405 on GET for everybody, asserted below).
NOT_PAGES = {
    "home": "sends each role to its home page",
    "calendar_feed": "an iCalendar file for calendar programs, not a page",
    "api_docs": "third-party Swagger UI (drf-spectacular-sidecar): its operation headers nest "
    "buttons (axe nested-interactive) and its method badges lack contrast, upstream markup we "
    'do not change; the same API is described by /api/schema/ and docs/api.md "The API"; '
    "tests/api/test_views.py checks the page loads our own files under the CSP",
}


def query_variants(name: str | None, rows: Sweep) -> list[str]:
    """Query strings a route needs to be a page, or shows other content with. The first is
    requested with the ids of every target and as every role; the others once, with cycle A's
    ids, as the first role that gets them."""
    w = rows.world
    if name == "dashboard_list":  # one list per figure of the dashboard
        return [f"?school={w.school_a.pk}&figure={figure}" for figure in DASHBOARD_LISTS]
    if name == "session_new":  # each kind of session has fields of its own
        return ["", *(f"?kind={kind}" for kind, _ in LOGGABLE_KINDS)]
    if name == "move_pick":  # a search
        return ["", "?q=boards"]
    return [""]


@dataclass(frozen=True)
class Visit:
    role: str
    url: str
    route: str


def page_routes() -> list[Route]:
    """Every route of the project but the admin, static files, /health/, signing in and out
    (as the access sweep finds them) and NOT_PAGES; fails if a route takes an id of a kind the
    sweep's world cannot fill."""
    routes = [r for r in _all_routes() if r.name not in NOT_PAGES]
    unmapped = sorted({(r.label, k) for r in routes for k in r.kwargs if k not in KWARG_TARGETS})
    if unmapped:
        pytest.fail(
            "URL kwargs with no row to fill them: "
            + ", ".join(f"{name} ({kwarg})" for name, kwarg in unmapped)
            + ". Map each in KWARG_TARGETS in tests/test_access_sweep.py, or list a route that "
            "is no page in NOT_PAGES in tests/e2e/test_accessibility.py.",
            pytrace=False,
        )
    return routes


def candidate_urls(route: Route, rows: Sweep) -> tuple[list[str], list[str]]:
    """The URLs to request for ``route``: (with the ids of every target of the sweep's world,
    the extra query variants with target A's)."""
    first, *extra = query_variants(route.name, rows)
    every = list(dict.fromkeys(route.url_for(t) + first for t in rows.targets.values()))
    return every, [route.url_for(rows["A"]) + q for q in extra]


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def find_pages(rows: Sweep, clients: dict[str, Client]) -> tuple[list[Visit], list[str], list[str]]:
    """Every (role, URL) that is a page for that role; the routes that answer with something
    else than a page (a file); and the routes that are a page for nobody (problems)."""
    visits: list[Visit] = []
    files: list[str] = []
    problems: list[str] = []
    for route in page_routes():
        every, extra = candidate_urls(route, rows)
        statuses: dict[int | str, set[str]] = defaultdict(set)
        for url in every + extra:
            for role, client in clients.items():
                response = client.get(url)
                status = response.status_code
                if status == 200 and not response["Content-Type"].startswith("text/html"):
                    status = f"200 {response['Content-Type']}"
                statuses[status].add(role)
                if status == 200:
                    visits.append(Visit(role, url, route.label))
                    if url in extra:
                        break  # an extra variant: as one role
        if any(v.route == route.label for v in visits):
            continue
        if set(statuses) == {405}:
            continue  # action-only: refuses GET for everybody
        if any(str(status).startswith("200 ") for status in statuses):
            files.append(route.label)
            continue
        problems.append(
            f"{route.label}: no role gets a page at {every + extra} (statuses "
            f"{ {k: sorted(v) for k, v in statuses.items()} }): give it a query string in "
            "query_variants() or list it in NOT_PAGES in tests/e2e/test_accessibility.py"
        )
    return visits, files, problems


def form_error_pages(visits: list[Visit], clients: dict[str, Client]) -> dict[Visit, str]:
    """For each route whose page takes a POST: the page a POST without the form's fields
    shows (the form with its errors), sent by a role that has the page and rolled back, so
    nothing is saved. The first of the route's pages that does show errors."""
    found: dict[Visit, str] = {}
    for visit in visits:
        if visit.route in {v.route for v in found}:
            continue
        # One field no form has: ``request.POST or None`` would take an empty POST for a GET.
        data = {"accessibility-check": "1"}
        response, _ = send(clients[visit.role], "POST (form)", visit.url, data)
        html = response.content.decode()
        if (
            response.status_code == 200
            and response["Content-Type"].startswith("text/html")
            and ("is-invalid" in html or "invalid-feedback" in html)
        ):
            found[visit] = html
    return found


def axe_violations(page) -> list[str]:
    """One line per element with a serious or critical violation (at most 8 per rule)."""
    # From a URL of the app's own origin, which the CSP allows (an inline copy it would block).
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE)))
    try:
        page.add_script_tag(url=AXE_URL)
    finally:
        page.unroute(f"**{AXE_URL}")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            checks = [c["message"] for c in node["any"] + node["all"] if c.get("message")]
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']}: {target}"
                + (f" ({checks[0]})" if checks else "")
            )
    return found


def sign_in_as(page, live_server, user) -> None:
    """The browser context carries ``user``'s session (signing in through the form is
    covered by tests/e2e/test_sign_in.py)."""
    page.context.clear_cookies()
    if user is None:
        return
    client = client_for(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def check(
    page, url: str, *, who: str, width: str, expect_status: int = 200, html: str | None = None
) -> list[tuple[str, str]]:
    """(where, what) for each problem of the page at ``url`` (or of ``html`` shown there)."""
    where = f"{url} ({who}, {width}{', form errors' if html is not None else ''})"
    if html is not None:
        # The browser shows the page at an address of the live server, so its styles load.
        page.route(
            f"**{FORM_ERRORS_URL}",
            lambda route: route.fulfill(status=200, content_type="text/html", body=html),
        )
        url = FORM_ERRORS_URL
    try:
        response = page.goto(url)
    finally:
        page.unroute_all()
    assert response is not None, url
    if response.status != expect_status:
        return [(where, f"status {response.status}, expected {expect_status}")]
    problems = []
    if html is None and "default-src 'self'" not in (response.header_value(CSP) or ""):
        problems.append((where, f"no Content-Security-Policy header: {response.header_value(CSP)}"))
    return problems + inspect(page, where, width)


CSP = "Content-Security-Policy"


def record_csp_violations(page) -> list[str]:
    """Lists the console's CSP messages as they come (inspect() also reads the listener's)."""
    messages: list[str] = []
    page.add_init_script(CSP_LISTENER)
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return messages


def csp_violations(page, console: list[str] | None) -> list[str]:
    found = page.evaluate("window.__cspViolations || []")
    if console:
        found += [f"console: {m}" for m in console]
        console.clear()
    return found


def inspect(page, where: str, width: str) -> list[tuple[str, str]]:
    """The problems of the page the browser shows."""
    problems = [(where, v) for v in csp_violations(page, getattr(page, "csp_console", None))]
    problems += [(where, v) for v in axe_violations(page)]
    if width == "390px":
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > PHONE["width"]:
            problems.append((where, f"scrolls sideways at 390px ({scroll_width}px wide)"))
    return problems


@pytest.fixture
def axe_available() -> Path:
    if not AXE.exists():
        _missing(f"{AXE.relative_to(ROOT)} is missing: run `make test` or `npm ci`")
    return AXE


def test_every_page_passes_axe_and_teacher_pages_fit_a_phone(
    transactional_db,
    sweep,  # noqa: F811  (the access sweep's fixture, imported above)
    page,
    live_server,
    axe_available,
):
    page.csp_console = record_csp_violations(page)
    clients = {r: client_for(attrgetter(path)(sweep.world)) for r, path in ROLE_USERS.items()}
    visits, files, missing = find_pages(sweep, clients)
    error_pages = form_error_pages(visits, clients)
    problems: list[tuple[str, str]] = [("URL resolver", m) for m in missing]
    checked: set[tuple[str, str]] = set()
    by_role = {role: [v for v in visits if v.role == role] for role in ROLE_USERS}

    # Anonymous: the sign-in page, and with a wrong password, on a desktop and on a phone.
    login_url = resolve_url(settings.LOGIN_URL)
    refused = Client().post(login_url, {"username": "coach1", "password": "wrong"})
    assert "Please enter a correct username" in refused.content.decode()
    sign_in_as(page, live_server, None)
    for viewport, width in ((DESKTOP, "desktop"), (PHONE, "390px")):
        page.set_viewport_size(viewport)
        problems += check(page, login_url, who="anonymous", width=width)
        html = refused.content.decode()
        problems += check(page, login_url, who="anonymous", width=width, html=html)
    checked.add(("anonymous", login_url))

    for role, role_visits in by_role.items():
        sign_in_as(page, live_server, attrgetter(ROLE_USERS[role])(sweep.world))
        widths = [(DESKTOP, "desktop")] + ([(PHONE, "390px")] if role == "teacher" else [])
        for viewport, width in widths:
            page.set_viewport_size(viewport)
            for visit in role_visits:
                problems += check(page, visit.url, who=role, width=width)
                checked.add((role, visit.route))
                if visit in error_pages:
                    html = error_pages[visit]
                    problems += check(page, visit.url, who=role, width=width, html=html)

    # The teacher's menu, opened on a phone.
    sign_in_as(page, live_server, attrgetter(ROLE_USERS["teacher"])(sweep.world))
    page.set_viewport_size(PHONE)
    page.goto(resolve_url("my_move"))
    page.get_by_role("button", name="Toggle navigation").click()
    page.locator(".navbar-collapse.show").wait_for()
    problems += inspect(page, "/my-move/ (teacher, 390px, menu open)", "390px")

    # The "not found" page, once.
    page.set_viewport_size(DESKTOP)
    problems += check(page, "/cycles/0/", who="signed in", width="desktop", expect_status=404)

    print(
        f"\naccessibility: {len(visits)} pages of {len({v.route for v in visits})} routes "
        f"checked as {list(by_role)}, {len(error_pages)} of them with form errors too, plus "
        f"the sign-in and not-found pages; not pages: {files}"
    )
    # The check cannot pass by finding nothing: each role has pages, and the known ones are there.
    assert all(by_role.values()), {role: len(pages) for role, pages in by_role.items()}
    routes = {v.route for v in visits}
    assert {"caseload", "dashboard", "district_dashboard", "my_move", "cycle_detail"} <= routes
    assert ("teacher", "my_move") in checked and ("principal", "cycle_detail") in checked
    assert not problems, summary(problems)


def summary(problems: list[tuple[str, str]]) -> str:
    """Each problem once, with the pages it was found on."""
    pages: dict[str, list[str]] = defaultdict(list)
    for where, what in problems:
        pages[what].append(where)
    lines = [f"{len(pages)} problems on {len({w for w, _ in problems})} pages:"]
    for what, where in list(pages.items())[:60]:
        shown = ", ".join(where[:6]) + (f" and {len(where) - 6} more" if len(where) > 6 else "")
        lines.append(f"- {what}\n    on {shown}")
    if len(pages) > 60:
        lines.append(f"and {len(pages) - 60} more problems")
    return "\n".join(lines)
