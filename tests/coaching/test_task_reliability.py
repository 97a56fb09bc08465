"""A worker killed in the middle of a context brief leaves no half brief, and the job completes
once after a restart: a real worker process is killed with SIGKILL (no warm shutdown, no
chance to hand the job back) while it waits to write the brief.

Always on Redis, whatever broker the run is configured with: the filesystem transport does not
hand an unacknowledged message out again, Redis does once its visibility timeout has passed
(kombu restores such messages when a worker starts polling). The test uses its own queue on its
own Redis database, with a 5-second visibility timeout for its workers.
"""

import contextlib
import datetime
import json
import os
import time
import uuid
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from coaching.models import ContextBrief
from coaching.tasks import context_brief_build
from config.celery import app
from tests import factories as f
from tests.conftest import WorkerProcess, _missing, _reachable, start_worker

pytestmark = pytest.mark.worker

REDIS_DB = 13  # CI's runs use 14 and 15; this test's queue and unacked messages stay apart
VISIBILITY_TIMEOUT = 5  # seconds before Redis hands an unacknowledged message out again
TIMEOUT = 60
OLD_CONTENT = {"left_off": "The brief from before the new evidence."}


def _broker_url() -> str:
    """Redis database REDIS_DB on the run's Redis (or the local default one)."""
    configured = settings.CELERY_BROKER_URL
    parsed = urlparse(configured if configured.startswith("redis://") else "redis://127.0.0.1")
    return f"redis://{parsed.hostname or '127.0.0.1'}:{parsed.port or 6379}/{REDIS_DB}"


def _unacked_on(client: redis.Redis, queue: str) -> list[str]:
    """Delivery tags of the queue's messages a worker took and never acknowledged (kombu keeps
    them in the 'unacked' hash as [message, exchange, routing key])."""
    return [
        tag.decode()
        for tag, raw in client.hgetall("unacked").items()
        if json.loads(raw)[2] == queue
    ]


@pytest.fixture
def broker(transactional_db) -> Iterator[tuple[str, str, redis.Redis]]:
    """(Redis URL, a queue of this test's own, a client), the queue's keys removed after."""
    url = _broker_url()
    if not _reachable(url, 6379):
        _missing(f"Redis at {url} is not reachable (the kill test needs a broker that redelivers)")
    queue = f"reliability-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(url)
    yield url, queue, client
    tags = _unacked_on(client, queue)
    if tags:
        client.hdel("unacked", *tags)
        client.zrem("unacked_index", *tags)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    pidbox = "_kombu.binding.celery.pidbox"  # the workers' remote-control bindings
    ours = [m for m in client.smembers(pidbox) if f"{queue}@".encode() in m]
    if ours:
        client.srem(pidbox, *ours)
    client.close()


@contextlib.contextmanager
def _brief_write_blocked(brief: ContextBrief) -> Iterator[None]:
    """Hold the lock the build's write waits for: on PostgreSQL the brief's row lock (the build
    locks the row with select_for_update), on SQLite the database's write lock (transactions
    begin IMMEDIATE there, so this block holds it from its start)."""
    with transaction.atomic():
        ContextBrief.objects.select_for_update().get(pk=brief.pk)
        yield


def _wait_until_blocked(worker: WorkerProcess, cycle_id: int) -> None:
    """Until the worker has started the brief and waits for the lock to store it."""
    started = f"Context brief for cycle {cycle_id}: start"
    deadline = time.monotonic() + TIMEOUT
    while not any(started in line for line in worker.output):
        if worker.process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"The worker did not start the brief:\n{worker.log()}", pytrace=False)
        time.sleep(0.05)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            while True:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    return
                if time.monotonic() > deadline:
                    pytest.fail(f"The worker never waited for the lock:\n{worker.log()}")
                time.sleep(0.05)
    # SQLite does not show who waits for its lock; assembling the brief takes milliseconds.
    time.sleep(1.5)


def _wait_for_brief(worker: WorkerProcess, brief: ContextBrief, **expected) -> ContextBrief:
    deadline = time.monotonic() + TIMEOUT
    while (found := ContextBrief.objects.filter(pk=brief.pk, **expected).first()) is None:
        if worker.process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"The restarted worker did not build the brief:\n{worker.log()}")
        time.sleep(0.2)
    return found


def test_a_worker_killed_mid_brief_leaves_no_half_brief_and_the_job_completes_once_after_restart(
    broker,
):
    url, queue, client = broker
    cycle = f.AgreedMoveFactory().cycle
    f.StudentEvidenceFactory(observation=f.ObservationFactory(cycle=cycle))
    old = f.ContextBriefFactory(  # last: a change to the cycle would mark a brief stale
        cycle=cycle,
        content=OLD_CONTENT,
        built_at=timezone.now() - datetime.timedelta(hours=2),
        changed_at=timezone.now() - datetime.timedelta(hours=1),
        is_stale=True,
        build_count=1,
    )
    worker_env = {"CELERY_BROKER_URL": url, "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
    workers: list[WorkerProcess] = []
    try:
        first = start_worker(queue, extra_env=worker_env, new_session=True)
        workers.append(first)
        with _brief_write_blocked(old):
            with app.connection_for_write(url) as publisher:
                job = context_brief_build.apply_async(
                    (cycle.pk,), queue=queue, connection=publisher
                )
            _wait_until_blocked(first, cycle.pk)
            taken_by = time.monotonic()  # the message was delivered before this
            first.kill()  # the main process and its pool child, mid-brief

        # No half brief: the stored one is exactly as it was.
        kept = ContextBrief.objects.get(pk=old.pk)
        assert (kept.content, kept.build_count, kept.is_stale, kept.built_at) == (
            OLD_CONTENT,
            1,
            True,
            old.built_at,
        )
        # The job was taken and never acknowledged: Redis still holds it for a redelivery.
        assert len(_unacked_on(client, queue)) == 1
        assert client.llen(queue) == 0

        # Once the visibility timeout has passed, a worker starting up takes the job back.
        time.sleep(max(0.0, taken_by + VISIBILITY_TIMEOUT + 1 - time.monotonic()))
        second = start_worker(queue, extra_env=worker_env, new_session=True)
        workers.append(second)
        rebuilt = _wait_for_brief(second, old, build_count__gt=1)
        deadline = time.monotonic() + TIMEOUT
        while _unacked_on(client, queue) or client.llen(queue):  # acknowledged after the build
            if time.monotonic() > deadline:
                pytest.fail(f"The job was never acknowledged:\n{second.log()}")
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.kill()

    # Completed once, in full.
    rebuilt.refresh_from_db()
    assert rebuilt.build_count == 2
    assert rebuilt.is_stale is False
    assert rebuilt.built_at > old.built_at
    assert rebuilt.content["move"]["next_day_action"] == cycle.agreed_move.next_day_action
    assert rebuilt.content["latest_evidence"] != []
    assert set(rebuilt.content) >= {"teacher", "move", "patterns", "profile", "open_commitments"}
    log = "".join(second.output)
    assert f"context_brief_build[{job.id}] succeeded" in log  # the very job the first one took
    assert log.count(f"Context brief for cycle {cycle.pk}: built") == 1
