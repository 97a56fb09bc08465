"""Faults: PostgreSQL and Redis restarted in the middle of work, with the app under gunicorn
(production's settings over plain http, tests/faults_settings.py) and a real Celery worker.

Both servers are private to this module (tests/faults_support.py): a throwaway PostgreSQL
cluster and a Redis with its append-only file, each on a free port, so the machine's shared
servers are never stopped.

- PostgreSQL restarted while a coach records a live observation: every request gets either a
  success or a clear 503 (JSON for the page's script, a page for people), never a 500; once the
  server is back the app serves again by itself, with no failed request; every entry confirmed
  before, during or after the outage is stored, and the entries refused during the outage,
  sent again with their client ids, are stored exactly once. The worker's job that ran into the
  outage completes after it.
- Redis (cache, sessions' cache and broker) restarted while the worker is busy and a job waits
  in the queue: pages render, signing in works and an entry that queues a job is saved, all
  while Redis is down; once it is back the same worker process reconnects by itself and the
  waiting job runs exactly once; the job the worker was running during the outage does its
  work once (acknowledged when Redis is back, or handed out again and finding it done).

"Queued jobs still run once" holds because Redis keeps its data across a restart (the
append-only file, as a production broker is configured). A Redis without persistence loses its
queue on a restart; the periodic sweeps make up for lost brief jobs
(docs/administration.md, "When PostgreSQL or Redis is down").
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest

from config.celery import app as celery_app
from tests.conftest import WorkerProcess, start_worker
from tests.factories import PASSWORD
from tests.faults_support import (
    COACH,
    AppClient,
    Gunicorn,
    PrivatePostgres,
    PrivateRedis,
    Response,
    app_env,
    manage,
    wait_for,
)

pytestmark = [pytest.mark.slow, pytest.mark.worker]

DATABASE = "coaching_faults"
VISIBILITY_TIMEOUT = 8  # seconds before Redis hands an unacknowledged job out again
TIMEOUT = 60
JSON = {"X-Requested-With": "fetch", "Accept": "application/json"}
UNAVAILABLE = "The database is unavailable"
SERVER_ERROR = re.compile(r'" 5(?!03)\d\d ')  # gunicorn's access log: any 5xx but 503


@dataclass
class Stack:
    pg: PrivatePostgres
    redis: PrivateRedis
    app: Gunicorn
    worker: WorkerProcess
    queue: str
    ids: dict[str, dict[str, int]]

    def sql(self, query: str, *params):
        with contextlib.closing(self.pg.connect(DATABASE)) as conn, conn.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()

    def brief(self, name: str) -> tuple[int, bool]:
        """(build_count, is_stale) of a seeded cycle's brief."""
        [(count, stale)] = self.sql(
            "SELECT build_count, is_stale FROM coaching_contextbrief WHERE id = %s",
            self.ids[name]["brief"],
        )
        return count, stale

    def signed_in(self) -> AppClient:
        client = AppClient(self.app.url)
        response = client.sign_in(COACH, PASSWORD)
        assert response.status == 302, response.text[:500]
        return client

    def logs(self) -> str:
        return (
            f"--- gunicorn\n{self.app.log()}\n--- worker\n{self.worker.log()}\n"
            f"--- postgres\n{self.pg.server_log()}"
        )


@pytest.fixture(scope="module")
def stack():
    pg = PrivatePostgres()
    redis = PrivateRedis()
    started: list = []
    try:
        pg.start()
        redis.start()
        pg.create_database(DATABASE)
        queue = f"faults-{uuid.uuid4().hex[:8]}"
        env = {
            "DJANGO_SETTINGS_MODULE": "tests.faults_settings",
            "DATABASE_URL": pg.url(DATABASE),
            "CELERY_BROKER_URL": redis.url(0),
            "CELERY_RESULT_BACKEND": redis.url(1),
            "CACHE_URL": redis.url(2),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "BRIEF_REBUILD_DELAY_SECONDS": "1",
        }
        manage(app_env(**env), "migrate", "--no-input", "-v", "0")
        seeded = manage(
            app_env(**env), "shell", "-c", "from tests.faults_support import seed; seed()"
        )
        ids = json.loads(seeded.strip().splitlines()[-1])
        app = Gunicorn(app_env(**env))
        started.append(app)
        worker = start_worker(queue, extra_env=env, new_session=True)
        started.append(worker)
        yield Stack(pg=pg, redis=redis, app=app, worker=worker, queue=queue, ids=ids)
    finally:
        for process in reversed(started):
            process.kill() if isinstance(process, WorkerProcess) else process.stop()
        redis.destroy()
        pg.destroy()


def _note(text: str) -> dict[str, str]:
    return {"type": "note", "client_id": str(uuid.uuid4()), "text": text}


@dataclass
class Sent:
    at: float  # when the request was sent (monotonic)
    entry: dict[str, str]
    status: int
    body: str
    retry_after: str | None


@dataclass
class EntrySender:
    """What the live observation page does while the coach keeps tapping: one entry after
    another, each with a client id of its own (a thread, so the outage hits work in flight)."""

    client: AppClient
    url: str
    sent: list[Sent] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            entry = _note(f"Fault entry {n}")
            at = time.monotonic()
            try:
                response = self.client.post(self.url, entry, headers=JSON)
                status, body = response.status, response.text
                retry_after = response.headers.get("Retry-After")
            except OSError as exc:  # gunicorn itself must never drop the request
                status, body, retry_after = 0, repr(exc), None
            self.sent.append(Sent(at, entry, status, body, retry_after))
            time.sleep(0.05)

    def count(self, status: int, after: float = 0.0) -> int:
        return sum(1 for s in self.sent if s.status == status and s.at >= after)

    def __enter__(self) -> EntrySender:
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(30)


def _unacked(client, queue: str) -> set[str]:
    """Ids of the queue's jobs a worker took and has not acknowledged (kombu keeps them in
    the 'unacked' hash as [message, exchange, routing key])."""
    found = (json.loads(raw) for raw in client.hgetall("unacked").values())
    return {message["headers"]["id"] for message, _, queue_name in found if queue_name == queue}


def _publish(stack: Stack, name: str) -> str:
    from coaching.tasks import context_brief_build

    now = datetime.datetime.now(datetime.UTC).isoformat()
    with celery_app.connection_for_write(stack.redis.url(0)) as connection:
        job = context_brief_build.apply_async(
            (stack.ids[name]["cycle"],),
            {"requested_at": now},
            queue=stack.queue,
            connection=connection,
            ignore_result=True,
        )
    return job.id


def _assert_unavailable_page(response: Response) -> None:
    assert response.status == 503, response.text[:500]
    assert response.headers["Retry-After"] == "60"
    assert response.headers["Content-Type"].startswith("text/html")
    assert UNAVAILABLE in response.text
    assert "Traceback" not in response.text


def test_postgresql_restarted_mid_visit_loses_no_confirmed_entry_and_the_app_recovers_alone(
    stack,
):
    ids = stack.ids["pg"]
    live = f"/observations/{ids['observation']}/"
    entries = f"/observations/{ids['observation']}/entries/"
    coach = stack.signed_in()
    assert coach.get(live).status == 200  # the workers hold persistent connections now
    tapping = AppClient(stack.app.url)
    tapping.cookies = dict(coach.cookies)

    with EntrySender(tapping, entries) as sender:
        wait_for(lambda: sender.count(201) >= 5, timeout=TIMEOUT, what="entries before")
        stack.pg.stop()
        try:
            wait_for(lambda: sender.count(503) >= 3, timeout=TIMEOUT, what="503s while down")
            # People get a page that says what happened, in place of the page or the form.
            _assert_unavailable_page(coach.get(live))
            _assert_unavailable_page(AppClient(stack.app.url).sign_in(COACH, PASSWORD))
            # A job the worker takes while the database is down is retried with backoff.
            job = _publish(stack, "pg_job")
            wait_for(
                lambda: any(f"[{job}] retry" in line for line in stack.worker.output),
                timeout=TIMEOUT,
                what="the job retried while the database was down",
                log=stack.logs,
            )
        finally:
            stack.pg.start()
        back = time.monotonic()
        wait_for(lambda: sender.count(201, after=back) >= 10, timeout=TIMEOUT, what="recovery")

    statuses = {s.status for s in sender.sent}
    assert statuses == {201, 503}, [(s.status, s.body[:300]) for s in sender.sent]
    refused = [s for s in sender.sent if s.status == 503]
    for s in refused:  # the script's cue to keep the entry and send it again
        assert json.loads(s.body)["error"] == "database_unavailable"
        assert s.retry_after == "60"
    # Back by itself: no request sent after the restart failed (health-checked connections).
    assert {s.status for s in sender.sent if s.at >= back} == {201}
    assert coach.get(live).status == 200

    # The page's script sends the refused entries again; a confirmed one sent twice is kept once.
    confirmed = [s for s in sender.sent if s.status == 201]
    for s in [*refused, *confirmed[:3]]:
        assert coach.post(entries, s.entry, headers=JSON).status == 201

    stored = dict(
        stack.sql(
            "SELECT client_id::text, count(*) FROM observations_observationnote"
            " WHERE observation_id = %s AND text LIKE 'Fault entry %%' GROUP BY client_id",
            ids["observation"],
        )
    )
    assert stored == {s.entry["client_id"]: 1 for s in sender.sent}
    assert not SERVER_ERROR.search(stack.app.log()), stack.logs()

    # The worker lived through the outage, and the job that ran into it completes once.
    assert stack.worker.process.poll() is None, stack.logs()
    wait_for(
        lambda: stack.brief("pg_job") == (2, False),
        timeout=TIMEOUT,
        what="the job that ran into the outage completed",
        log=stack.logs,
    )
    log = "".join(stack.worker.output)
    assert log.count(f"context_brief_build[{job}] succeeded") == 1, stack.logs()


def test_redis_restarted_while_a_job_waits_the_app_keeps_serving_and_the_job_runs_once(stack):
    ids = stack.ids
    broker = stack.redis.client(0)
    worker = stack.worker
    blocker, queued = ids["blocker"]["cycle"], ids["queued"]["cycle"]
    coach = stack.signed_in()
    wait_for(  # jobs queued by earlier work are done: the worker is idle
        lambda: not broker.llen(stack.queue) and not _unacked(broker, stack.queue),
        timeout=TIMEOUT,
        what="the worker idle",
        log=stack.logs,
    )
    lock = stack.pg.connect(DATABASE)
    try:
        # The worker (one process, one job at a time) is busy with a brief whose row the test
        # holds locked; the second job waits in Redis behind it.
        lock.autocommit = False
        with lock.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM coaching_contextbrief WHERE id = %s FOR UPDATE",
                [ids["blocker"]["brief"]],
            )
        blocker_job = _publish(stack, "blocker")
        wait_for(
            lambda: any(f"cycle {blocker}: start" in line for line in worker.output),
            timeout=TIMEOUT,
            what="the worker started the first job",
            log=stack.logs,
        )
        queued_job = _publish(stack, "queued")
        assert broker.llen(stack.queue) == 1

        stack.redis.stop()
        try:
            # Pages render without the cache, the session comes from the database.
            assert coach.get("/caseload/").status == 200
            assert coach.get(f"/observations/{ids['redis']['observation']}/").status == 200
            # Signing in works.
            other = stack.signed_in()
            assert other.get("/caseload/").status == 200
            # An entry that queues a brief rebuild is saved; the job is logged as not queued.
            entry = _note("Saved while Redis was down.")
            saved = coach.post(
                f"/observations/{ids['redis']['observation']}/entries/", entry, headers=JSON
            )
            assert saved.status == 201, saved.text[:500]
            assert stack.sql(
                "SELECT count(*) FROM observations_observationnote WHERE client_id = %s",
                entry["client_id"],
            ) == [(1,)]
            # The running job finishes its work while Redis is down; it cannot be acknowledged.
            lock.commit()
            wait_for(
                lambda: stack.brief("blocker") == (2, False),
                timeout=TIMEOUT,
                what="the first job's brief",
                log=stack.logs,
            )
        finally:
            stack.redis.start()
    finally:
        lock.close()

    # The same worker process reconnects by itself and runs the job that waited.
    wait_for(
        lambda: stack.brief("queued") == (2, False),
        timeout=TIMEOUT,
        what="the queued job ran after the restart",
        log=stack.logs,
    )
    # Nothing waits in the queue any more. The job it was running is acknowledged once Redis
    # is back (redis-py retries the ack), or, if the ack was lost, it is still unacknowledged:
    # kombu hands it out again after the visibility timeout, and it finds its work done.
    wait_for(
        lambda: not broker.llen(stack.queue) and _unacked(broker, stack.queue) <= {blocker_job},
        timeout=TIMEOUT,
        what="the queued job acknowledged",
        log=stack.logs,
    )
    assert worker.process.poll() is None, stack.logs()
    log = "".join(worker.output)
    assert log.count(f"Context brief for cycle {queued}: built") == 1, stack.logs()
    assert log.count(f"context_brief_build[{queued_job}] succeeded") == 1, stack.logs()
    assert log.count(f"Context brief for cycle {blocker}: built") == 1, stack.logs()
    assert stack.brief("queued") == (2, False) and stack.brief("blocker") == (2, False)
    assert "Could not queue coaching.tasks.context_brief_build" in stack.app.log()
    assert not SERVER_ERROR.search(stack.app.log()), stack.logs()
    # And the app uses Redis again.
    assert coach.get("/caseload/").status == 200
