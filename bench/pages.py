"""Benchmark: the role home pages under gunicorn and wrk, against a bare Django view.

    .venv/bin/python bench/pages.py                  # 1,000 and 3,000 teachers, fresh databases
    .venv/bin/python bench/pages.py --sizes 1000     # one size (no comparison of queries)
    .venv/bin/python bench/pages.py --reuse          # keep databases already seeded
    .venv/bin/python bench/pages.py --duration 5 --connections 4

For each district size, on its own PostgreSQL database (DATABASE_URL's name, default
coaching_bench_pages, with `_<teachers>` appended; dropped and created again unless --reuse,
so the name must contain "bench"): migrate, `seed_scale`, `VACUUM (ANALYZE)`, `collectstatic`,
count the SQL queries of each page in-process, then start gunicorn on 127.0.0.1 with
bench/settings.py (production's settings over plain http) and let wrk (Debian's package:
apt-get install wrk) request each page for a fixed time, signed in as the page's role: the
bare view, the school dashboard (the principal of the largest school), the district view (the
district leader; "not built yet" while the URL `district_dashboard` does not exist), a coach's
caseload (the largest) and a teacher's move page (the teacher with a sign-in, an open cycle and
the most cycles).
Prints Markdown tables and writes var/bench/pages.json. Exit status 1 when a target is missed.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import (  # noqa: E402  (the path above first)
    district_sizes,
    django_on,
    seeded_district,
)
from bench.server import (  # noqa: E402
    SETTINGS,
    WRK_MISSING,
    Gunicorn,
    http_request,
    sign_in,
    var_dir,
    wrk_version,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/coaching_bench_pages"
# Production's shared cache (sessions, data versions, pages): a Redis database of its own.
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/12"
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"


@dataclass(frozen=True)
class Page:
    name: str
    url_name: str
    role: str | None  # whose session requests it; None: no session cookie
    min_ratio: float | None = None  # req/s at least this share of the bare view's


PAGES = (
    Page("bare", "bench_bare", None),
    Page("dashboard", "dashboard", "principal", 0.30),
    Page("district_dashboard", "district_dashboard", "district"),
    Page("caseload", "caseload", "coach"),
    Page("my_move", "my_move", "teacher", 0.60),
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="1000,3000",
        help="district sizes by number of teachers, comma-separated (default 1000,3000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--district-slug", default="scale")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a database already seeded at its size"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument(
        "--warmup", type=int, default=2, help="seconds of load per page first, not counted"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--cache-url",
        default=DEFAULT_CACHE_URL,
        help=f"the shared cache, emptied first (default {DEFAULT_CACHE_URL})",
    )
    parser.add_argument(
        "--renders", type=int, default=20, help="renders per page timed in-process, cache off"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument(
        "--output", type=Path, default=None, help="JSON file (default var/bench/pages.json)"
    )
    # Internal: the parent runs each size in a child process (one Django set-up per database).
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-output", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        args.size_list = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes numbers of teachers, e.g. 1000,3000")
    if not args.size_list or min(args.size_list) < 1:
        parser.error("--sizes takes numbers of teachers, e.g. 1000,3000")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads")
    return args


def size_database_url(base: str, teachers: int) -> str:
    parsed = urlparse(base)
    name = parsed.path.lstrip("/")
    return urlunparse(parsed._replace(path=f"/{name}_{teachers}"))


# --- wrk -----------------------------------------------------------------------------------------


def wrk_run(
    args: argparse.Namespace, url: str, cookies: dict[str, str] | None, seconds: int
) -> dict:
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections)]
    command += ["-d", f"{seconds}s", "--timeout", "30s", "-s", str(WRK_SCRIPT)]
    if cookies:
        command += ["-H", "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError(f"wrk gave no figures (exit {result.returncode}):\n{result.stderr}")


def load_figures(load: dict) -> dict:
    errors = load["errors"]
    return {
        "requests": load["requests"],
        "seconds": round(load["duration_us"] / 1e6, 2),
        "rps": round(load["requests"] / (load["duration_us"] / 1e6), 1),
        "ms": {
            key.removesuffix("_us"): round(load[key] / 1000, 2)
            for key in ("p50_us", "p75_us", "p90_us", "p95_us", "p99_us", "max_us")
        },
        "non200": load["non200"],
        "first_bad_status": load["first_bad_status"] or None,
        "socket_errors": errors,
        "all_200": load["non200"] == 0 and errors["timeout"] == 0 and load["requests"] > 0,
    }


# --- One size (child process) --------------------------------------------------------------------


class QueryTimer:
    """connection.execute_wrapper: the milliseconds of each statement, finer than the query
    log's (which rounds to the millisecond)."""

    def __init__(self) -> None:
        self.ms: list[float] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms.append(1000 * (time.perf_counter() - started))


def code_fingerprint() -> str:
    """A hash of the app's Python files and templates: the figures of two sizes (or of the
    in-process count and the load) compare only if the code did not change in between."""
    digest = hashlib.sha256()
    folders = ("accounts", "coaching", "config", "core", "observations", "teachers", "templates")
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".py", ".html"} and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def measure_size(args: argparse.Namespace, teachers: int) -> dict:
    code_at_start = code_fingerprint()
    sizes = district_sizes(teachers)
    url = size_database_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL), teachers)
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise SystemExit("bench/pages.py measures on PostgreSQL only: give a postgres:// URL.")
    kept = django_on(url, cache_url=args.cache_url, fresh=not args.reuse)

    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection, connections
    from django.db.models import Count, Exists, OuterRef
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import NoReverseMatch, reverse

    from accounts.models import User
    from coaching.models import OPEN_STATES, CoachingCycle
    from observations.models import Observation
    from teachers.models import CaseloadAssignment, Membership, Role, Teacher

    say = lambda text: print(f"[{teachers} teachers] {text}", flush=True)  # noqa: E731
    district, seed_seconds = seeded_district(
        args, url=url, teachers=teachers, sizes=sizes, kept=kept, say=say
    )

    in_database = {
        "schools": district.schools.count(),
        "teachers": Teacher.objects.filter(school__district=district).count(),
        "cycles": CoachingCycle.objects.filter(teacher__school__district=district).count(),
        "observations": Observation.objects.filter(teacher__school__district=district).count(),
    }

    # Who signs in: the heaviest page of each role.
    school = (
        district.schools.annotate(n=Count("teachers")).order_by("-n", "pk").first()
    )  # the largest school
    principal = Membership.objects.get(role=Role.PRINCIPAL, school=school).user
    leader = Membership.objects.get(role=Role.DISTRICT_LEADER, district=district).user
    coach_row = (
        CaseloadAssignment.objects.filter(teacher__school__district=district, ended_on__isnull=True)
        .values("coach")
        .annotate(n=Count("id"))
        .order_by("-n", "coach")
        .first()
    )
    coach = User.objects.get(pk=coach_row["coach"])
    teacher = (
        Teacher.objects.filter(school__district=district, user__isnull=False)
        .annotate(n=Count("cycles"))
        .filter(Exists(CoachingCycle.objects.filter(teacher=OuterRef("pk"), state__in=OPEN_STATES)))
        .order_by("-n", "pk")
        .first()
    )
    if teacher is None:
        raise RuntimeError("No teacher with a sign-in and an open cycle in the seeded data.")
    users = {"principal": principal, "district": leader, "coach": coach, "teacher": teacher.user}
    accounts = {
        "principal": {
            "username": principal.username,
            "school": school.name,
            "teachers_in_school": school.n,
        },
        "district": {"username": leader.username, "schools": in_database["schools"]},
        "coach": {"username": coach.username, "caseload": coach_row["n"]},
        "teacher": {
            "username": teacher.user.username,
            "cycles": teacher.n,
            "observations": Observation.objects.filter(teacher=teacher).count(),
            "open_cycle_has_move": CoachingCycle.objects.filter(
                teacher=teacher, state__in=OPEN_STATES, agreed_move__isnull=False
            ).exists(),
        },
    }

    paths: dict[str, str | None] = {}
    for page in PAGES:
        try:
            paths[page.name] = reverse(page.url_name)
        except NoReverseMatch:
            paths[page.name] = None

    # In-process against the same database, each page twice over: rendered with the page cache
    # off (its queries, the plan of its slowest SELECT, its render time over --renders renders
    # or 15 s), then served from the cache (the queries and time of a hit). One request first:
    # it stores the school time zone in the session and sets the CSRF cookie, as the first
    # request of a real visit does.
    caches["default"].clear()

    def timed(client, path: str, count: int, budget_s: float = 15.0) -> list[float]:
        times, started = [], time.perf_counter()
        while len(times) < count and (len(times) < 3 or time.perf_counter() - started < budget_s):
            begin = time.perf_counter()
            client.get(path)
            times.append(1000 * (time.perf_counter() - begin))
        return sorted(times)

    def centile(times: list[float], share: float) -> float:
        return round(times[min(len(times) - 1, int(share * len(times)))], 2)

    results: dict[str, dict] = {}
    for page in PAGES:
        path = paths[page.name]
        if path is None:
            results[page.name] = {"built": False, "url_name": page.url_name}
            say(f"{page.name}: not built yet (no URL named {page.url_name!r})")
            continue
        user = users[page.role].username if page.role else None
        client = Client(SERVER_NAME="127.0.0.1")
        if page.role:
            client.force_login(users[page.role])
        timer = QueryTimer()
        try:
            with override_settings(VERSIONED_CACHE=False):
                client.get(path)
                with (
                    CaptureQueriesContext(connection) as captured,
                    connection.execute_wrapper(timer),
                ):
                    response = client.get(path)
                # Read now: the next requests empty the query log this refers to.
                captured_sql = [q["sql"] for q in captured.captured_queries]
                if response.status_code != 200:
                    raise RuntimeError(f"status {response.status_code}")
                renders = timed(client, path, args.renders)
            client.get(path)  # rendered and stored
            with CaptureQueriesContext(connection) as cached:
                response = client.get(path)
            cached_count = len(cached.captured_queries)
            if response.status_code != 200:
                raise RuntimeError(f"status {response.status_code} from the cache")
            hits = timed(client, path, 500, budget_s=2.0)
        except Exception as exc:  # a page being built may fail: report it, measure the rest
            if page.name == "bare":
                raise
            error = f"in-process: {type(exc).__name__}: {exc}"
            results[page.name] = {"built": True, "path": path, "user": user, "error": error}
            say(f"{page.name}: ERROR {error}")
            continue
        # The captured SQL (parameters filled in) with the wrapper's finer timing, in order.
        queries = [
            {"ms": round(ms, 2), "sql": sql} for sql, ms in zip(captured_sql, timer.ms, strict=True)
        ]
        slowest = sorted(queries, key=lambda q: -q["ms"])
        plan = None
        selects = (q for q in slowest if q["sql"].lstrip().upper().startswith("SELECT"))
        heaviest = next(selects, None)
        if heaviest is not None:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + heaviest["sql"])
                plan = [row[0] for row in cursor.fetchall()]
        results[page.name] = {
            "built": True,
            "path": path,
            "user": user,
            "queries": len(queries),
            "queries_cached": cached_count,
            "query_ms_in_process": round(sum(q["ms"] for q in queries), 2),
            "render_ms": {"p50": centile(renders, 0.5), "p95": centile(renders, 0.95)},
            "renders": len(renders),
            "hit_ms_in_process": centile(hits, 0.5),
            "slowest_queries": slowest[:3],
            "slowest_select_plan": plan,
            "sql": [q["sql"] for q in queries],
        }
        say(
            f"{page.name}: {len(queries)} queries, render p50 {centile(renders, 0.5)} ms "
            f"({len(renders)} renders); from the cache {cached_count} queries, "
            f"p50 {centile(hits, 0.5)} ms"
        )
    connections.close_all()

    # The load: gunicorn + wrk.
    caches["default"].clear()  # the load starts from an empty cache, as after a deploy
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": url}
    server = Gunicorn(
        workers=args.workers,
        env=env,
        log_path=var_dir() / "bench" / f"gunicorn-pages-{teachers}.log",
    )
    try:
        server.start()
        say(f"gunicorn on 127.0.0.1:{server.port} with {args.workers} workers")
        login_path = reverse("login")
        sessions = {
            role: sign_in(server.port, login_path, user.username) for role, user in users.items()
        }
        base = f"http://127.0.0.1:{server.port}"
        for page in PAGES:
            figures = results[page.name]
            if not figures["built"] or "error" in figures:
                continue
            cookies = sessions[page.role] if page.role else None
            status, _, body = http_request(server.port, "GET", figures["path"], cookies=cookies)
            if status != 200:
                if page.name == "bare":
                    raise RuntimeError(f"bare view: status {status}")
                figures["error"] = f"gunicorn: status {status} before the load"
                say(f"{page.name}: ERROR {figures['error']}")
                continue
            figures["bytes"] = len(body)
            if args.warmup:
                wrk_run(args, base + figures["path"], cookies, args.warmup)
            load = wrk_run(args, base + figures["path"], cookies, args.duration)
            figures.update(load_figures(load))
            after = http_request(server.port, "GET", figures["path"], cookies=cookies)[0]
            figures["status_after"] = after
            figures["all_200"] = figures["all_200"] and after == 200
            say(
                f"{page.name}: {figures['rps']} req/s, p50 {figures['ms']['p50']} ms, "
                f"p95 {figures['ms']['p95']} ms"
                + ("" if figures["all_200"] else f" — NOT ALL 200 ({load['non200']} others)")
            )
        # The bare view once more at the end: the ratios use the mean of both runs, so a
        # neighbour's load on the machine during one of them weighs less.
        bare = results["bare"]
        bare["end"] = load_figures(wrk_run(args, base + bare["path"], None, args.duration))
        bare["all_200"] = bare["all_200"] and bare["end"]["all_200"]
        bare["rps_start"] = bare["rps"]
        bare["rps"] = round((bare["rps_start"] + bare["end"]["rps"]) / 2, 1)
        say(f"bare again: {bare['end']['rps']} req/s (mean {bare['rps']})")
    finally:
        server.stop()

    bare_rps = results["bare"].get("rps")
    for figures in results.values():
        if figures.get("rps") is not None and bare_rps:
            figures["ratio"] = round(figures["rps"] / bare_rps, 3)
    return {
        "teachers": teachers,
        "database": settings.DATABASES["default"]["NAME"],
        "sizes_requested": {**sizes, "seed": args.seed},
        "sizes_in_database": in_database,
        "seed_seconds": None if seed_seconds is None else round(seed_seconds, 1),
        "accounts": accounts,
        "gunicorn_log": str(server.log_path),
        "code": {"at_start": code_at_start, "at_end": code_fingerprint()},
        "pages": results,
    }


def child_main(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    try:
        figures = measure_size(args, args.child)
    except KeyboardInterrupt:  # gunicorn is stopped by then (a finally block)
        return 130
    args.child_output.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


# --- The report (parent process) -----------------------------------------------------------------


def _ms(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def size_table(figures: dict) -> list[str]:
    data = figures["sizes_in_database"]
    seed = figures["seed_seconds"]
    lines = [
        f"### {figures['teachers']:,} teachers: {data['schools']} schools, "
        f"{data['cycles']:,} cycles, {data['observations']:,} observations "
        f"(seed {'reused' if seed is None else f'{seed:.0f} s'})",
        "",
        "| page | user | p50 ms | p95 ms | p99 ms | req/s | ratio to bare | queries | "
        "render p50 / p95 ms, cache off | queries, from the cache | KB | all 200 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for page in PAGES:
        p = figures["pages"][page.name]
        if not p["built"]:
            lines.append(f"| {page.name} | not built yet (no URL `{page.url_name}`) |" + " |" * 10)
            continue
        if "error" in p:
            error = p["error"].replace("|", "/")[:160]
            lines.append(f"| {page.name} | {p['user']} | ERROR: {error} |" + " |" * 9)
            continue
        ms, render = p.get("ms", {}), p.get("render_ms", {})
        lines.append(
            f"| {page.name} | {p['user'] or '(none)'} | {_ms(ms.get('p50'))} | "
            f"{_ms(ms.get('p95'))} | {_ms(ms.get('p99'))} | {p.get('rps', '-')} | "
            f"{p.get('ratio', 0):.2f} | {p['queries']} | {_ms(render.get('p50'))} / "
            f"{_ms(render.get('p95'))} | {p.get('queries_cached', '-')} | "
            f"{p.get('bytes', 0) / 1024:.1f} | {'yes' if p.get('all_200') else 'NO'} |"
        )
    bare = figures["pages"]["bare"]
    if "end" in bare:
        start, end = bare["rps_start"], bare["end"]["rps"]
        lines += [
            "",
            f"Bare view: {start} req/s before the pages, {end} after; the ratios use the mean."
            + (
                " WARNING: they differ by more than 20%: something else was using the CPUs."
                if abs(start - end) > 0.2 * max(start, end)
                else ""
            ),
        ]
    return lines


def verdicts(page: Page, per_size: list[dict]) -> tuple[str, str]:
    """The target of one page and whether it is met at every size."""
    pages = [figures["pages"][page.name] for figures in per_size]
    if not any(p["built"] for p in pages):
        return "-", "not built yet"
    targets, failures = [], []
    if page.min_ratio is not None:
        targets.append(f"ratio ≥ {page.min_ratio:.2f}")
    targets.append("no SQL" if page.name == "bare" else "queries equal")
    measured = []
    for figures, p in zip(per_size, pages, strict=True):
        at = f"@{figures['teachers']}"
        if not p["built"]:
            failures.append(f"not built {at}")
        elif "error" in p:
            failures.append(f"error {at}")
        else:
            measured.append(p)
            if page.min_ratio is not None and p.get("ratio", 0) < page.min_ratio:
                failures.append(f"ratio {p.get('ratio', 0):.2f} {at}")
            if not p.get("all_200"):
                failures.append(f"not all 200 {at}")
    if page.name == "bare":
        failures += [f"{p['queries']} queries" for p in measured if p["queries"]]
    elif len({p["queries"] for p in measured}) > 1:
        failures.append("queries differ")
    verdict = "FAIL: " + ", ".join(failures) if failures else "PASS"
    if not failures and page.name != "bare" and len(per_size) < 2:
        verdict = "PASS (queries: one size only)"
    return ", ".join(targets), verdict


def _queries(p: dict) -> str:
    if not p["built"]:
        return "not built"
    return "error" if "error" in p else str(p["queries"])


def comparison_table(per_size: list[dict]) -> tuple[list[str], dict[str, str]]:
    largest = per_size[-1]
    counts = " | ".join(f"queries @{f['teachers']}" for f in per_size)
    lines = [
        f"### Comparison (latency and req/s at {largest['teachers']:,} teachers)",
        "",
        f"| page | p50 ms | p95 ms | req/s | ratio to bare | render p50 ms, cache off | {counts} "
        "| target | result |",
        "| --- | --- | --- | --- | --- | --- |" + " --- |" * len(per_size) + " --- | --- |",
    ]
    results = {}
    for page in PAGES:
        p = largest["pages"][page.name]
        target, verdict = verdicts(page, per_size)
        results[page.name] = verdict
        queries = " | ".join(_queries(f["pages"][page.name]) for f in per_size)
        if not p["built"] or "error" in p:
            state = "not built yet" if not p["built"] else "error"
            lines.append(f"| {page.name} | {state} | | | | | {queries} | {target} | {verdict} |")
            continue
        ms = p.get("ms", {})
        lines.append(
            f"| {page.name} | {_ms(ms.get('p50'))} | {_ms(ms.get('p95'))} | "
            f"{p.get('rps', '-')} | {p.get('ratio', 0):.2f} | "
            f"{_ms(p.get('render_ms', {}).get('p50'))} | {queries} | {target} | {verdict} |"
        )
    return lines, results


class _Terminated:
    """SIGTERM in the parent: pass it on to the child, which stops its gunicorn and exits;
    the parent's wait then returns and it exits too."""

    def __init__(self) -> None:
        self.child: subprocess.Popen | None = None
        self.received = False

    def __call__(self, signum, frame) -> None:
        self.received = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signal.SIGTERM)


def main() -> int:
    args = parse_args()
    if args.child is not None:
        return child_main(args)
    if shutil.which("wrk") is None:
        print(WRK_MISSING, file=sys.stderr)
        return 2
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)

    per_size: list[dict] = []
    failed: list[str] = []
    terminated = _Terminated()
    signal.signal(signal.SIGTERM, terminated)
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        for teachers in args.size_list:
            out = Path(tmp) / f"{teachers}.json"
            command = [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]]
            command += ["--child", str(teachers), "--child-output", str(out)]
            child = terminated.child = subprocess.Popen(command, cwd=ROOT)
            try:
                code = child.wait()
            except KeyboardInterrupt:
                child.wait()  # it got the Ctrl-C too and stops its gunicorn
                print("\nInterrupted.", file=sys.stderr)
                return 130
            if terminated.received:
                return 143
            if code != 0 or not out.exists():
                failed.append(f"{teachers} teachers (exit status {code})")
                continue
            per_size.append(json.loads(out.read_text()))

    if not per_size:
        print("No size measured: " + "; ".join(failed), file=sys.stderr)
        return 1
    lines: list[str] = []
    for figures in per_size:
        lines += [*size_table(figures), ""]
    comparison, results = comparison_table(per_size)
    lines += comparison

    figures = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load": {
            "generator": wrk_version(),
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "connections": args.connections,
            "threads": args.threads,
            "gunicorn_workers": args.workers,
            "cpus": os.cpu_count(),
        },
        "settings": SETTINGS,
        "sizes": {str(f["teachers"]): f for f in per_size},
        "results": results,
        "code_changed_during_run": len({c for f in per_size for c in f["code"].values()}) > 1,
        "failed_sizes": failed,
    }
    output = args.output or var_dir() / "bench" / "pages.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(figures, indent=2) + "\n")

    print()
    print(
        f"wrk: {args.duration} s per page after {args.warmup} s of warm-up, "
        f"{args.connections} connections, {args.threads} threads; gunicorn: "
        f"{args.workers} sync workers; {os.cpu_count()} CPUs shared with PostgreSQL and wrk."
    )
    print()
    print("\n".join(lines))
    print(f"\nWritten to {output}")
    for size in failed:
        print(f"FAILED to measure {size}: see the output above.")
    codes = {code for f in per_size for code in f["code"].values()}
    if len(codes) > 1:
        print(
            "WARNING: the app's code changed during the run (fingerprints "
            + ", ".join(
                f"{f['teachers']}: {f['code']['at_start']}→{f['code']['at_end']}" for f in per_size
            )
            + "): the sizes may not compare. Run again when nobody is editing."
        )
    missed = [name for name, verdict in results.items() if verdict.startswith("FAIL")]
    return 1 if missed or failed else 0


if __name__ == "__main__":
    sys.exit(main())
