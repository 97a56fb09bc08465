"""``Cache-Control: no-store, private`` (core.cache_control): on every page the access sweep knows,
as every signed-in role reads it, on every API response (a token's, an anonymous refusal), on a
page served from the page cache; not on an anonymous visitor's page, and never on the static
files, which keep their long cache."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import api_token_create
from core.cache_control import PrivateResponseMiddleware
from tests.test_access_sweep import (  # noqa: F401  (sweep: a fixture, through rows)
    ROLES,
    client_for,
    id_routes,
    owner_client,
    plain_routes,
    plausible_data,
    send,
    sweep,
    user_of,
)

pytestmark = pytest.mark.django_db


def _private(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives and "public" not in directives


@pytest.fixture
def rows(request):
    """The access sweep's rows (targets A, B, OLD and FRESH on coach1's caseload)."""
    return request.getfixturevalue("sweep")


def test_every_page_of_every_signed_in_role_is_sent_no_store_and_private(rows):
    """Every id route at every target as its owner (whatever the status: a page, a redirect, a
    405) and as a coach of another school (refused), and every page without an id as each
    signed-in role of the sweep, plain and HTMX."""
    problems = []
    checked = 0
    owner = client_for(rows.world.coach1)
    for label, target in rows.targets.items():
        for route in id_routes():
            client = owner_client(route, rows, owner, target)
            if client is None:
                continue
            url = route.url_for(target)
            response, _ = send(client, "GET", url, plausible_data(route.name, target, rows.tz))
            checked += 1
            if not _private(response):
                problems.append(f"{label} {url}: {response.get('Cache-Control')!r}")
    # A refusal (404) to a signed-in user is no page to keep either.
    outsider = client_for(user_of(rows, "coach_b (other school)"))
    target = rows.targets["A"]
    for route in id_routes():
        url = route.url_for(target)
        response, _ = send(outsider, "GET", url, {})
        checked += 1
        if not _private(response):
            problems.append(f"coach_b {url}: {response.get('Cache-Control')!r}")
    signed_in = [role for role, spec in ROLES.items() if spec.user is not None]
    for role in signed_in:
        client = client_for(user_of(rows, role))
        for route in plain_routes():
            for method in ("GET", "GET (HTMX)"):
                response, _ = send(client, method, "/" + route.route, {})
                checked += 1
                if not _private(response):
                    problems.append(
                        f"{role} {method} /{route.route}: {response.get('Cache-Control')!r}"
                    )

    assert not problems, "\n".join(problems)
    assert checked >= len(id_routes()) * len(rows.targets)  # the loops did run


def test_a_page_served_from_the_page_cache_is_no_store_too(school_world):
    client = Client()
    client.force_login(school_world.coach1)
    url = reverse("caseload")
    client.get(url)  # the CSRF cookie
    client.get(url)  # rendered and stored

    with CaptureQueriesContext(connection) as queries:
        served = client.get(url)

    assert served.status_code == 200
    assert len(queries) == 0  # from the page cache: the header did not stop it storing pages
    assert _private(served)


def test_every_api_response_is_no_store_for_a_token_and_for_an_anonymous_refusal(school_world):
    _, token = api_token_create(user=school_world.coach1)
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    listed = with_token.get("/api/v1/cycles/")
    refused = APIClient().get("/api/v1/cycles/")

    assert listed.status_code == 200
    assert refused.status_code in (401, 403)
    assert _private(listed)
    assert _private(refused)


def _through_middleware(user_id, path: str = "/caseload/") -> HttpResponse:
    request = RequestFactory().get(path)
    request.session = {"_auth_user_id": user_id} if user_id else {}
    request.user = AnonymousUser()

    def view(_request):
        response = HttpResponse("page")
        response["Cache-Control"] = "public, max-age=600"
        return response

    return PrivateResponseMiddleware(view)(request)


def test_the_header_replaces_a_public_cache_for_a_signed_in_user_and_leaves_anonymous_alone():
    signed_in = _through_middleware("7")
    anonymous = _through_middleware(None)
    anonymous_api = _through_middleware(None, "/api/v1/schools/")

    assert _private(signed_in)
    assert anonymous["Cache-Control"] == "public, max-age=600"
    assert _private(anonymous_api)


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_MAX_AGE=31_536_000)
def test_static_files_keep_their_long_cache_for_a_signed_in_user(school_world):
    client = Client()  # made after the override: its WhiteNoise finds the app's static files
    client.force_login(school_world.coach1)

    response = client.get("/static/css/app.css")

    assert response.status_code == 200
    assert "max-age=31536000" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]
