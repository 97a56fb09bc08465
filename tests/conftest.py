"""Shared test set-up: checks that the servers the run is configured for are reachable, and
provides a real Celery worker process and a real browser.

Servers: under CI (CI=true) an unreachable PostgreSQL or Redis fails the run; elsewhere the
tests that need the missing server are skipped with a message saying why.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

from tests.fixtures import (  # noqa: F401  (fixtures, shared by every test module)
    _module_school_world,
    active_cycle,
    coach,
    planned_visit,
    school_world,
)

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def _missing(what: str) -> None:
    """Fail under CI, skip elsewhere."""
    if IN_CI:
        pytest.fail(f"{what} (CI=true: a missing server fails the run)", pytrace=False)
    pytest.skip(f"{what}; start it to run this test")


def pytest_report_header(config) -> list[str]:
    db = settings.DATABASES["default"]
    return [
        f"database: {db['ENGINE'].rsplit('.', 1)[-1]} · broker: {settings.CELERY_BROKER_URL.split('://')[0]}"
        f" · results: {settings.CELERY_RESULT_BACKEND.split('://')[0]} · CI={IN_CI}"
    ]


# The suites that run longest start first (each process takes a module at a time): the
# project-wide ones at the top of tests/ (the access sweep, the fuzz, faults, upgrade, the app
# started whole), then the browser's and the demo's. The many short modules then fill in at the
# end, so no process waits idle for one that still has a long module to finish.
LONG_FIRST = ("", "e2e", "demo")


def _run_order(item) -> tuple[int, str]:
    folder = item.path.parent.relative_to(ROOT / "tests").as_posix()
    folder = "" if folder == "." else folder
    rank = LONG_FIRST.index(folder) if folder in LONG_FIRST else len(LONG_FIRST)
    return rank, item.path.as_posix()


def pytest_collection_modifyitems(session, config, items) -> None:
    items.sort(key=_run_order)  # stable: a module's tests keep their order


def pytest_sessionstart(session) -> None:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql") and not _reachable(
        f"postgres://{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}", 5432
    ):
        pytest.exit(
            f"PostgreSQL at {db.get('HOST')}:{db.get('PORT')} is not reachable", returncode=3
        )


# --- A real Celery worker ---------------------------------------------------------------------


def _test_database_url() -> str:
    """The URL of the test database pytest-django created, for another process to open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class WorkerProcess:
    queue: str
    process: subprocess.Popen
    output: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    own_group: bool = False  # started in a session of its own: kill() reaches its pool too

    def log(self) -> str:
        return "".join(self.output[-80:])

    def kill(self) -> int:
        """SIGKILL, no shutdown: what a crash or an out-of-memory kill does. With
        ``own_group`` the pool's child processes die with the main process."""
        if self.own_group:
            with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
                os.killpg(self.process.pid, signal.SIGKILL)
        elif self.process.poll() is None:
            self.process.kill()
        return self.process.wait()

    def stop(self, timeout: float = 20) -> int:
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Celery's warm shutdown
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.process.returncode


def worker_env(extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a process that shares this run's database, broker and queue."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "APP_VAR_DIR": str(settings.VAR_DIR),
        "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        **(extra_env or {}),
    }


def start_worker(
    queue: str,
    *,
    extra_env: dict[str, str] | None = None,
    new_session: bool = False,
    concurrency: int = 1,
    include: str | None = None,
) -> WorkerProcess:
    """Start a worker consuming ``queue``. ``new_session``: in a process group of its own, so
    ``WorkerProcess.kill()`` kills its pool children too. ``include``: a module of extra tasks
    to import (``celery worker -I``)."""
    env = worker_env(extra_env)
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
        "-Q", queue, "-n", f"{queue}@%h", f"--concurrency={concurrency}",
        "--without-mingle", "--without-gossip", "--without-heartbeat",
        *(["-I", include] if include else []),
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=new_session,
    )
    worker = WorkerProcess(queue=queue, process=process, own_group=new_session)

    def pump() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            worker.output.append(line)
            if " ready." in line:
                worker.ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 60
    while not worker.ready.wait(0.2):
        if process.poll() is not None or time.monotonic() > deadline:
            worker.stop()
            pytest.fail(f"Celery worker did not start:\n{worker.log()}", pytrace=False)
    return worker


@pytest.fixture(autouse=True)
def _empty_caches() -> Iterator[None]:
    """Each test starts with empty caches: no page, session or user cached by another test."""
    from django.core.cache import caches

    for alias in ("default", "local"):
        cache = caches[alias]
        if settings.XDIST_WORKER and hasattr(cache, "delete_pattern"):
            # A cache server shared by the processes: this process's keys only (KEY_PREFIX),
            # whatever their version, never the others'.
            server = cache.client.get_client(write=True)
            keys = list(server.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
            if keys:
                server.delete(*keys)
        else:
            cache.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _purge_run_queue() -> Iterator[None]:
    """Jobs the run's tests queued and no worker took (a test whose transaction committed
    without the worker running) are dropped at the end, so they do not pile up in the broker."""
    yield
    from config.celery import app

    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("filesystem://") and not _reachable(broker, 6379):
        return
    with contextlib.suppress(Exception), app.connection_for_write() as conn:
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


@pytest.fixture(scope="session", autouse=True)
def _clip_files_removed() -> Iterator[None]:
    """The run's own clips folder (config/settings/test.py: uploads and stored clips) goes at
    the end of the run."""
    yield
    if folder := getattr(settings, "CLIP_TEST_DIR", None):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def _session_worker(django_db_setup) -> Iterator[WorkerProcess]:
    """One worker process for the whole run (starting one takes seconds). It consumes the
    run's default queue, so jobs that services enqueue after a commit run on it."""
    if not settings.CELERY_BROKER_URL.startswith("filesystem://") and not _reachable(
        settings.CELERY_BROKER_URL, 6379
    ):
        _missing(f"the Celery broker {settings.CELERY_BROKER_URL} is not reachable")
    worker = start_worker(settings.CELERY_TASK_DEFAULT_QUEUE)
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(transactional_db, _session_worker) -> WorkerProcess:
    """A real `celery worker` process on the configured broker, reading the test database.

    It consumes the test run's own default queue (CELERY_TASK_DEFAULT_QUEUE), so nothing else
    on the broker interferes: ``delay()`` and the jobs services enqueue reach it. Data the
    worker must see has to be committed, hence ``transactional_db``. Tests that stop or kill
    a worker start their own with ``start_worker``.
    """
    if _session_worker.process.poll() is not None:
        pytest.fail(f"The Celery worker died:\n{_session_worker.log()}", pytrace=False)
    return _session_worker


# --- A real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        _missing(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the ORM calls the tests make
    # between page actions are still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
