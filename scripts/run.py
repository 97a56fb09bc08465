#!/usr/bin/env python
"""Start the whole app for `make run`: migrate, seed the demo, install the periodic schedules,
then run the web server, a Celery worker and Celery beat side by side. Ctrl-C stops all three.

Embedded default: SQLite and kombu's filesystem broker under var/ (no server needed). With
DATABASE_URL and CELERY_BROKER_URL set, the same command uses PostgreSQL and Redis.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def manage(*args: str, capture: bool = False) -> str:
    # This interpreter and manage.py, with arguments from this script, no shell.
    done = subprocess.run(  # nosec B603  # see above
        [PYTHON, "manage.py", *args], cwd=ROOT, check=True, text=True, capture_output=capture
    )
    return done.stdout or ""


def wait_until_up(url: str, processes: dict[str, subprocess.Popen], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in processes.items():
            if proc.poll() is not None:
                print(f"!! {name} exited early with code {proc.returncode}", flush=True)
                return False
        try:
            # url is http://HOST:PORT/health/, built by this script (never file: or another scheme)
            with urllib.request.urlopen(url, timeout=2) as response:  # nosec B310  # see above
                json.load(response)
                return True
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
            time.sleep(0.5)
    return False


def stop(processes: dict[str, subprocess.Popen]) -> None:
    for proc in processes.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # warm shutdown for Celery: finish the task at hand
    deadline = time.monotonic() + 15
    for name, proc in processes.items():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"   {name} did not stop in time; killing it", flush=True)
            proc.kill()
            proc.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C, `kill` or a closed terminal stop all three alike (SIGINT set explicitly: a shell
    # that starts us in the background would otherwise have it ignored).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--reload", action="store_true", help="restart the web server on edits")
    parser.add_argument("--no-seed", action="store_true", help="do not load the demo data")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.chdir(ROOT)
    print("== Preparing the database", flush=True)
    manage("migrate", "--noinput", "-v", "0")
    manage("install_schedules")
    sign_ins = ""
    if not args.no_seed:
        print("== Loading the demo school (seed_demo)", flush=True)
        sign_ins = manage("seed_demo", capture=True)
        print(sign_ins, flush=True)

    embedded_broker = os.environ.get("CELERY_BROKER_URL", "filesystem://").startswith(
        "filesystem://"
    )
    worker_flags = ["--without-mingle", "--without-gossip"] if embedded_broker else []
    runserver = [PYTHON, "manage.py", "runserver", f"{args.host}:{args.port}"]
    if not args.reload:
        runserver.append("--noreload")
    commands = {
        "web": runserver,
        "worker": [PYTHON, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
                   "--concurrency=2", *worker_flags],
        "beat": [PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"],
    }  # fmt: skip
    processes: dict[str, subprocess.Popen] = {}
    interrupted = False
    try:
        for name, command in commands.items():
            # The fixed commands above (this interpreter: runserver, celery), no shell.
            processes[name] = subprocess.Popen(command, cwd=ROOT)  # nosec B603  # see above
        base = f"http://{args.host}:{args.port}"
        if wait_until_up(f"{base}/health/", processes, timeout=60):
            print(f"\n{sign_ins}\n== Ready: {base}/  (web, worker and beat running; "
                  "Ctrl-C stops all three)\n", flush=True)  # fmt: skip
        # Wait for Ctrl-C, or for one of the three to die (then stop the others).
        while all(proc.poll() is None for proc in processes.values()):
            time.sleep(0.5)
        dead = [n for n, p in processes.items() if p.poll() is not None]
        print(f"!! {', '.join(dead)} stopped; stopping the rest", flush=True)
    except KeyboardInterrupt:
        interrupted = True
        print("\n== Stopping web, worker and beat", flush=True)
    finally:
        stop(processes)
    return 0 if interrupted else 1


if __name__ == "__main__":
    sys.exit(main())
