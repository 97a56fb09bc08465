"""API tokens (django-rest-knox) and their page, the schema and the docs page."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from api import services
from coaching.models import TimeEntry

pytestmark = pytest.mark.django_db


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _created_token(response) -> str:
    match = re.search(r'id="new-token"[^>]*value="([0-9a-f]+)"', response.content.decode())
    assert match, "the new token is shown"
    return match[1]


def test_token_lifecycle_on_the_page(school_world):
    w = school_world
    client = page_client(w.coach1)
    response = client.get("/api/tokens/")
    assert response.status_code == 200 and "You have no API token." in response.content.decode()
    response = client.post("/api/tokens/", {"action": "create"})
    assert response.status_code == 200
    token = _created_token(response)
    stored = AuthToken.objects.get(user=w.coach1)
    assert token not in (stored.digest, stored.token_key)  # only a hash is stored
    assert stored.expiry > timezone.now() + datetime.timedelta(days=80)
    # Shown once: the list shows its first characters and dates, never the token.
    listing = client.get("/api/tokens/").content.decode()
    assert token not in listing and stored.token_key[:8] in listing
    assert response["Cache-Control"].startswith("max-age=0")
    # It works, as this coach.
    api = token_client(token)
    assert api.get("/api/v1/cycles/").json()["count"] == 3
    # Revoked: it stops at once.
    response = client.post("/api/tokens/", {"action": "revoke", "token_key": stored.token_key})
    assert response.status_code == 302
    assert api.get("/api/v1/cycles/").status_code == 401
    assert client.post("/api/tokens/", {"action": "bogus"}).status_code == 400


def test_one_cannot_revoke_anothers_token(school_world):
    w = school_world
    instance, token = services.api_token_create(user=w.coach2)
    page_client(w.coach1).post(
        "/api/tokens/", {"action": "revoke", "token_key": instance.token_key}
    )
    assert token_client(token).get("/api/v1/schools/").status_code == 200


def test_expired_and_deactivated_tokens_stop_working(school_world):
    w = school_world
    instance, token = services.api_token_create(user=w.coach1)
    client = token_client(token)
    assert client.get("/api/v1/schools/").status_code == 200
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - datetime.timedelta(1))
    assert client.get("/api/v1/schools/").status_code == 401
    _, token = services.api_token_create(user=w.coach2)
    w.coach2.is_active = False
    w.coach2.save()
    assert token_client(token).get("/api/v1/schools/").status_code == 401
    assert token_client("0" * 64).get("/api/v1/schools/").status_code == 401


def test_session_auth_keeps_csrf(school_world):
    w = school_world
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.coach1)
    assert client.get("/api/v1/cycles/").status_code == 200
    data = {"school": w.school_a.id, "minutes": 10, "category": "admin"}
    response = client.post("/api/v1/time-entries/", data)
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_schema_validates_and_needs_sign_in(school_world, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert APIClient().get("/api/schema/").status_code == 401
    response = page_client(school_world.coach1).get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/cycles/{cycle_id}/close/" in paths
    assert "delete" not in {method for ops in paths.values() for method in ops}
    assert "put" not in paths["/api/v1/time-entries/{entry_id}/"]


def test_docs_page_serves_swagger_ui_from_our_files(school_world):
    assert Client().get("/api/docs/").status_code == 302  # sign in first
    client = page_client(school_world.coach1)
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<style" not in html and "cdn" not in html.lower()
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    script = client.get("/api/docs/?script")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_a_new_password_ends_the_accounts_tokens_and_a_sign_in_does_not(school_world):
    w = school_world
    _, token = services.api_token_create(user=w.coach1)
    _, others = services.api_token_create(user=w.coach2)
    client = page_client(w.coach1)  # signing in saves the last sign-in time: tokens stay
    assert token_client(token).get("/api/v1/schools/").status_code == 200
    w.coach1.first_name = "Renamed"
    w.coach1.save()  # a save that keeps the password: tokens stay
    assert token_client(token).get("/api/v1/schools/").status_code == 200
    w.coach1.set_password("a-whole-new-passphrase-2026")
    w.coach1.save()
    assert token_client(token).get("/api/v1/schools/").status_code == 401
    assert token_client(others).get("/api/v1/schools/").status_code == 200
    assert client.get("/api/tokens/").status_code == 302  # the session ended too (Django)


@pytest.mark.parametrize("key", ["ab\x00cd", "zz\u00e9\u00e9", "' OR 1=1 --", ""])
def test_revoking_a_key_that_is_not_a_tokens_key_revokes_nothing_and_never_fails(school_world, key):
    """A NUL in the key was a 500 on PostgreSQL, which refuses it in a query."""
    w = school_world
    _, token = services.api_token_create(user=w.coach1)

    response = page_client(w.coach1).post("/api/tokens/", {"action": "revoke", "token_key": key})

    assert response.status_code == 302
    assert token_client(token).get("/api/v1/schools/").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        "[" * 50_000 + "]" * 50_000,  # deep enough for Python's recursion limit: was a 500
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        '{"school": ' + "[" * 33 + "1" + "]" * 33 + "}",  # past the bound, under the limit
    ],
    ids=["array-50000", "object-50000", "array-33"],
)
def test_a_json_body_nested_too_deep_is_a_400_with_the_reason_and_saves_nothing(school_world, body):
    w = school_world
    client = page_client(w.coach1)
    before = TimeEntry.objects.count()

    response = client.post("/api/v1/time-entries/", body, content_type="application/json")
    shallow = client.post(
        "/api/v1/time-entries/",
        {"school": w.school_a.id, "minutes": 10, "category": "admin"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "nested deeper than 32 levels" in response.json()["detail"]
    assert shallow.status_code == 201  # the same write, nested as the API expects, saves
    assert TimeEntry.objects.count() == before + 1
