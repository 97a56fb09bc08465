"""Whole pages cached under data versions (core.page_cache): a page read again runs no SQL,
a write through the app's own paths shows on the next read, the cache never widens access,
and a cache outage only costs a render.

A page is stored only when the request carries a CSRF cookie, which the test client gets from
the first page it loads: GET (gets the cookie), GET (rendered and stored), GET (served)."""

import datetime
import logging
import re
from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.backends import VersionedCacheModelBackend
from coaching import selectors, services
from coaching.models import RevisitStatus, SessionKind, TimeCategory
from core import page_cache
from core.page_cache import data_versions, data_versions_bump, versioned_page
from teachers.models import Membership, Role
from teachers.school_days import SchoolDays
from tests.factories import (
    AgreedMoveFactory,
    CaseloadAssignmentFactory,
    CoachingCycleFactory,
    MembershipFactory,
    RevisitFactory,
    SchoolFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# (who, page): every cached view, read by someone it is for.
CACHED_PAGES = [
    ("teacher1a", "my_move"),
    ("coach1", "caseload"),
    ("principal_a", "dashboard"),
    ("leader", "district_dashboard"),
]
USERS = {
    "teacher1a": lambda w: w.t1a.user,
    "teacher2a": lambda w: w.t2a.user,
    "coach1": lambda w: w.coach1,
    "principal_a": lambda w: w.principal_a,
    "leader": lambda w: w.district_leader,
    "root": lambda w: w.superuser,
}
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _get(client, url: str):
    """One GET and the number of SQL queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def _signed_in(client, world, who: str):
    client.force_login(USERS[who](world))
    return client


def _stored(client, url: str):
    """The first GET gets the CSRF cookie, the second renders the page and stores it."""
    client.get(url)
    return client.get(url)


def _without_tokens(html: bytes) -> str:
    """The page without its CSRF tokens, which are masked afresh on every render."""
    text = html.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', text)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', text)


def _rendered_now(client, url: str, settings) -> str:
    """The page as the view renders it at this moment, the cache bypassed."""
    settings.VERSIONED_CACHE = False
    try:
        return _without_tokens(client.get(url).content)
    finally:
        settings.VERSIONED_CACHE = True


def _drop_expired_cookies(client) -> None:
    """What a browser does with a cookie the server expired (the test client keeps it)."""
    for name in [n for n, morsel in client.cookies.items() if morsel["max-age"] == 0]:
        del client.cookies[name]


def _local_pages() -> list[str]:
    """Keys of the pages in this process's page cache (LocMemCache internals)."""
    return [key for key in caches["local"]._cache if page_cache.PAGE_PREFIX in key]


def _tomorrow() -> datetime.date:
    """The next school day (a move is due on one)."""
    return SchoolDays().add(timezone.localdate(), 1)


# --- 1. A page read again runs no SQL ----------------------------------------------------------


@pytest.mark.parametrize(("who", "page"), CACHED_PAGES)
def test_a_page_read_again_is_served_without_a_query_and_with_the_same_bytes(
    client, school_world, who, page
):
    url = reverse(page)
    stored = _stored(_signed_in(client, school_world, who), url)

    served, queries = _get(client, url)

    assert stored.status_code == served.status_code == 200
    assert queries == 0
    assert served.content == stored.content


@pytest.mark.parametrize(("who", "page"), CACHED_PAGES)
def test_with_the_versioned_cache_off_a_page_read_again_runs_its_queries(
    client, school_world, settings, who, page
):
    settings.VERSIONED_CACHE = False
    url = reverse(page)
    _stored(_signed_in(client, school_world, who), url)

    served, queries = _get(client, url)

    assert served.status_code == 200
    assert queries > 0


@pytest.mark.parametrize(("who", "page"), CACHED_PAGES)
def test_a_stored_page_is_served_by_the_middleware_before_the_url_is_resolved(
    client, school_world, who, page
):
    url = reverse(page)
    stored = _stored(_signed_in(client, school_world, who), url)

    served, queries = _get(client, url)

    # The render went through every middleware (HtmxMiddleware, below PageCacheMiddleware,
    # marks each request it sees); the hit stopped above it, with the same page.
    assert hasattr(stored.wsgi_request, "htmx")
    assert not hasattr(served.wsgi_request, "htmx")
    assert queries == 0
    assert served.content == stored.content
    assert served["X-Frame-Options"] == stored["X-Frame-Options"] == "DENY"


def test_the_middleware_serves_a_path_only_to_the_session_that_stored_it(client, school_world):
    url = reverse("my_move")
    _stored(_signed_in(client, school_world, "teacher1a"), url)
    other = _signed_in(Client(), school_world, "teacher2a")
    other.get(url)  # its CSRF cookie

    rendered, queries = _get(other, url)

    assert hasattr(rendered.wsgi_request, "htmx")  # went on to the view
    assert queries > 0
    assert school_world.t2a.user.display_name in rendered.content.decode()
    assert school_world.t1a.user.display_name not in rendered.content.decode()


# --- 2. Writes through the app show on the next read -------------------------------------------


@pytest.fixture
def agreed_move(school_world):
    """teacher1a's planned cycle with its agreed move (planned: the wording may still change)."""
    return AgreedMoveFactory(
        cycle=school_world.c1a, next_day_action="Use mini whiteboards in period 2."
    )


def _agree_new_wording(agreed) -> None:
    services.agreed_move_set(
        cycle=agreed.cycle,
        move=agreed.move,
        next_day_action="Cold call after 5 seconds of wait time.",
        script=agreed.script,
        success_indicator=agreed.success_indicator,
        due_on=_tomorrow(),
    )


def test_the_teachers_move_is_served_from_the_cache_while_nothing_changes(
    client, school_world, agreed_move
):
    url = reverse("my_move")
    _stored(_signed_in(client, school_world, "teacher1a"), url)

    served, queries = _get(client, url)

    assert queries == 0
    assert "Use mini whiteboards in period 2." in served.content.decode()


def test_the_teacher_sees_the_new_wording_of_the_move_once_the_coachs_change_commits(
    client, school_world, agreed_move, django_capture_on_commit_callbacks
):
    url = reverse("my_move")
    _stored(_signed_in(client, school_world, "teacher1a"), url)

    with django_capture_on_commit_callbacks(execute=True):
        _agree_new_wording(agreed_move)
    page = client.get(url).content.decode()

    assert "Cold call after 5 seconds of wait time." in page
    assert "Use mini whiteboards in period 2." not in page


def test_the_bump_made_at_once_shows_the_new_wording_before_any_commit(
    client, school_world, agreed_move, django_capture_on_commit_callbacks
):
    url = reverse("my_move")
    _stored(_signed_in(client, school_world, "teacher1a"), url)

    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        _agree_new_wording(agreed_move)
    page = client.get(url).content.decode()

    assert on_commit  # the second bump waits for a commit that never comes
    assert "Cold call after 5 seconds of wait time." in page


def test_the_teacher_sees_the_revisit_the_coach_schedules(
    client, school_world, django_capture_on_commit_callbacks
):
    url = reverse("my_move")
    _stored(_signed_in(client, school_world, "teacher1a"), url)
    due = timezone.localdate() + datetime.timedelta(days=10)

    with django_capture_on_commit_callbacks(execute=True):
        services.revisit_schedule(cycle=school_world.c1a, due_on=due)
    page = client.get(url).content.decode()

    assert f"Revisit due {dateformat.format(due, 'l j F')}" in page


def test_the_coach_sees_a_teacher_touched_once_a_session_is_logged(
    client, school_world, settings, django_capture_on_commit_callbacks
):
    w = school_world
    teacher = TeacherFactory(school=w.school_a, last_name="Zuckerman")
    CaseloadAssignmentFactory(coach=w.coach1, teacher=teacher)
    cycle = CoachingCycleFactory(teacher=teacher, coach=w.coach1)
    url = reverse("caseload")
    before = _stored(_signed_in(client, w, "coach1"), url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.session_log(
            cycle=cycle,
            kind=SessionKind.CO_PLANNING,
            held_at=timezone.now(),
            duration_minutes=30,
            notes="Scripted the hinge questions.",
        )
    after = client.get(url).content.decode()

    assert "never" in before  # the new teacher had not been touched
    assert "never" not in after
    assert _without_tokens(after.encode()) == _rendered_now(client, url, settings)


def test_the_coach_sees_the_next_revisit_on_the_caseload(
    client, school_world, django_capture_on_commit_callbacks
):
    url = reverse("caseload")
    _stored(_signed_in(client, school_world, "coach1"), url)
    due = timezone.localdate() + datetime.timedelta(days=10)

    with django_capture_on_commit_callbacks(execute=True):
        services.revisit_schedule(cycle=school_world.c1b, due_on=due)
    page = client.get(url).content.decode()

    assert dateformat.format(due, "D j M") in page


def test_the_coach_sees_the_move_agreed_through_the_app_on_the_caseload(
    client, school_world, agreed_move, django_capture_on_commit_callbacks
):
    url = reverse("caseload")
    before = _stored(_signed_in(client, school_world, "coach1"), url).content.decode()
    move = agreed_move.move  # already agreed for c1a: its row shows it

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("move_agree", args=[school_world.c1b.pk, move.pk]),
            {
                "next_day_action": "Boards up for every hinge question.",
                "script": "Everyone, write your answer.",
                "success_indicator": "20 of 25 boards up within 10 seconds.",
                "due_on": _tomorrow().isoformat(),
            },
        )
    after = client.get(url).content.decode()

    assert response.status_code == 302
    assert before.count(f"{move.name}</td>") == 1
    assert after.count(f"{move.name}</td>") == 2  # c1a's row and now c1b's
    assert f"Move agreed: {move.name}." in after  # the message the POST left


def test_the_principal_sees_the_time_a_coach_logs_on_the_dashboard(
    client, school_world, settings, django_capture_on_commit_callbacks
):
    w = school_world
    url = reverse("dashboard")
    before = _stored(_signed_in(client, w, "principal_a"), url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.time_entry_log(
            coach=w.coach1,
            school=w.school_a,
            minutes=90,
            category=TimeCategory.DIRECT_COACHING,
            entry_date=selectors.school_today(w.school_a) - datetime.timedelta(days=1),
        )
    after, queries = _get(client, url)

    assert queries > 0
    assert after.content.decode().count("no time logged") < before.count("no time logged")
    assert _without_tokens(after.content) == _rendered_now(client, url, settings)


def test_a_principal_given_a_second_school_sees_what_happens_there_afterwards(
    client, school_world, settings
):
    w = school_world
    url = reverse("dashboard")
    _stored(_signed_in(client, w, "principal_a"), url)
    MembershipFactory(user=w.principal_a, role=Role.PRINCIPAL, school=w.school_b)
    with_b = client.get(url).content.decode()

    services.time_entry_log(
        coach=w.coach_b,
        school=w.school_b,
        minutes=90,
        category=TimeCategory.DIRECT_COACHING,
        entry_date=selectors.school_today(w.school_b) - datetime.timedelta(days=1),
    )
    after = client.get(url).content.decode()

    assert "School B" in with_b
    assert after.count("no time logged") < with_b.count("no time logged")
    assert _without_tokens(after.encode()) == _rendered_now(client, url, settings)


# --- 4. The cache never widens access -----------------------------------------------------------


def test_two_teachers_at_the_same_address_each_get_their_own_move(client, school_world):
    w = school_world
    AgreedMoveFactory(cycle=w.c1a, next_day_action="Teacher 1A: boards up.")
    AgreedMoveFactory(cycle=w.c2a, next_day_action="Teacher 2A: cold call.")
    other = Client()
    url = reverse("my_move")
    _stored(_signed_in(client, w, "teacher1a"), url)
    _stored(_signed_in(other, w, "teacher2a"), url)

    first, first_queries = _get(client, url)
    second, second_queries = _get(other, url)

    assert first_queries == second_queries == 0
    assert "Teacher 1A: boards up." in first.content.decode()
    assert "Teacher 2A: cold call." not in first.content.decode()
    assert "Teacher 2A: cold call." in second.content.decode()
    assert "Teacher 1A: boards up." not in second.content.decode()


def test_a_form_on_a_page_served_from_the_cache_posts_with_the_readers_own_csrf_cookie(
    school_world,
):
    user = school_world.t1a.user
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(user)
    second.force_login(user)  # the same person in a second browser: another session
    url = reverse("my_move")
    _stored(first, url)
    _stored(second, url)

    served, queries = _get(second, url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', served.content.decode())[1]
    signed_out = second.post(reverse("logout"), {"csrfmiddlewaretoken": token})

    assert queries == 0
    assert signed_out.status_code == 302  # not 403: the token matches this browser's cookie


def test_a_user_deactivated_after_their_page_was_cached_is_sent_to_sign_in(client, school_world):
    user = school_world.t1a.user
    url = reverse("my_move")
    _stored(_signed_in(client, school_world, "teacher1a"), url)

    user.is_active = False
    user.save()
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_session_cookie_replayed_after_sign_out_is_sent_to_sign_in(client, school_world):
    url = reverse("my_move")
    _stored(_signed_in(client, school_world, "teacher1a"), url)
    old_session = client.cookies["sessionid"].value

    client.post(reverse("logout"))
    client.cookies["sessionid"] = old_session
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_principal_whose_role_ends_after_the_dashboard_was_cached_is_refused(
    client, school_world
):
    url = reverse("dashboard")
    stored = _stored(_signed_in(client, school_world, "principal_a"), url)
    membership = Membership.objects.get(user=school_world.principal_a, role=Role.PRINCIPAL)

    membership.is_active = False
    membership.save()
    response = client.get(url)

    assert stored.status_code == 200
    assert response.status_code == 403


@pytest.mark.parametrize("page", ["dashboard", "caseload", "my_move"])
def test_a_superusers_pages_are_rendered_on_every_read(client, school_world, page):
    url = reverse(page)
    _stored(_signed_in(client, school_world, "root"), url)

    served, queries = _get(client, url)

    assert served.status_code == 200
    assert queries > 0
    assert _local_pages() == []


def test_an_htmx_request_gets_the_table_not_the_cached_full_page(client, school_world):
    url = reverse("caseload")
    full = _stored(_signed_in(client, school_world, "coach1"), url)

    partial = client.get(url, headers={"HX-Request": "true"})

    assert "<html" in full.content.decode()
    assert "<html" not in partial.content.decode()
    assert 'id="caseload-table"' in partial.content.decode()


# --- 5. Messages to show -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "storage",
    [
        "django.contrib.messages.storage.fallback.FallbackStorage",  # the default: a cookie
        "django.contrib.messages.storage.session.SessionStorage",
    ],
)
def test_a_page_with_a_message_to_show_is_rendered_and_shows_it(
    client, school_world, settings, storage
):
    settings.MESSAGE_STORAGE = storage
    done = RevisitFactory(
        cycle=school_world.c1a, status=RevisitStatus.DONE, completed_on=timezone.localdate()
    )
    url = reverse("caseload")
    _stored(_signed_in(client, school_world, "coach1"), url)

    client.get(reverse("revisit_move", args=[done.pk]))  # adds a message, writes nothing
    shown, shown_queries = _get(client, url)
    _drop_expired_cookies(client)
    again, again_queries = _get(client, url)

    assert "This revisit is done." in shown.content.decode()
    assert shown_queries > 0
    assert "This revisit is done." not in again.content.decode()
    assert again_queries == 0  # the page stored before the message still serves


# --- 6. Only a plain 200 is stored -------------------------------------------------------------


def test_a_refused_page_is_never_stored(client, school_world):
    """The app's refusals are raised (PermissionDenied), so the next two tests check the
    responses the decorator itself sees."""
    url = reverse("my_move")  # for teachers, not coaches
    _stored(_signed_in(client, school_world, "coach1"), url)

    refused, queries = _get(client, url)

    assert refused.status_code == 403
    assert queries > 0
    assert _local_pages() == []


@pytest.fixture
def page_request(rf, db):
    """A signed-in GET as the middleware leaves it (session, CSRF cookie, user with version),
    for a view of this module's own."""
    user = UserFactory()

    def make():
        request = rf.get("/somewhere/?x=1")
        request.COOKIES[django_settings.CSRF_COOKIE_NAME] = "a" * 32
        request.session = SessionStore()
        request.session[SESSION_KEY] = str(user.pk)
        request.user = VersionedCacheModelBackend().get_user(user.pk)
        return request

    return make


def _counting_view(response: Callable[[], HttpResponse]):
    calls = []

    @versioned_page(lambda request: ["school:1"])
    def view(request):
        calls.append(request)
        return response()

    return view, calls


def _ok() -> HttpResponse:
    return HttpResponse("the page")


def _with_cookie() -> HttpResponse:
    response = _ok()
    response.set_cookie("flavour", "oat")
    return response


def _no_store() -> HttpResponse:
    response = _ok()
    response["Cache-Control"] = "no-store"
    return response


def test_a_plain_200_is_rendered_once_and_then_served(page_request):
    view, calls = _counting_view(_ok)

    responses = [view(page_request()) for _ in range(3)]

    assert len(calls) == 1
    assert [r.content for r in responses] == [b"the page"] * 3


@pytest.mark.parametrize(
    "response",
    [
        lambda: HttpResponse("refused", status=403),
        lambda: HttpResponse("gone", status=404),
        lambda: HttpResponseRedirect("/elsewhere/"),
        lambda: HttpResponse("created", status=201),
        lambda: StreamingHttpResponse(iter([b"a", b"b"])),
        _with_cookie,
        _no_store,
    ],
    ids=["403", "404", "302", "201", "streaming", "sets-a-cookie", "no-store"],
)
def test_a_response_other_than_a_plain_200_is_rendered_every_time(page_request, response):
    view, calls = _counting_view(response)

    statuses = [view(page_request()).status_code for _ in range(3)]

    assert len(calls) == 3
    assert statuses == [response().status_code] * 3


# --- 7. A CSV served from the cache ------------------------------------------------------------


def test_the_dashboard_csv_served_from_the_cache_is_still_a_csv_attachment(client, school_world):
    url = reverse("dashboard") + "?format=csv"
    _signed_in(client, school_world, "principal_a").get(reverse("dashboard"))  # the CSRF cookie
    stored = client.get(url)

    served, queries = _get(client, url)

    assert queries == 0
    assert served.content == stored.content
    assert served["Content-Type"] == stored["Content-Type"] == "text/csv; charset=utf-8"
    assert served["Content-Disposition"] == stored["Content-Disposition"]
    assert served["Content-Disposition"].startswith('attachment; filename="dashboard-')


# --- Pages that show other people and other schools ----------------------------------------------


def test_the_principal_sees_a_coachs_new_name_on_the_dashboard(client, school_world):
    w = school_world
    url = reverse("dashboard")
    _stored(_signed_in(client, w, "principal_a"), url)

    w.coach1.first_name, w.coach1.last_name = "Zebedee", "Quux"
    w.coach1.save()
    page = client.get(url).content.decode()

    assert "Zebedee Quux" in page


def test_a_district_leader_sees_a_coach_added_at_a_school_new_to_the_district(client, school_world):
    w = school_world
    url = reverse("dashboard")
    _stored(_signed_in(client, w, "leader"), url)
    school = SchoolFactory(district=w.district, name="School D")
    assert "School D" in client.get(url).content.decode()  # GLOBAL was bumped

    coach = UserFactory(first_name="Newcoach", last_name="Dee")
    MembershipFactory(user=coach, role=Role.COACH, school=school)
    page = client.get(url).content.decode()

    assert "Newcoach Dee" in page


# --- 8. Data versions ---------------------------------------------------------------------------

SCOPES = ["school:1", "school:2", "user:3"]


def test_a_bump_gives_a_scope_a_new_random_token_each_time(db):
    seen = [data_versions(scopes=SCOPES)["school:1"]]

    for _ in range(3):
        data_versions_bump(scopes=["school:1"])
        seen.append(data_versions(scopes=SCOPES)["school:1"])

    assert len(set(seen)) == 4
    assert all(re.fullmatch(r"[0-9a-f]{16}", token) for token in seen)


def test_a_bump_of_two_scopes_renews_both_and_leaves_a_third_alone(db):
    before = data_versions(scopes=SCOPES)

    data_versions_bump(scopes=["school:1", "user:3"])
    after = data_versions(scopes=SCOPES)

    assert after["school:1"] != before["school:1"]
    assert after["user:3"] != before["user:3"]
    assert after["school:2"] == before["school:2"]


def test_a_scope_read_twice_without_a_bump_keeps_its_version(db):
    assert data_versions(scopes=SCOPES) == data_versions(scopes=SCOPES)


def test_a_bump_in_a_transaction_renews_the_version_again_when_it_commits(
    db, django_capture_on_commit_callbacks
):
    before = data_versions(scopes=SCOPES)["school:1"]

    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        data_versions_bump(scopes=["school:1"])
    at_once = data_versions(scopes=SCOPES)["school:1"]
    for callback in on_commit:
        callback()
    committed = data_versions(scopes=SCOPES)["school:1"]

    assert len(on_commit) == 1
    assert len({before, at_once, committed}) == 3


@pytest.mark.django_db(transaction=True)
def test_a_bump_outside_a_transaction_renews_the_version_once_at_once(
    django_capture_on_commit_callbacks,
):
    before = data_versions(scopes=SCOPES)["school:1"]

    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        data_versions_bump(scopes=["school:1"])

    assert data_versions(scopes=SCOPES)["school:1"] != before
    assert on_commit == []


def test_with_the_versioned_cache_off_a_bump_does_nothing(
    db, settings, django_capture_on_commit_callbacks
):
    settings.VERSIONED_CACHE = False
    before = data_versions(scopes=SCOPES)

    with django_capture_on_commit_callbacks(execute=True) as on_commit:
        data_versions_bump(scopes=["school:1"])

    assert data_versions(scopes=SCOPES) == before
    assert on_commit == []


# --- 9. A cache outage costs a render, not the page ---------------------------------------------


def _shared_cache_down(settings) -> None:
    """The shared cache pointed at a Redis where nothing listens; the process's own cache
    (LocMemCache, kept by its name) stays."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": DEAD_REDIS},
    }


@pytest.fixture
def db_sessions(settings):
    """Sessions in the database alone: the page cache's own fallback, whatever the sessions."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    return settings


@pytest.mark.parametrize(("who", "page"), CACHED_PAGES)
def test_with_the_shared_cache_down_a_cached_view_still_renders_its_page(
    client, school_world, db_sessions, who, page
):
    _shared_cache_down(db_sessions)
    url = reverse(page)
    _signed_in(client, school_world, who)

    responses = [_get(client, url) for _ in range(3)]

    assert [r.status_code for r, _ in responses] == [200, 200, 200]
    assert all(queries > 0 for _, queries in responses)  # rendered each time
    assert "<main" in responses[-1][0].content.decode()


@pytest.mark.parametrize(("who", "page"), CACHED_PAGES)
def test_a_page_cached_before_the_shared_cache_went_down_is_rendered_during_the_outage(
    client, school_world, db_sessions, caplog, who, page
):
    url = reverse(page)
    stored = _stored(_signed_in(client, school_world, who), url)
    _shared_cache_down(db_sessions)

    with caplog.at_level(logging.ERROR, logger="core.page_cache"):
        rendered, queries = _get(client, url)

    assert rendered.status_code == 200
    assert queries > 0
    assert _without_tokens(rendered.content) == _without_tokens(stored.content)
    assert "Page cache unavailable" in caplog.text


def test_with_the_shared_cache_down_a_page_still_renders_on_cached_db_sessions(
    client, school_world, settings
):
    client.force_login(school_world.t1a.user)
    _shared_cache_down(settings)  # SESSION_ENGINE stays core.sessions, as config/settings says

    response = client.get(reverse("my_move"))

    assert response.status_code == 200
