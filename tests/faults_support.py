"""Processes for the fault tests (tests/test_faults.py): a private PostgreSQL cluster and a
private Redis that a test may stop and start again, the app under gunicorn, and a small HTTP
client that keeps cookies. The machine's shared PostgreSQL (5432) and Redis (6379) are never
touched: other tests and helpers use them.

- PostgreSQL: a throwaway cluster made by Debian's ``initdb`` in a temporary directory, on a
  free port, trust authentication, listening on 127.0.0.1 only. PostgreSQL refuses to run as
  root, so as root the directory belongs to ``postgres`` and the commands run through
  ``runuser -u postgres``. ``fsync=off``: the tests restart the server cleanly (``pg_ctl stop
  -m fast``), never the machine, so nothing committed can be lost by it, and the set-up is fast.
- Redis: ``redis-server`` on a free port with the append-only file on every write
  (``appendfsync always``) and no snapshots, as a production broker is configured: a job that
  is waiting in the queue survives a restart.
"""

from __future__ import annotations

import contextlib
import glob
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import ROOT, _missing

SETTINGS = "tests.faults_settings"
START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, *, timeout: float, what: str, log=None, interval: float = 0.1):
    """Call ``check`` until it returns something true; fail with ``what`` (and ``log()``)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out: {what}" + (f"\n{log()}" if log else ""), pytrace=False)
        time.sleep(interval)


@dataclass
class Output:
    """The lines a child process writes, read by a thread so its pipe never fills."""

    lines: list[str] = field(default_factory=list)

    def pump(self, stream) -> None:
        def read() -> None:
            for line in stream:
                self.lines.append(line)

        threading.Thread(target=read, daemon=True).start()

    def text(self, last: int = 80) -> str:
        return "".join(self.lines[-last:])


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode:
        pytest.fail(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}",
            pytrace=False,
        )
    return result


# --- PostgreSQL -------------------------------------------------------------------------------


def postgres_bindir() -> Path | None:
    """Debian's server binaries (the newest version), or FAULTS_PG_BINDIR."""
    configured = os.environ.get("FAULTS_PG_BINDIR")
    candidates = [configured] if configured else sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    for path in reversed(candidates):
        if path and (Path(path) / "initdb").is_file() and (Path(path) / "pg_ctl").is_file():
            return Path(path)
    return None


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own; ``stop()`` and ``start()`` restart it."""

    def __init__(self) -> None:
        bindir = postgres_bindir()
        if bindir is None:
            _missing(
                "PostgreSQL's server binaries (initdb, pg_ctl) were not found under "
                "/usr/lib/postgresql/*/bin (Debian: apt-get install postgresql; or set "
                "FAULTS_PG_BINDIR); the PostgreSQL fault test needs a server it may restart"
            )
        self.bindir = bindir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            runuser = shutil.which("runuser")
            if runuser is None:
                _missing("running as root without runuser: PostgreSQL cannot be started")
            shutil.chown(self.dir, user="postgres", group="postgres")
            self.as_user = [runuser, "-u", "postgres", "--"]
        self._pg(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--no-sync", "--no-instructions",
        )  # fmt: skip

    def _pg(self, tool: str, *args: str) -> subprocess.CompletedProcess:
        return _run([*self.as_user, str(self.bindir / tool), *args], cwd=self.dir)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off "
            "-c full_page_writes=off -c max_connections=50"
        )
        self._pg("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w",
                 "-t", str(START_TIMEOUT), "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """``fast``: a clean restart (sessions are ended, open transactions rolled back)."""
        self._pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def server_log(self) -> str:
        with contextlib.suppress(OSError):
            return self.log.read_text()[-4000:]
        return ""

    def connect(self, name: str):
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=name)
        conn.autocommit = True
        return conn

    def create_database(self, name: str) -> None:
        with contextlib.closing(self.connect("postgres")) as conn, conn.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')

    def destroy(self) -> None:
        if self.running():
            with contextlib.suppress(BaseException):
                self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


# --- Redis ------------------------------------------------------------------------------------


class PrivateRedis:
    """A Redis of the test's own with its append-only file: ``stop()`` (SIGTERM, as a service
    manager stops it) and ``start()`` keep what it held, queued jobs included."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            _missing("redis-server not found (Debian: apt-get install redis-server)")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="faults-redis-"))
        self.process: subprocess.Popen | None = None
        self.output = Output()

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, db=db, socket_timeout=5)

    def start(self) -> None:
        command = [
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
            "--save", "", "--appendonly", "yes", "--appendfsync", "always",
            "--daemonize", "no", "--loglevel", "notice",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.output.pump(self.process.stdout)

        def answers() -> bool:
            with contextlib.suppress(Exception), contextlib.closing(self.client()) as client:
                return bool(client.ping())
            return False

        wait_for(answers, timeout=START_TIMEOUT, what="Redis did not start", log=self.output.text)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- The app ----------------------------------------------------------------------------------


def app_env(**values: str) -> dict[str, str]:
    """The environment of the app's processes: the fault settings and the given servers."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "PYTHONUNBUFFERED": "1"}
    env.update(values)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    return _run([sys.executable, "manage.py", *args], cwd=ROOT, env=env).stdout


class Gunicorn:
    """The app under gunicorn (sync workers), as production serves it."""

    def __init__(self, env: dict[str, str], *, workers: int = 2) -> None:
        self.port = free_port()
        self.url = f"127.0.0.1:{self.port}"
        self.output = Output()
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", self.url, "--workers", str(workers), "--timeout", "30",
            "--graceful-timeout", "5", "--access-logfile", "-", "--error-logfile", "-",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.output.pump(self.process.stdout)

        def serving() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{self.output.text()}", pytrace=False)
            with contextlib.suppress(OSError):
                return AppClient(self.url).get("/accounts/login/").status == 200
            return False

        wait_for(serving, timeout=START_TIMEOUT, what="gunicorn did not serve", log=self.log)

    def log(self) -> str:
        return self.output.text()

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class AppClient:
    """A browser's part of HTTP: cookies, the CSRF token, no redirects followed."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, data: dict | None = None, headers: dict | None = None
    ) -> Response:
        sent = {"Host": self.host, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            sent["Referer"] = f"http://{self.host}{path}"
        connection = http.client.HTTPConnection(self.host, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(raw.status, dict(raw.getheaders()), raw.read())
            for value in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
        finally:
            connection.close()
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)

    def sign_in(self, username: str, password: str) -> Response:
        self.get("/accounts/login/")  # the CSRF cookie
        return self.post(
            "/accounts/login/",
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            },
        )


# --- Data -------------------------------------------------------------------------------------

COACH = "fault.coach"
CYCLES = ("pg", "pg_job", "redis", "blocker", "queued")


def seed() -> None:
    """Run inside the app (``manage.py shell``): a coach with five active cycles, each with a
    started observation and a brief built two hours ago. Prints the ids as JSON."""
    import datetime

    from django.utils import timezone

    from coaching.models import CycleState
    from tests import factories as f

    school = f.SchoolFactory(name="Fault School")
    coach = f.UserFactory(username=COACH)
    ids: dict[str, dict[str, int]] = {}
    for name in CYCLES:
        teacher = f.TeacherFactory(school=school)
        f.CaseloadAssignmentFactory(coach=coach, teacher=teacher)
        cycle = f.AgreedMoveFactory(
            cycle__teacher=teacher, cycle__coach=coach, cycle__state=CycleState.ACTIVE
        ).cycle
        observation = f.ObservationFactory(cycle=cycle)
        brief = f.ContextBriefFactory(
            cycle=cycle,
            built_at=timezone.now() - datetime.timedelta(hours=2),
            build_count=1,
            is_stale=False,
        )
        ids[name] = {"cycle": cycle.pk, "observation": observation.pk, "brief": brief.pk}
    print(json.dumps(ids))
