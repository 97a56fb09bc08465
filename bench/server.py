"""Serving on loopback for bench/pages.py and bench/load.py: requests and sign-ins against
the server, gunicorn started and stopped, wrk's version and the folder the figures go to."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "bench.settings"
PASSWORD = "scale-bench-2026"  # demo.scale_data.SCALE_PASSWORD (read without Django here)
WRK_MISSING = (
    "wrk not found. Install Debian's package: `apt-get install wrk` (as root; "
    "`apt-get update` first on a fresh machine). The benchmark never downloads a load "
    "generator itself."
)


def var_dir() -> Path:
    return Path(os.environ.get("APP_VAR_DIR", ROOT / "var")).resolve()


# --- HTTP against the server ---------------------------------------------------------------------


def http_request(
    port: int, method: str, path: str, *, cookies: dict[str, str] | None = None, form=None
) -> tuple[int, dict[str, str], bytes]:
    """One request, redirects not followed. Returns status, the cookies it set, the body."""
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        set_cookies: dict[str, str] = {}
        for header in response.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            set_cookies.update({k: morsel.value for k, morsel in jar.items()})
        return response.status, set_cookies, content
    finally:
        conn.close()


def sign_in(port: int, login_path: str, username: str) -> dict[str, str]:
    """Post the sign-in form as a browser would (CSRF cookie and token); returns the cookies
    the browser then holds: the session and the CSRF cookie (Django gives a new one on sign-in).
    """
    status, cookies, body = http_request(port, "GET", login_path)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or "csrftoken" not in cookies or match is None:
        raise RuntimeError(f"GET {login_path}: status {status}, no CSRF cookie or token")
    form = {
        "username": username,
        "password": PASSWORD,
        "csrfmiddlewaretoken": match.group(1).decode(),
    }
    status, set_cookies, body = http_request(
        port, "POST", login_path, cookies={"csrftoken": cookies["csrftoken"]}, form=form
    )
    if status != 302 or not set_cookies.get("sessionid"):
        raise RuntimeError(f"Sign-in as {username} failed: status {status}")
    return {"csrftoken": cookies["csrftoken"], **set_cookies}


# --- gunicorn ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn in its own session (Ctrl-C reaches us, not it); stop() always ends it."""

    def __init__(
        self,
        *,
        workers: int,
        env: dict[str, str],
        log_path: Path,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.workers, self.env, self.log_path = workers, env, log_path
        self.extra_args = extra_args  # e.g. ("--threads", "4"): gthread workers
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        command = [
            *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
            *("--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)),
            *("--chdir", str(ROOT), "--timeout", "120", "--graceful-timeout", "5"),
            "--no-control-socket",  # none in the home folder, none shared between runs
            *self.extra_args,
        ]
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                if http_request(self.port, "GET", "/bench/bare/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()  # the master stops its workers gracefully
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own group: the master and workers
            self.proc.wait(timeout=5)


def wrk_version() -> str:
    result = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (result.stdout + result.stderr).splitlines()[0].strip()
