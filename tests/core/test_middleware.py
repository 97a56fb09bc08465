"""core.middleware: a database that cannot be reached gives a clear 503 with Retry-After (JSON
for the live observation's script, a page for people), never a 500 traceback; other errors are
left alone. Outages of a real PostgreSQL are in tests/test_faults.py."""

import uuid

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from core.middleware import NOT_SAVED, NOT_SHOWN, RETRY_AFTER_SECONDS
from live_observation import views as observation_views
from observations.models import ObservationNote

pytestmark = pytest.mark.django_db

JSON_HEADERS = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}
DOWN = OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


@pytest.fixture
def coach(school_world) -> Client:
    """coach1, signed in; errors come back as responses, as a browser gets them."""
    client = Client(raise_request_exception=False)
    client.force_login(school_world.coach1)
    return client


def _note(observation, text: str = "Hands up for the hinge question.") -> tuple[str, dict]:
    url = reverse("observation_entry", args=[observation.pk])
    return url, {"type": "note", "client_id": str(uuid.uuid4()), "text": text}


def _fail_saving_notes(monkeypatch, error: Exception) -> None:
    def add_note(**kwargs):
        raise error

    monkeypatch.setitem(observation_views._ADD, "note", (add_note, "noted_at"))


def _assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"  # the security headers still apply


def test_a_live_entry_while_the_database_is_down_gets_json_503_and_is_not_stored(
    coach, school_world, monkeypatch
):
    url, entry = _note(school_world.o1a)
    _fail_saving_notes(monkeypatch, DOWN)

    response = coach.post(url, entry, **JSON_HEADERS)

    _assert_unavailable(response)
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": "database_unavailable",
        "message": NOT_SAVED,
        "retry_after": RETRY_AFTER_SECONDS,
    }
    assert not ObservationNote.objects.filter(client_id=entry["client_id"]).exists()


def test_the_same_entry_sent_again_once_the_database_is_back_is_stored_once(
    coach, school_world, monkeypatch
):
    url, entry = _note(school_world.o1a)
    with monkeypatch.context() as down:
        _fail_saving_notes(down, DOWN)
        assert coach.post(url, entry, **JSON_HEADERS).status_code == 503

    first = coach.post(url, entry, **JSON_HEADERS)
    again = coach.post(url, entry, **JSON_HEADERS)

    assert (first.status_code, again.status_code) == (201, 201)
    assert ObservationNote.objects.filter(client_id=entry["client_id"]).count() == 1


@pytest.mark.parametrize("error", [DOWN, InterfaceError("connection already closed")])
def test_a_form_post_while_the_database_is_down_shows_the_page_saying_it_was_not_saved(
    coach, school_world, monkeypatch, error
):
    url, entry = _note(school_world.o1a)
    _fail_saving_notes(monkeypatch, error)

    response = coach.post(url, entry)

    _assert_unavailable(response)
    assert response["Content-Type"].startswith("text/html")
    assert response.headers.get("Content-Security-Policy")
    page = response.content.decode()
    assert "<title>Database unavailable · Coaching cycles</title>" in page
    assert "your entry was not saved" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert "connection" not in page  # the driver's message stays in the log


def test_a_page_while_the_database_is_down_says_it_cannot_be_shown(
    coach, school_world, monkeypatch
):
    def observation_get_for_user(**kwargs):
        raise DOWN

    monkeypatch.setattr(observation_views, "observation_get_for_user", observation_get_for_user)

    response = coach.get(reverse("observation_live", args=[school_world.o1a.pk]))

    _assert_unavailable(response)
    assert NOT_SHOWN in response.content.decode()


def test_a_database_error_in_a_middleware_below_it_also_gives_the_503(
    coach, school_world, monkeypatch
):
    """The school time zone is read from the user by a middleware, before any view."""

    def user_time_zone(**kwargs):
        raise DOWN

    monkeypatch.setattr("teachers.middleware.user_time_zone", user_time_zone)

    response = coach.get(reverse("observation_live", args=[school_world.o1a.pk]))

    _assert_unavailable(response)
    assert NOT_SHOWN in response.content.decode()


def test_other_errors_are_not_dressed_up_as_an_unavailable_database(
    coach, school_world, monkeypatch
):
    url, entry = _note(school_world.o1a)
    _fail_saving_notes(monkeypatch, RuntimeError("a bug"))

    response = coach.post(url, entry, **JSON_HEADERS)

    assert response.status_code == 500
    assert not response.has_header("Retry-After")
