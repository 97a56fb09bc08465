#!/usr/bin/env python
"""Start the whole app for `make run`: migrate, seed the demo, install the periodic schedules,
then run the web server, a Celery worker and Celery beat side by side. Ctrl-C stops all three.

The worker and beat are supervised: if one exits (a crash, `kill -9`), it is started again
after a pause that doubles with each quick exit (1 s, 2 s, 4 s ... at most 60 s). If the web
server exits, everything stops.

Embedded default: SQLite and kombu's filesystem broker under var/ (no server needed). With
DATABASE_URL and CELERY_BROKER_URL set, the same command uses PostgreSQL and Redis.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import environ

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESTART_DELAY_MAX = 60  # seconds: the longest pause before a restart
STABLE_AFTER = 60  # seconds: a process up this long starts again from the shortest pause
READY_TIMEOUT = 60  # seconds for the web server to answer /health/ before we say so


def manage(*args: str, capture: bool = False) -> str:
    # This interpreter and manage.py, with arguments from this script, no shell.
    done = subprocess.run(  # nosec B603  # see above
        [PYTHON, "manage.py", *args], cwd=ROOT, check=True, text=True, capture_output=capture
    )
    return done.stdout or ""


def served_url(host: str, port: int) -> str:
    """The address a browser on this machine uses for the server listening on host:port (a
    server on every interface, 0.0.0.0 or ::, is reached through the loopback)."""
    host = host.strip("[]")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None  # a name, such as localhost
    if not host or (address and address.is_unspecified):
        host = "localhost" if address and address.version == 6 else "127.0.0.1"
    return f"http://{_bracketed(host)}:{port}"


def _bracketed(host: str) -> str:
    host = host.strip("[]")
    return f"[{host}]" if ":" in host else host


def exit_reason(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


class Supervised:
    """One process `make run` starts; restarted with a growing pause if `restart` is set."""

    def __init__(self, name: str, command: list[str], *, restart: bool) -> None:
        self.name = name
        self.command = command
        self.restart = restart
        self.proc: subprocess.Popen | None = None
        self.started_at = 0.0
        self.quick_exits = 0  # exits in a row soon after a start: the next pause is 2**n s
        self.restarts = 0
        self.restart_at: float | None = None

    def start(self, now: float) -> None:
        # The fixed commands of main() (this interpreter: runserver, celery), no shell.
        self.proc = subprocess.Popen(self.command, cwd=ROOT)  # nosec B603  # see above
        self.started_at = now
        self.restart_at = None
        print(f"== {self.name} started (pid {self.proc.pid})", flush=True)

    def supervise(self, now: float) -> bool:
        """Start again when the pause is over, or notice an exit. False: it exited for good."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.start(now)
            return True
        if self.proc is None or self.proc.poll() is None:
            return True
        reason = exit_reason(self.proc.returncode)
        if not self.restart:
            print(f"!! {self.name} exited ({reason}); stopping the rest", flush=True)
            return False
        if now - self.started_at >= STABLE_AFTER:
            self.quick_exits = 0
        delay = min(RESTART_DELAY_MAX, 2**self.quick_exits)
        self.quick_exits += 1
        self.restarts += 1
        self.restart_at = now + delay
        print(
            f"!! {self.name} exited ({reason}); restarting in {delay} s (restart {self.restarts})",
            flush=True,
        )
        return True


def health_answers(url: str) -> bool:
    try:
        # url is http://HOST:PORT/health/, built by this script (never file: or another scheme)
        with urllib.request.urlopen(url, timeout=2) as response:  # nosec B310  # see above
            json.load(response)
            return True
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return False


def stop(processes: list[Supervised]) -> None:
    running = [p.proc for p in processes if p.proc is not None and p.proc.poll() is None]
    for proc in running:
        proc.send_signal(signal.SIGTERM)  # warm shutdown for Celery: finish the task at hand
    deadline = time.monotonic() + 15
    for p in processes:
        if p.proc is None:
            continue
        try:
            p.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"   {p.name} did not stop in time; killing it", flush=True)
            p.proc.kill()
            p.proc.wait()


# Ctrl-C, `kill` or a closed terminal: during the preparation, stop at once; once the three
# run, the supervision loop sees the flag, so a signal never cuts a start or a stop in half.
_stop_requested = False
_raise_on_stop = True


def _on_stop_signal(signum: int, frame: object) -> None:
    global _stop_requested
    _stop_requested = True
    if _raise_on_stop:
        raise KeyboardInterrupt


def main() -> int:
    global _raise_on_stop
    # SIGINT set explicitly: a shell that starts us in the background would have it ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_stop_signal)
    if (ROOT / ".env").is_file():  # as the settings read it, so HOST, PORT... may be there
        environ.Env.read_env(ROOT / ".env")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--reload", action="store_true", help="restart the web server on edits")
    parser.add_argument("--no-seed", action="store_true", help="do not load the demo data")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    base = served_url(args.host, args.port)
    os.environ.setdefault("APP_SITE_URL", base)  # links in emails: here, unless set elsewhere
    os.chdir(ROOT)
    print("== Preparing the database", flush=True)
    manage("migrate", "--noinput", "-v", "0")
    manage("install_schedules")
    sign_ins = ""
    if not args.no_seed:
        print("== Loading the demo district (seed_demo)", flush=True)
        sign_ins = manage("seed_demo", capture=True)
        print(sign_ins, flush=True)

    embedded_broker = os.environ.get("CELERY_BROKER_URL", "filesystem://").startswith(
        "filesystem://"
    )
    worker_flags = ["--without-mingle", "--without-gossip"] if embedded_broker else []
    runserver = [PYTHON, "manage.py", "runserver", f"{_bracketed(args.host)}:{args.port}"]
    if not args.reload:
        runserver.append("--noreload")
    processes = [
        Supervised("web", runserver, restart=False),
        Supervised("worker", [PYTHON, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
                              "--concurrency=2", *worker_flags], restart=True),
        Supervised("beat", [PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"],
                   restart=True),
    ]  # fmt: skip
    _raise_on_stop = False
    try:
        for process in processes:
            if not _stop_requested:
                process.start(time.monotonic())
        ready, ready_by = False, time.monotonic() + READY_TIMEOUT
        while not _stop_requested:
            now = time.monotonic()
            if not all(process.supervise(now) for process in processes):
                return 1  # the web server exited: stop the rest (finally)
            if not ready and health_answers(f"{base}/health/"):
                ready = True
                print(f"\n{sign_ins}\n== Ready: {base}/  (web, worker and beat running; "
                      "Ctrl-C stops all three)\n", flush=True)  # fmt: skip
            elif not ready and now > ready_by:
                print(f"!! {base}/health/ does not answer yet; still waiting", flush=True)
                ready_by = float("inf")
            time.sleep(0.5)
        print("\n== Stopping web, worker and beat", flush=True)
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
