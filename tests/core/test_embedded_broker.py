"""The embedded job queue (core/embedded_broker.py): whole messages only, each taken once and
kept until acknowledged, a dead worker's messages back in the queue, unreadable files set aside
without stopping the worker. The stress test at the end runs on whichever broker this run is
configured for (the embedded default, or Redis on CI's second leg)."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from kombu import Exchange, Queue
from kombu.transport.virtual import BrokerState
from kombu.utils.imports import symbol_by_name
from kombu.utils.json import dumps

from core.embedded_broker import Transport, unreadable_messages
from core.tasks import heartbeat
from tests.conftest import ROOT, start_worker, worker_env
from tests.core.broker_support import TRANSPORT
from tests.core.broker_support import connect as _connect
from tests.core.stress_jobs import RECORD

EMBEDDED = settings.CELERY_BROKER_URL.startswith("filesystem://")
embedded_only = pytest.mark.skipif(
    not EMBEDDED, reason="the embedded broker's own files (this run uses a broker server)"
)


def test_the_embedded_default_url_means_our_transport_and_other_urls_keep_theirs():
    from kombu.transport.redis import Transport as RedisTransport

    from config.celery import app

    with app.connection_for_write("filesystem://") as conn:
        assert conn.get_transport_cls() is Transport
    with app.connection_for_write("redis://127.0.0.1:6379/0") as conn:
        assert conn.get_transport_cls() is RedisTransport


# --- The transport on its own, in a folder of the test's ---------------------------------------


@pytest.fixture(autouse=True)
def _fresh_broker_state(monkeypatch):
    """kombu keeps the bindings a process declared in one state per transport class; each test
    has folders of its own, so it starts with no binding declared."""
    monkeypatch.setattr(symbol_by_name(TRANSPORT), "global_state", BrokerState())


def test_a_message_being_written_is_not_seen_by_a_consumer(tmp_path, monkeypatch):
    """The race of kombu issue #1551, made certain: the producer stops half-way through
    publishing, and a consumer looks at the queue right then."""
    halfway, go_on = threading.Event(), threading.Event()

    def slow_dumps(payload, *args, **kwargs):
        if isinstance(payload, dict) and "properties" in payload:  # a message, not a table
            halfway.set()
            go_on.wait(10)
        return dumps(payload, *args, **kwargs)

    monkeypatch.setattr(symbol_by_name(TRANSPORT).Channel.__module__ + ".dumps", slow_dumps)
    with _connect(tmp_path) as conn:  # the consumer's queue exists before the producer starts
        queue = conn.SimpleQueue("jobs")
        producer = threading.Thread(target=_publish, args=(tmp_path, {"job": 1}))
        producer.start()
        try:
            assert halfway.wait(10)
            with pytest.raises(queue.Empty):  # nothing to take yet, and no error either
                queue.get(timeout=0.2)
        finally:
            go_on.set()
            producer.join(10)
        message = queue.get(timeout=1)
        message.ack()
    assert message.payload == {"job": 1}


def _publish(root: Path, body: dict, queue: str = "jobs") -> None:
    with _connect(root) as conn:
        q = Queue(queue, Exchange(queue), routing_key=queue)
        conn.Producer().publish(
            body, exchange=q.exchange, routing_key=queue, declare=[q], serializer="json"
        )


def _queue_files(root: Path) -> list[str]:
    return sorted(os.listdir(root / "queue"))


def _claimed_files(root: Path) -> list[Path]:
    return sorted((root / "claimed").glob("*/*.msg"))


def _drop_file(root: Path, content: bytes, queue: str = "jobs") -> Path:
    """A message file as an outside hand would leave it: older than anything queued since."""
    path = root / "queue" / f"000000000000001_{uuid.uuid4()}.{queue}.msg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_a_published_message_is_delivered_whole_and_no_temporary_file_stays(tmp_path):
    _publish(tmp_path, {"job": 1})

    assert not os.listdir(tmp_path / "tmp")
    [name] = _queue_files(tmp_path)
    assert json.loads((tmp_path / "queue" / name).read_text())["properties"]["delivery_tag"]
    with _connect(tmp_path) as conn:
        message = conn.SimpleQueue("jobs").get(timeout=1)
        assert message.payload == {"job": 1}
        message.ack()


@pytest.mark.parametrize(
    ("what", "content"),
    [
        ("empty", b""),
        ("cut", b'{"body": "eyJqb2IiOiAxfQ==", "properties": {"deliv'),
        ("not a message", b"[1, 2, 3]"),
        ("no delivery tag", b'{"body": "", "properties": {"delivery_info": {}}}'),
    ],
)
def test_an_unreadable_message_file_is_set_aside_and_the_next_message_delivered(
    tmp_path, caplog, what, content
):
    dropped = _drop_file(tmp_path, content)
    _publish(tmp_path, {"job": "after"})

    with caplog.at_level(logging.ERROR, logger="core.embedded_broker"), _connect(tmp_path) as conn:
        message = conn.SimpleQueue("jobs").get(timeout=1)
        message.ack()

    assert message.payload == {"job": "after"}
    assert (tmp_path / "unreadable" / dropped.name).read_bytes() == content
    assert unreadable_messages(tmp_path / "unreadable") == 1
    assert not _queue_files(tmp_path)
    assert any(dropped.name in r.getMessage() for r in caplog.records), caplog.text


def test_a_taken_message_stays_on_disk_until_it_is_acknowledged(tmp_path):
    _publish(tmp_path, {"job": 1})

    with _connect(tmp_path) as conn:
        message = conn.SimpleQueue("jobs").get(timeout=1)
        assert not _queue_files(tmp_path)
        assert len(_claimed_files(tmp_path)) == 1
        message.ack()
        assert not _claimed_files(tmp_path)


def test_a_message_not_acknowledged_at_shutdown_goes_back_to_the_queue(tmp_path):
    _publish(tmp_path, {"job": 1})

    with _connect(tmp_path) as conn:
        queue = conn.SimpleQueue("jobs")
        assert queue.get(timeout=1).payload == {"job": 1}
        queue.close()  # closes the channel: kombu gives back what was not acknowledged

    assert not _claimed_files(tmp_path)
    with _connect(tmp_path) as conn:
        again = conn.SimpleQueue("jobs").get(timeout=1)
        assert again.payload == {"job": 1}
        assert again.delivery_info["redelivered"] is True
        again.ack()


TAKE_AND_HOLD = """
import os, signal, sys, time
sys.path.insert(0, {root!r})
from tests.core.broker_support import TRANSPORT
from tests.core.broker_support import connect as _connect
from pathlib import Path
conn = _connect(Path({folder!r}))
message = conn.SimpleQueue("jobs").get(timeout=5)
print("took", message.payload["job"], flush=True)
if {die!r}:
    os.kill(os.getpid(), signal.SIGKILL)  # no shutdown: the message is never given back
time.sleep(60)
"""


def _take_in_another_process(folder: Path, *, die: bool) -> subprocess.Popen:
    code = TAKE_AND_HOLD.format(root=str(ROOT), folder=str(folder), die=die)
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "took 1"
    return process


def test_messages_taken_by_a_killed_process_come_back_to_the_queue(tmp_path):
    _publish(tmp_path, {"job": 1})
    taker = _take_in_another_process(tmp_path, die=True)
    assert taker.wait(10) == -signal.SIGKILL
    assert not _queue_files(tmp_path) and len(_claimed_files(tmp_path)) == 1

    with _connect(tmp_path) as conn:
        message = conn.SimpleQueue("jobs").get(timeout=1)
        message.ack()

    assert message.payload == {"job": 1}
    assert message.delivery_info["redelivered"] is True
    assert not _claimed_files(tmp_path)
    # The dead process's claim folder is gone; only this process's own remains.
    assert [f.name for f in (tmp_path / "claimed").iterdir() if f"-{taker.pid}-" in f.name] == []


def test_messages_taken_by_a_live_process_stay_with_it(tmp_path):
    _publish(tmp_path, {"job": 1})
    taker = _take_in_another_process(tmp_path, die=False)
    try:
        with _connect(tmp_path) as conn:
            channel = conn.default_channel
            assert channel.claims_restore_abandoned() == 0
            assert not _queue_files(tmp_path)
            with pytest.raises(conn.SimpleQueue("jobs").Empty):
                conn.SimpleQueue("jobs").get(timeout=0.2)
    finally:
        taker.kill()
        taker.wait()
    with _connect(tmp_path) as conn:  # its process is gone now: the message is free again
        assert conn.default_channel.claims_restore_abandoned() == 1
        assert len(_queue_files(tmp_path)) == 1


BIND = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from kombu import Exchange, Queue
from kombu.transport.virtual import BrokerState
from kombu.utils.imports import symbol_by_name
from kombu.utils.json import dumps
from tests.core.broker_support import TRANSPORT
from tests.core.broker_support import connect as _connect
start = {start!r}
time.sleep(max(0, start - time.time()))
with _connect(Path({folder!r})) as conn:
    Queue({queue!r}, Exchange("shared"), routing_key={queue!r})(conn.default_channel).declare()
"""


def test_workers_declaring_queues_at_once_keep_every_binding(tmp_path):
    queues = [f"q{n}" for n in range(8)]
    start = time.time() + 2  # all at the same moment, once their interpreters are up
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                BIND.format(root=str(ROOT), folder=str(tmp_path), queue=q, start=start),
            ],
            cwd=ROOT,
        )
        for q in queues
    ]
    assert [p.wait(30) for p in processes] == [0] * len(queues)

    with _connect(tmp_path) as conn:
        table = conn.default_channel.get_table("shared")
    assert sorted(row.queue for row in table) == queues


# --- A real worker -------------------------------------------------------------------------------


@embedded_only
def test_the_worker_sets_aside_an_empty_message_file_and_goes_on(celery_worker):
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    queue_dir, unreadable_dir = Path(options["data_folder_in"]), Path(options["unreadable_folder"])
    dropped = queue_dir / f"000000000000001_{uuid.uuid4()}.{celery_worker.queue}.msg"
    dropped.write_bytes(b"")

    payload = heartbeat.apply_async(queue=celery_worker.queue).get(timeout=60)

    assert payload["beats"] >= 1
    assert celery_worker.process.poll() is None, celery_worker.log()
    assert (unreadable_dir / dropped.name).exists()
    assert "Set aside an unreadable job message" in celery_worker.log()
    (unreadable_dir / dropped.name).unlink()


def _lines(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@embedded_only
def test_a_job_in_hand_when_the_worker_is_killed_runs_on_the_next_worker(django_db_setup, tmp_path):
    from config.celery import app

    queue, out = f"killed-{uuid.uuid4().hex[:8]}", tmp_path / "done.txt"
    first = start_worker(queue, include="tests.core.stress_jobs", new_session=True)
    try:
        app.send_task(RECORD, args=[7, str(out)], kwargs={"hold_seconds": 30}, queue=queue)
        _wait_for(lambda: _lines(Path(f"{out}.started")) == [7], 60, "the job to start")
        first.kill()  # SIGKILL to the worker and its pool: no shutdown, nothing given back
    finally:
        first.stop()
    assert _lines(out) == []

    second = start_worker(queue, include="tests.core.stress_jobs")
    try:
        _wait_for(lambda: _lines(out) == [7], 90, "the job to run again")
        assert _lines(Path(f"{out}.started")) == [7, 7]
    finally:
        second.stop()


# --- Stress: several producers, thousands of jobs, one real worker -------------------------------

PRODUCERS = 4
JOBS_EACH = 500
PAUSE = 0.03  # each producer sends a job every 30 ms: a trickle the worker keeps up with
POLLING = "0.01"  # the worker looks at the queue folder 100 times a second


def _run_until_idle(out: Path, total: int, worker, idle_seconds: float = 30) -> None:
    """Until ``total`` jobs ran, the worker died, or nothing ran for ``idle_seconds``."""
    seen, last_progress = -1, time.monotonic()
    while worker.process.poll() is None and time.monotonic() - last_progress < idle_seconds:
        done = len(_lines(out))
        if done >= total:
            return
        if done != seen:
            seen, last_progress = done, time.monotonic()
        time.sleep(0.2)


def test_thousands_of_jobs_from_several_producers_each_run_exactly_once(django_db_setup, tmp_path):
    queue, out = f"stress-{uuid.uuid4().hex[:8]}", tmp_path / "done.txt"
    total = PRODUCERS * JOBS_EACH
    polling = {"CELERY_POLLING_INTERVAL": POLLING}
    worker = start_worker(queue, include="tests.core.stress_jobs", concurrency=2, extra_env=polling)
    try:
        producers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.core.stress_jobs",
                    queue,
                    str(n * JOBS_EACH),
                    str(JOBS_EACH),
                    str(out),
                    str(PAUSE),
                ],
                cwd=ROOT,
                env=worker_env(),
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(PRODUCERS)
        ]
        for producer in producers:
            assert producer.wait(300) == 0, producer.stderr.read()
        _run_until_idle(out, total, worker)
        time.sleep(1)  # a job delivered twice would show up now
        counts = Counter(_lines(out))
        alive = worker.process.poll() is None
    finally:
        worker.stop()

    errors = [line for line in worker.output if "Unrecoverable" in line or "CRITICAL" in line]
    assert alive, "the worker died:\n" + "".join(errors or worker.output[-40:])
    assert errors == []
    lost = sorted(set(range(total)) - set(counts))
    assert lost == [], f"{len(lost)} of {total} jobs lost"
    assert [job for job, n in counts.items() if n > 1] == []
    if EMBEDDED:
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        assert [name for name in os.listdir(folder) if queue in name] == []
