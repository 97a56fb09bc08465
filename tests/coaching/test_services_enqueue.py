"""Jobs queued by a write (coaching.services.briefs._enqueue_on_commit): queued after the commit,
never waiting for a result, and a broker that is down never fails the write that queued them.
A real Redis outage under gunicorn and a worker is in tests/test_faults.py."""

import datetime
import logging

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from coaching.services import context_brief_mark_stale
from coaching.tasks import context_brief_build
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_brief():
    return f.ContextBriefFactory(
        cycle=f.AgreedMoveFactory().cycle,
        built_at=timezone.now() - datetime.timedelta(hours=1),
        is_stale=False,
    )


def test_the_rebuild_is_queued_after_the_commit_without_a_result_to_wait_for(
    fresh_brief, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        context_brief_build, "apply_async", lambda *args, **options: sent.append((args, options))
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert context_brief_mark_stale(cycle_id=fresh_brief.cycle_id) == 1
    assert sent == []  # nothing before the commit
    for callback in callbacks:
        callback()

    [(args, options)] = sent
    assert args[0] == (fresh_brief.cycle_id,)
    assert options["ignore_result"] is True  # no result-store subscription in the request


def test_a_broker_that_is_down_does_not_fail_the_write_and_is_logged(
    fresh_brief, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broker_down(*args, **options):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(context_brief_build, "apply_async", broker_down)

    with (
        caplog.at_level(logging.WARNING, logger="coaching.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert context_brief_mark_stale(cycle_id=fresh_brief.cycle_id) == 1

    fresh_brief.refresh_from_db()
    assert fresh_brief.is_stale is True  # the write stands; the sweep rebuilds it
    assert f"Could not queue coaching.tasks.context_brief_build({fresh_brief.cycle_id},)" in (
        caplog.text
    )
    assert "Connection refused" in caplog.text
