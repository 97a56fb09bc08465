"""The admin's *Job runs* list shows the worker's last heartbeat on top, and warns when it is
stale or missing: a dead worker does not go unnoticed."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.models import Heartbeat, JobRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WARNING = re.compile(r'<li class="warning">(.*?)</li>', re.S)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _job_list(admin_client) -> str:
    JobRun.objects.create(name="revisit scheduling", runs=5, last_result={"scheduled": 2})
    response = admin_client.get(reverse("admin:core_jobrun_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "revisit scheduling" in body  # the list itself is still there, under the heartbeat
    return " ".join(body.split())


def _beat(seconds_ago: int) -> Heartbeat:
    return Heartbeat.objects.create(
        name="worker",
        last_seen=timezone.now() - datetime.timedelta(seconds=seconds_ago),
        worker="celery@school-server",
        beats=7,
    )


def test_job_list_shows_when_and_which_worker_last_beat(admin_client):
    beat = _beat(seconds_ago=90)

    page = _job_list(admin_client)

    assert "Worker heartbeat" in page
    assert f"Last heartbeat {timezone.localtime(beat.last_seen):%Y-%m-%d %H:%M:%S}" in page
    assert "(a minute ago)" in page
    assert "from celery@school-server" in page
    assert not WARNING.search(page)


def test_job_list_warns_when_the_heartbeat_is_stale(admin_client):
    stale = settings.HEARTBEAT_STALE_AFTER_SECONDS
    beat = _beat(seconds_ago=stale + 2 * 60 * 60)

    page = _job_list(admin_client)

    warning = WARNING.search(page).group(1)
    assert f"older than {stale} seconds" in warning
    assert f"{timezone.localtime(beat.last_seen):%Y-%m-%d %H:%M:%S}" in warning
    assert "2 hours ago" in warning
    assert "celery@school-server" in warning


def test_job_list_warns_when_no_worker_ever_beat(admin_client):
    page = _job_list(admin_client)

    warning = WARNING.search(page).group(1)
    assert "No heartbeat yet" in warning
    assert "Check that a Celery worker and beat are running" in warning


def test_job_list_warns_of_job_messages_set_aside_as_unreadable(admin_client, settings, tmp_path):
    _beat(seconds_ago=10)
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"unreadable_folder": str(tmp_path)}
    assert not [w for w in WARNING.findall(_job_list(admin_client)) if "unreadable" in w]

    (tmp_path / "0001_a.celery.msg").write_bytes(b"")
    JobRun.objects.all().delete()

    [warning] = WARNING.findall(_job_list(admin_client))
    assert f"1 job message could not be read and was set aside in {tmp_path}" in warning
