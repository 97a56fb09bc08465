"""`make run`'s supervisor (scripts/run.py), fast: the worker and beat come back after a pause
that doubles, the line says why a process exited, the web server's exit stops everything, and
the address the apps are given as APP_SITE_URL. The whole app, with a real worker killed and
restarted, is tests/test_smoke.py."""

import importlib.util
import os
import signal
import sys

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("run", ROOT / "scripts" / "run.py")
run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run)

SLEEPS = [sys.executable, "-c", "import time; time.sleep(60)"]


def _exits(code: int) -> list[str]:
    return [sys.executable, "-c", f"import sys; sys.exit({code})"]


@pytest.fixture
def started():
    """Supervised processes started by a test are ended by it, whatever happens."""
    processes = []
    yield processes
    for process in processes:
        if process.proc is not None and process.proc.poll() is None:
            process.proc.kill()
            process.proc.wait()


def _start(started, name, command, *, restart, now=0.0):
    process = run.Supervised(name, command, restart=restart)
    started.append(process)
    process.start(now)
    return process


def test_make_run_restarts_an_exiting_worker_after_a_pause_that_doubles_up_to_a_minute(
    started, capsys
):
    worker = _start(started, "worker", _exits(3), restart=True)
    now = 0.0
    pauses = []
    for restart in range(1, 9):
        worker.proc.wait(timeout=10)
        pid = worker.proc.pid
        assert worker.supervise(now)
        lines = capsys.readouterr().out.splitlines()
        pause = int(lines[-1].split("restarting in ")[1].split(" s")[0])
        assert lines[-1] == (
            f"!! worker exited (exit code 3); restarting in {pause} s (restart {restart})"
        )
        pauses.append(pause)

        worker.supervise(now + pause - 0.1)  # not before the pause is over
        assert worker.proc.pid == pid
        now += pause
        worker.supervise(now)
        assert worker.proc.pid != pid
        assert capsys.readouterr().out == f"== worker started (pid {worker.proc.pid})\n"

    assert pauses == [1, 2, 4, 8, 16, 32, 60, 60]


def test_make_run_restarts_after_one_second_again_once_a_process_stayed_up_a_minute(
    started, capsys
):
    beat = _start(started, "beat", _exits(1), restart=True)
    beat.proc.wait(timeout=10)
    beat.supervise(0.1)
    beat.supervise(1.1)  # restarted: it will exit at once again
    beat.proc.wait(timeout=10)
    beat.supervise(1.2)
    assert "restarting in 2 s (restart 2)" in capsys.readouterr().out
    beat.supervise(3.2)  # restarted: this time it "stayed up" for a minute before exiting
    beat.proc.wait(timeout=10)

    beat.supervise(3.2 + run.STABLE_AFTER)

    assert capsys.readouterr().out.endswith("restarting in 1 s (restart 3)\n")


def test_make_run_names_the_signal_that_killed_a_process(started, capsys):
    worker = _start(started, "worker", SLEEPS, restart=True)
    assert f"== worker started (pid {worker.proc.pid})" in capsys.readouterr().out

    os.kill(worker.proc.pid, signal.SIGKILL)
    worker.proc.wait(timeout=10)
    worker.supervise(5.0)

    assert capsys.readouterr().out == (
        "!! worker exited (killed by SIGKILL); restarting in 1 s (restart 1)\n"
    )


def test_make_run_does_not_restart_the_web_server_and_says_why_it_stops(started, capsys):
    web = _start(started, "web", _exits(1), restart=False)
    web.proc.wait(timeout=10)
    pid = web.proc.pid

    assert web.supervise(100.0) is False

    assert capsys.readouterr().out.endswith("!! web exited (exit code 1); stopping the rest\n")
    assert web.restart_at is None
    assert web.proc.pid == pid


def test_stopping_ends_what_runs_and_starts_nothing_that_waits_for_a_restart(started, capsys):
    beat = _start(started, "beat", SLEEPS, restart=True)
    worker = _start(started, "worker", _exits(1), restart=True)
    worker.proc.wait(timeout=10)
    worker.supervise(1.0)  # waiting to be started again
    assert "restarting in 1 s" in capsys.readouterr().out
    exited = worker.proc

    run.stop([beat, worker])

    assert beat.proc.returncode == -signal.SIGTERM
    assert worker.proc is exited
    assert "started" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000"),
        ("localhost", "http://localhost:8000"),
        ("0.0.0.0", "http://127.0.0.1:8000"),  # every interface: reached on the loopback
        ("::", "http://localhost:8000"),
        ("[::]", "http://localhost:8000"),
        ("::1", "http://[::1]:8000"),
        ("192.168.1.20", "http://192.168.1.20:8000"),
    ],
)
def test_make_run_gives_the_apps_the_address_it_serves_as_their_site_url(host, url):
    assert run.served_url(host, 8000) == url
