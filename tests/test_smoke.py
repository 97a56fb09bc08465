"""Start the app exactly as `make run` does (scripts/run.py: migrate, seed, web + worker +
beat) and check that it serves the sign-in page, its static files and its own 404 page, that
beat and the worker run a scheduled job (as staff read it on /health/), that a worker killed
with SIGKILL is started again and runs jobs, and that Ctrl-C (or `kill`) stops all three."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


def _get_any(url: str) -> tuple[int, str]:
    """Like _get, for an error status too."""
    try:
        return _get(url)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _staff_health(base: str):
    """Signs in as the demo's administrator (staff) and returns a reader of /health/'s
    details, which anonymous visitors do not get."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/accounts/login/", timeout=5).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": "admin", "password": "coach-demo-2026", "csrfmiddlewaretoken": token}
    opener.open(f"{base}/accounts/login/", urllib.parse.urlencode(form).encode(), timeout=10)

    def read() -> dict:
        with opener.open(f"{base}/health/", timeout=5) as response:
            return json.load(response)

    assert "worker" in read(), "not signed in as staff"
    return read


def _pid(output: list[str], name: str, after: int = 0) -> int:
    """The pid of the last `== NAME started (pid N)` line printed after line `after`."""
    pids = [
        int(m.group(1))
        for line in output[after:]
        if (m := re.search(rf"== {name} started \(pid (\d+)\)", line))
    ]
    assert pids, "".join(output[-40:])
    return pids[-1]


def _environment(pid: int) -> dict:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def _wait_for(predicate, output: list[str], deadline: float, what: str) -> None:
    while not predicate():
        assert time.monotonic() < deadline, f"{what}:\n" + "".join(output[-60:])
        time.sleep(0.5)


def _count(env: dict, table: str) -> int:
    """Rows in a table of the app's database (SQLite file or PostgreSQL)."""
    if "DATABASE_URL" in env:
        with psycopg2.connect(env["DATABASE_URL"]) as conn, conn.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            return cursor.fetchone()[0]
    path = Path(env["APP_VAR_DIR"]) / "db.sqlite3"
    with closing(sqlite3.connect(path, timeout=10)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def app_env(tmp_path):
    """The environment `make run` gets: the embedded default (SQLite + filesystem broker) in a
    fresh folder, or, when this run is configured for PostgreSQL, a fresh database there."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL"))
        and k not in {"APP_SITE_URL", "HOST", "PORT"}
    }
    env.update(APP_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.local")
    db = settings.DATABASES["default"]
    dbname = None
    if db["ENGINE"].endswith("postgresql"):
        dbname = f"smoke_{uuid.uuid4().hex[:10]}"
        params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432}
        params.update(user=db["USER"], password=db.get("PASSWORD") or None, dbname="postgres")
        admin = psycopg2.connect(**params)
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{params['host']}:{params['port']}/{dbname}"
    yield env
    if dbname:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.close()


@pytest.mark.parametrize("stop_with", ["ctrl-c", "sigterm"])
def test_make_run_serves_sign_in_and_runs_scheduled_jobs_until_stopped(app_env, stop_with):
    port = _free_port()
    if stop_with == "ctrl-c":  # an address of the operator's own for the links in emails
        app_env["APP_SITE_URL"] = "https://coaching.example.org"
    process = subprocess.Popen(
        [sys.executable, "scripts/run.py", "--port", str(port)],
        cwd=ROOT,
        env=app_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    output: list[str] = []
    threading.Thread(target=lambda: output.extend(process.stdout), daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while not any("== Ready:" in line for line in output):
            assert process.poll() is None, "".join(output[-60:])
            assert time.monotonic() < deadline, "not ready in time:\n" + "".join(output[-60:])
            time.sleep(0.5)

        status, body = _get(f"{base}/accounts/login/")
        assert status == 200
        assert "<title>Sign in" in body
        assert 'name="username"' in body and 'name="password"' in body
        # seed_demo printed the demo sign-ins before the servers started.
        printed = "".join(output)
        assert "coach.rivera" in printed and "coach-demo-2026" in printed
        # DEBUG is off: the app's own 404 page, and the static files still served.
        status, body = _get_any(f"{base}/no-such-page/")
        assert status == 404
        assert "<title>Not found · Coaching cycles</title>" in body and "URLconf" not in body
        assert _get_any(f"{base}/static/css/app.css")[0] == 200
        assert _get_any(f"{base}/static/vendor/bootstrap/bootstrap.min.css")[0] == 200
        # The processes make run started got the address it serves for the links in emails,
        # unless the operator gave one.
        site_url = app_env.get("APP_SITE_URL", base)
        for name in ("web", "worker", "beat"):
            assert _environment(_pid(output, name))["APP_SITE_URL"] == site_url

        # Anyone gets a bare "ok"; staff get the details.
        assert json.loads(_get(f"{base}/health/")[1]) == {"status": "ok"}
        staff_health = _staff_health(base)

        # Beat schedules the heartbeat job, the worker runs it: /health/ reports it.
        health: dict = {}
        while time.monotonic() < deadline:
            health = staff_health()
            if health["worker"] == "ok":
                break
            time.sleep(1)
        assert health["worker"] == "ok", health
        assert health["heartbeats"] >= 1

        # Without any manual step, the worker schedules the revisits the demo left to the job
        # and assembles the briefs of the debriefs in the next day.
        jobs: dict = {}
        while time.monotonic() < deadline:
            jobs = staff_health()["jobs"]
            done = {"revisit scheduling", "context briefs", "email reminders"} <= set(jobs)
            if _count(app_env, "coaching_contextbrief") and done:
                break
            time.sleep(1)
        assert jobs["revisit scheduling"]["last_result"]["scheduled"] >= 2, jobs
        assert "context briefs" in jobs and "email reminders" in jobs, jobs
        assert _count(app_env, "coaching_contextbrief") >= 1, "".join(output[-40:])

        if stop_with == "sigterm":
            # A worker killed outright is started again, and the new one runs jobs.
            killed, seen = _pid(output, "worker"), len(output)
            os.kill(killed, signal.SIGKILL)
            restart = "!! worker exited (killed by SIGKILL); restarting in 1 s (restart 1)"
            _wait_for(lambda: any(restart in line for line in output[seen:]), output,
                      time.monotonic() + 20, "no restart announced")  # fmt: skip
            _wait_for(lambda: any(" ready." in line for line in output[seen:]), output,
                      time.monotonic() + 60, "no new worker ready")  # fmt: skip
            assert _pid(output, "worker", after=seen) != killed
            beats = staff_health()["heartbeats"]
            subprocess.run(
                [sys.executable, "manage.py", "shell", "-c",
                 "from core.tasks import heartbeat; heartbeat.delay()"],
                cwd=ROOT, env=app_env, check=True, capture_output=True,
            )  # fmt: skip
            _wait_for(lambda: staff_health()["heartbeats"] > beats, output,
                      time.monotonic() + 60, "the new worker ran no job")  # fmt: skip
    finally:
        if process.poll() is None and stop_with == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole group
        elif process.poll() is None:
            process.terminate()  # `kill`: only the supervisor is told; it must stop the rest
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(f"make run did not stop on {stop_with}:\n" + "".join(output[-40:]))

    # No web server, worker or beat left behind in the group.
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
    assert process.returncode == 0, "".join(output[-40:])
