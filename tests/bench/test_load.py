"""The pieces of the load benchmark (bench/load.py) that decide its verdict, without a
database or gunicorn: merging the roles' latencies, the connections option, and the wrk script
(bench/wrk_load.lua) against a tiny local server for one second: it must fill in each post's
ids, send each user's cookie, and count a wrong status or a redirect elsewhere as an error."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest

from bench.load import (
    WRK_SCRIPT,
    LoadUser,
    Step,
    client_uuid,
    lua_plan,
    marker,
    merged_percentile,
    parse_connections,
    post_body,
)


def _role(requests: int, micros: int) -> dict:
    """A role whose every request took ``micros``."""
    return {"requests": requests, "percentiles": [[p, micros] for p in range(1, 101)]}


def test_overall_percentiles_weigh_each_role_by_its_requests():
    fast, slow = _role(900, 1_000), _role(100, 100_000)

    assert merged_percentile([fast, slow], 0.50) == pytest.approx(1_000, rel=0.01)
    assert merged_percentile([fast, slow], 0.95) == pytest.approx(100_000, rel=0.01)
    assert merged_percentile([_role(0, 5)], 0.5) is None


def test_connections_option_names_each_role_once():
    assert parse_connections("coach=6,teacher=6,principal=3,district=1") == {
        "coach": 6,
        "teacher": 6,
        "principal": 3,
        "district": 1,
    }
    assert parse_connections("teacher=2")["coach"] == 0
    for wrong in ("nurse=2", "coach=many", "coach=0"):
        with pytest.raises(ValueError):
            parse_connections(wrong)


class _Server(BaseHTTPRequestHandler):
    """GET /page: 200; GET /gone: 404; POST /save: stored, 302 to /saved/; POST /elsewhere:
    302 to the sign-in page (not where a saved form goes)."""

    posts: list[tuple[str, dict]] = []
    cookies: set[str] = set()

    def _answer(self, status: int, location: str | None = None) -> None:
        self.cookies.add(self.headers.get("Cookie", ""))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self._answer(200 if self.path == "/page" else 404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        fields = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if self.path == "/save":
            self.posts.append((self.headers.get("X-Requested-With", ""), fields))
            self._answer(302, "/saved/")
        else:
            self._answer(302, "/accounts/login/?next=/elsewhere")

    def log_message(self, *args):
        pass


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk not installed (apt-get install wrk)")
def test_wrk_script_fills_post_ids_and_counts_unexpected_answers(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    run_id = "0123abcd"
    users = []
    for number in range(3):
        user = LoadUser("coach", SimpleNamespace(username=f"coach{number}"))
        user.cookies = {"sessionid": f"s{number}", "csrftoken": f"c{number}"}
        user.csrf_token = f"t{number}"
        user.steps = [
            Step("page", "GET", "/page", 200),
            Step("gone", "GET", "/gone", 200),
            Step(
                "save",
                "POST",
                "/save",
                302,
                location="/saved/",
                body=post_body(
                    user,
                    {"minutes": 15},
                    {"client_id": "{uuid}", "note": marker(run_id) + "{token}"},
                ),
                fetch=True,
            ),
            Step("elsewhere", "POST", "/elsewhere", 302, location="/saved/", body="x={token}"),
        ]
        users.append(user)
    plan = tmp_path / "plan.lua"
    plan.write_text(lua_plan(users))
    try:
        result = subprocess.run(
            [
                *("wrk", "-t", "2", "-c", "2", "-d", "1s", "-s", str(WRK_SCRIPT)),
                f"http://127.0.0.1:{server.server_port}/",
                *("--", str(plan), "2", run_id, "1"),
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    finally:
        server.shutdown()
        server.server_close()
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH_JSON "))
    load = json.loads(line.removeprefix("BENCH_JSON "))
    kinds = load["kinds"]

    assert kinds["page"]["ok"] > 0 and kinds["page"]["bad"] == 0
    assert kinds["gone"]["ok"] == 0 and kinds["gone"]["statuses"] == {"404": kinds["gone"]["bad"]}
    assert kinds["elsewhere"]["ok"] == 0 and kinds["elsewhere"]["statuses"]["302"] > 0
    assert "elsewhere" not in load["saved"]
    # Each post answered as saved reached the server with its own ids filled in.
    saved = load["saved"]["save"]
    assert len(saved) == kinds["save"]["ok"] > 0
    received = {fields["note"]: fields for _, fields in _Server.posts}
    for token in saved:
        fields = received[marker(run_id) + token]
        assert fields["client_id"] == client_uuid(run_id, 1, token)
        assert fields["csrfmiddlewaretoken"].startswith("t")
    assert len({fields["client_id"] for _, fields in _Server.posts}) == len(_Server.posts)
    assert {fetch for fetch, _ in _Server.posts} == {"fetch"}
    assert _Server.cookies <= {f"sessionid=s{n}; csrftoken=c{n}" for n in range(3)}
    assert len(_Server.cookies) == 3
    assert load["percentiles"][-1] == [100, load["max_us"]]
