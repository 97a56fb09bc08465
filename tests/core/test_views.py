"""/health/: a bare "ok" for anyone (a liveness probe, `make run` waits for it), the worker's
heartbeat and the jobs' last runs for signed-in staff only."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import Heartbeat, JobRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beat():
    """A worker beat 30 seconds ago, and a job ran."""
    JobRun.objects.create(
        name="context briefs",
        runs=3,
        last_started_at=timezone.now(),
        last_finished_at=timezone.now(),
        last_result={"queued": 2},
    )
    return Heartbeat.objects.create(
        name="worker",
        last_seen=timezone.now() - datetime.timedelta(seconds=30),
        worker="celery@school-server",
        beats=42,
    )


def test_health_tells_an_anonymous_visitor_only_that_the_app_is_up(client, beat):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]  # no cache hands the details on


def test_health_tells_a_signed_in_user_who_is_not_staff_only_that_the_app_is_up(client, beat):
    client.force_login(UserFactory(is_staff=False))

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_gives_staff_the_workers_last_heartbeat_and_the_jobs(client, beat):
    client.force_login(UserFactory(is_staff=True))

    health = client.get("/health/").json()

    assert health["status"] == "ok" and health["database"] == "ok"
    assert health["worker"] == "ok"
    assert health["worker_last_heartbeat"] == beat.last_seen.isoformat()
    assert 30 <= health["worker_heartbeat_age_seconds"] < 40
    assert health["worker_name"] == "celery@school-server"
    assert health["heartbeats"] == 42
    assert health["jobs"]["context briefs"]["runs"] == 3
    assert health["jobs"]["context briefs"]["last_result"] == {"queued": 2}


def test_health_tells_staff_the_worker_is_silent_when_its_heartbeat_is_stale(client, beat):
    stale = settings.HEARTBEAT_STALE_AFTER_SECONDS + 60
    Heartbeat.objects.update(last_seen=timezone.now() - datetime.timedelta(seconds=stale))
    client.force_login(UserFactory(is_staff=True))

    health = client.get("/health/").json()

    assert health["worker"] == "silent"
    assert health["worker_heartbeat_age_seconds"] >= stale
    assert health["worker_name"] == "celery@school-server"


def test_health_tells_staff_the_worker_is_silent_when_it_never_beat(client):
    client.force_login(UserFactory(is_staff=True))

    health = client.get("/health/").json()

    assert health["worker"] == "silent"
    assert health["worker_last_heartbeat"] is None
    assert health["worker_heartbeat_age_seconds"] is None
    assert health["worker_name"] is None
    assert health["heartbeats"] == 0


@pytest.fixture
def embedded_broker(settings, tmp_path):
    """The embedded broker, its unreadable messages set aside in a folder of the test's."""
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"unreadable_folder": str(tmp_path)}
    return tmp_path


def test_health_tells_staff_how_many_job_messages_were_set_aside_as_unreadable(
    client, beat, embedded_broker
):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/health/").json()["unreadable_job_messages"] == 0

    (embedded_broker / "0001_a.celery.msg").write_bytes(b"")
    (embedded_broker / "0002_b.celery.msg").write_bytes(b"{")

    assert client.get("/health/").json()["unreadable_job_messages"] == 2


def test_health_counts_no_unreadable_messages_on_a_broker_server(client, beat, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/health/").json()["unreadable_job_messages"] is None
