"""bench/load.py's side of wrk (bench/wrk_load.lua): each role's users and their steps,
written as the Lua plan wrk reads, the posts' bodies with the marks wrk fills in, and the
latencies wrk reports back, per role and all roles together."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode


@dataclass
class Step:
    kind: str  # what the tables call it, e.g. "caseload", "time entry"
    method: str
    path: str
    status: int  # the expected status
    location: str | None = None  # a redirect's expected target (prefix)
    body: str | None = None  # a post's form, with {token} and {uuid} filled in by wrk
    fetch: bool = False  # sent as the page's script sends it (JSON answer)


@dataclass
class LoadUser:
    role: str
    account: Any  # accounts.models.User
    steps: list[Step] = field(default_factory=list)
    plan: dict = field(default_factory=dict)  # what a coach's posts refer to
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""

    @property
    def username(self) -> str:
        return self.account.username


# --- The wrk plan ------------------------------------------------------------------------------


def lua_string(text: str) -> str:
    if not text.isascii() or not text.isprintable():
        raise ValueError(f"not printable ASCII: {text!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def lua_plan(users: list[LoadUser]) -> str:
    """The plan of one role as the Lua table bench/wrk_load.lua reads (``dofile``)."""
    kinds = list(dict.fromkeys(step.kind for user in users for step in user.steps))
    lines = ["return {", "kinds = { " + ", ".join(lua_string(k) for k in kinds) + " },"]
    lines.append("users = {")
    for user in users:
        cookie = "; ".join(f"{k}={v}" for k, v in user.cookies.items())
        lines.append(f"  {{ cookie = {lua_string(cookie)}, steps = {{")
        for step in user.steps:
            fields = [
                f"k = {kinds.index(step.kind) + 1}",
                f"method = {lua_string(step.method)}",
                f"path = {lua_string(step.path)}",
                f"status = {step.status}",
            ]
            if step.location:
                fields.append(f"location = {lua_string(step.location)}")
            if step.body is not None:
                fields.append(f"body = {lua_string(step.body)}")
            if step.fetch:
                fields.append("fetch = true")
            lines.append("    { " + ", ".join(fields) + " },")
        lines.append("  } },")
    lines.append("} }")
    return "\n".join(lines) + "\n"


def post_body(user: LoadUser, fields: dict[str, str | int], marked: dict[str, str]) -> str:
    """A form body: the CSRF token, ``fields``, then ``marked`` fields, whose values hold
    wrk's ``{token}``/``{uuid}`` placeholders and are encoded by hand (spaces as +)."""
    body = urlencode({"csrfmiddlewaretoken": user.csrf_token, **fields})
    for name, value in marked.items():
        body += f"&{name}=" + value.replace(" ", "+")
    return body


def marker(run_id: str) -> str:
    """The text a post's marked field starts with; wrk appends the post's token."""
    return f"load {run_id} "


def client_uuid(run_id: str, role_no: int, token: str) -> str:
    """The client id wrk_load.lua gives the post ``token`` ("<thread>.<n>") of a role."""
    thread, seq = (int(x) for x in token.split("."))
    return f"{run_id}-{thread:04x}-4{role_no:03x}-8000-{seq:012x}"


# --- Latency of all roles together --------------------------------------------------------------


def merged_percentile(roles: list[dict], share: float) -> float | None:
    """The latency (µs) below which ``share`` (0-1) of all requests fall, from each role's
    request count and percentile points (wrk's histograms are per process): the mixture's
    distribution function, found by bisection."""
    parts = [(r["requests"], r["percentiles"]) for r in roles if r["requests"] and r["percentiles"]]
    total = sum(n for n, _ in parts)
    if not total:
        return None

    def below(points: list[list[float]], x: float) -> float:
        """The share of one role's requests at or below x µs (linear between points)."""
        prev_p, prev_x = 0.0, 0.0
        for p, value in points:
            if x < value:
                if value == prev_x:
                    return prev_p / 100
                return (prev_p + (p - prev_p) * (x - prev_x) / (value - prev_x)) / 100
            prev_p, prev_x = p, value
        return 1.0

    def mixture(x: float) -> float:
        return sum(n * below(points, x) for n, points in parts) / total

    low, high = 0.0, max(points[-1][1] for _, points in parts)
    for _ in range(60):
        middle = (low + high) / 2
        if mixture(middle) < share:
            low = middle
        else:
            high = middle
    return high


def role_figures(role: str, load: dict, users: int, connections: int) -> dict:
    seconds = load["duration_us"] / 1e6
    points = load["percentiles"] or []

    def at(p: float) -> float | None:
        return next((round(us / 1000, 2) for q, us in points if q >= p), None)

    kinds = load["kinds"] or {}
    bad = sum(k["bad"] for k in kinds.values())
    socket = load["errors"]
    socket_errors = socket["connect"] + socket["read"] + socket["write"] + socket["timeout"]
    return {
        "role": role,
        "users": users,
        "connections": connections,
        "requests": load["requests"],
        "seconds": round(seconds, 2),
        "rps": round(load["requests"] / seconds, 1) if seconds else 0.0,
        "ms": {"p50": at(50), "p95": at(95), "p99": at(99), "max": round(load["max_us"] / 1000, 2)},
        "unexpected_responses": bad,
        "socket_errors": socket,
        "errors": bad + socket_errors,
        "kinds": kinds,
        "percentiles": points,
    }
