"""Benchmark: coaches, teachers and principals at work at once, under gunicorn, bounded in time.

    .venv/bin/python bench/load.py                       # 1,000 teachers, 60 s of load
    .venv/bin/python bench/load.py --reuse               # keep the database if seeded at size
    .venv/bin/python bench/load.py --duration 20 --workers 4 --threads 4   # gthread workers

On its own PostgreSQL database (--database-url, default coaching_bench_load; dropped and
created again unless --reuse finds it seeded at --teachers; only a name containing "bench" is
ever dropped) with Redis as the shared cache (--cache-url, database 9 by default, emptied
first): `seed_scale` and VACUUM as bench/pages.py does, one live observation started for each
coach, a session and CSRF token for each user (Django's own login, as a sign-in makes them),
then gunicorn with bench/settings.py (production's settings over plain http) and one wrk
process per role, all running together for --duration seconds (bench/wrk_load.lua):

- coaches: their caseload, a teacher's page, the cycle's page, a time entry (POST /time/), a
  note and an engagement sweep in their live observation (POST, the page's JSON saves);
- teachers: their move page, the reflection page and, when their cycle allows one, a
  reflection (POST /my-move/reflect/);
- principals: the school dashboard, unfiltered and filtered (need area, coach, period);
- the district leader: the district view, unfiltered and filtered.

Every response must have the step's status (200 for pages, the redirect a saved form gives,
201 for an observation entry): anything else is an error. After the run every post answered
as saved is looked for in the database (by the id it carried). Prints Markdown tables and
writes var/bench/load.json; exit status 1 on any error or lost write. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import (  # noqa: E402  (the path above first)
    district_sizes,
    django_on,
    seeded_district,
)
from bench.load_report import report  # noqa: E402
from bench.load_wrk import (  # noqa: E402
    LoadUser,
    Step,
    client_uuid,
    lua_plan,
    marker,
    merged_percentile,
    post_body,
    role_figures,
)
from bench.server import (  # noqa: E402
    SETTINGS,
    WRK_MISSING,
    Gunicorn,
    http_request,
    var_dir,
    wrk_version,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/coaching_bench_load"
# Production's shared cache, in a Redis database of its own (bench/pages.py uses 12, the tests
# and CI 10-15).
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/9"
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_load.lua"
ROLES = ("coach", "teacher", "principal", "district")
DEFAULT_CONNECTIONS = "coach=6,teacher=6,principal=3,district=1"
OBSERVATION_FOCUS = "bench/load.py"  # the live observations this script starts
ACCESS_LOG_FORMAT = "%(m)s %(U)s ?%(q)s %(s)s %(D)s"  # method, path, query, status, µs


# Posts whose saving is checked after the run: kind -> the role that sends it.
WRITES = {
    "time entry": "coach",
    "observation note": "coach",
    "engagement sweep": "coach",
    "reflection": "teacher",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teachers", type=int, default=1000, help="district size (1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--district-slug", default="scale")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a database already seeded at its size"
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker; above 1: gthread (1: sync)"
    )
    parser.add_argument("--coaches", type=int, default=50, help="coaches at work (at most)")
    parser.add_argument("--teacher-users", type=int, default=200, help="teachers at work (at most)")
    parser.add_argument("--principals", type=int, default=20, help="principals (at most)")
    parser.add_argument(
        "--connections",
        default=DEFAULT_CONNECTIONS,
        help=f"wrk connections per role (default {DEFAULT_CONNECTIONS})",
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help=f"PostgreSQL database of its own (default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument(
        "--cache-url",
        default=DEFAULT_CACHE_URL,
        help=f"the shared cache, emptied first (default {DEFAULT_CACHE_URL})",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument(
        "--output", type=Path, default=None, help="JSON file (default var/bench/load.json)"
    )
    args = parser.parse_args(argv)
    try:
        args.connections_by_role = parse_connections(args.connections)
    except ValueError as exc:
        parser.error(str(exc))
    if args.duration < 1 or args.workers < 1 or args.threads < 1 or args.teachers < 1:
        parser.error("--duration, --workers, --threads and --teachers must be at least 1")
    if not args.database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        parser.error("bench/load.py runs on PostgreSQL only: give a postgres:// URL.")
    return args


def parse_connections(text: str) -> dict[str, int]:
    """``coach=6,teacher=6,principal=3,district=1`` -> connections per role (0: role idle)."""
    counts = dict.fromkeys(ROLES, 0)
    for part in text.split(","):
        role, _, number = part.strip().partition("=")
        if role not in counts or not number.isdigit():
            raise ValueError(f"--connections takes role=number pairs of {', '.join(ROLES)}")
        counts[role] = int(number)
    if not any(counts.values()):
        raise ValueError("--connections: at least one role needs a connection")
    return counts


# --- The run ------------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        print(WRK_MISSING, file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    url = args.database_url
    kept = django_on(url, cache_url=args.cache_url, fresh=not args.reuse)

    from django.conf import settings
    from django.core.cache import caches
    from django.db import connections
    from django.middleware.csrf import get_token
    from django.test import Client, RequestFactory
    from django.urls import reverse

    say = lambda text: print(f"[load] {text}", flush=True)  # noqa: E731
    sizes = district_sizes(args.teachers)
    district, seed_seconds = seeded_district(
        args, url=url, teachers=args.teachers, sizes=sizes, kept=kept, say=say
    )
    run_id = secrets.token_hex(4)
    users, live_observations = plan_users(args, district, say)
    by_role = {role: [u for u in users if u.role == role] for role in ROLES}
    connections_by_role = {
        role: min(args.connections_by_role[role], len(by_role[role])) for role in ROLES
    }

    # Sessions as a sign-in makes them (Django's login through the test client), in the same
    # session store and cache gunicorn uses; a CSRF cookie and a token for the forms.
    caches["default"].clear()  # the load starts from an empty cache, as after a deploy
    factory = RequestFactory()
    for user in users:
        client = Client()
        client.force_login(user.account)
        request = factory.get("/")
        user.csrf_token = get_token(request)
        user.cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: request.META["CSRF_COOKIE"],
        }
    fill_bodies(users, run_id)
    say("signed in: " + ", ".join(f"{role} {len(by_role[role])}" for role in ROLES))
    connections.close_all()

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": url}
    extra = ("--threads", str(args.threads)) if args.threads > 1 else ()
    # The access log gives each request's time in the server (wrk's latencies are per role).
    access_log = var_dir() / "bench" / "gunicorn-load-access.log"
    access_log.parent.mkdir(parents=True, exist_ok=True)
    access_log.write_text("")
    extra += ("--access-logfile", str(access_log), "--access-logformat", ACCESS_LOG_FORMAT)
    server = Gunicorn(
        workers=args.workers,
        env=env,
        log_path=var_dir() / "bench" / "gunicorn-load.log",
        extra_args=extra,
    )
    worker_kind = f"gthread, {args.threads} threads each" if args.threads > 1 else "sync"
    results: dict[str, dict] = {}
    wrk_processes: list[subprocess.Popen] = []
    started_at = None
    log_offset: int | None = None
    # Others' work on the machine skews the figures: the 1-minute load average before ours.
    load_average = round(os.getloadavg()[0], 2)
    try:
        server.start()
        say(f"gunicorn on 127.0.0.1:{server.port}: {args.workers} workers ({worker_kind})")
        prime(server.port, users, by_role, workers=args.workers, say=say)
        log_offset = access_log.stat().st_size  # what the load adds comes after
        with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
            base = f"http://127.0.0.1:{server.port}"
            outputs = {}
            started_at = datetime.datetime.now(datetime.UTC)
            for number, role in enumerate(ROLES, start=1):
                count = connections_by_role[role]
                if not count:
                    continue
                plan = Path(tmp) / f"{role}.lua"
                plan.write_text(lua_plan(by_role[role]))
                out = (Path(tmp) / f"{role}.out").open("w")
                outputs[role] = out
                command = ["wrk", "-t", str(count), "-c", str(count), "-d", f"{args.duration}s"]
                command += ["--timeout", "30s", "-s", str(WRK_SCRIPT), base + "/"]
                command += ["--", str(plan), str(count), run_id, str(number)]
                wrk_processes.append(
                    subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=tmp)
                )
            say(
                f"wrk: {args.duration} s, connections "
                + ", ".join(f"{r} {connections_by_role[r]}" for r in ROLES)
            )
            for process in wrk_processes:
                process.wait(timeout=args.duration + 120)
            for role, out in outputs.items():
                out.close()
                text = Path(out.name).read_text()
                line = next((x for x in text.splitlines() if x.startswith("BENCH_JSON ")), None)
                if line is None:
                    raise RuntimeError(f"wrk ({role}) gave no figures:\n{text[-2000:]}")
                load = json.loads(line.removeprefix("BENCH_JSON "))
                results[role] = role_figures(
                    role, load, len(by_role[role]), connections_by_role[role]
                )
                results[role]["saved"] = load["saved"] or {}
    finally:
        for process in wrk_processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
        server.stop()

    server_ms = server_times(access_log, log_offset, users)
    writes = check_writes(results, run_id, live_observations, roles=ROLES)
    finish_observations(live_observations)

    overall = overall_figures(list(results.values()))
    figures = {
        "when": (started_at or datetime.datetime.now(datetime.UTC)).isoformat(timespec="seconds"),
        "run_id": run_id,
        "database": settings.DATABASES["default"]["NAME"],
        "cache": args.cache_url,
        "settings": SETTINGS,
        "sizes_requested": {**sizes, "seed": args.seed},
        "sizes_in_database": database_sizes(district),
        "seed_seconds": None if seed_seconds is None else round(seed_seconds, 1),
        "load": {
            "generator": wrk_version(),
            "duration_s": args.duration,
            "gunicorn": {"workers": args.workers, "threads": args.threads, "kind": worker_kind},
            "connections": connections_by_role,
            "cpus": os.cpu_count(),
            "load_average_before": load_average,
        },
        "login_path": reverse("login"),
        "gunicorn_log": str(server.log_path),
        "roles": results,
        "overall": overall,
        "server_ms": server_ms,
        "writes": writes,
    }
    output = args.output or var_dir() / "bench" / "load.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(figures, indent=2) + "\n")

    lines = report(figures)
    print()
    print("\n".join(lines))
    print(f"\nWritten to {output}")
    lost = sum(w["missing"] for w in writes.values())
    failed = overall["errors"] or lost or not overall["requests"]
    if failed:
        print(f"FAIL: {overall['errors']} errors, {lost} lost writes.")
    return 1 if failed else 0


def plan_users(args, district, say) -> tuple[list[LoadUser], list]:
    """The users of each role and their steps (bodies filled in once sessions exist); starts a
    live observation for each coach."""
    from django.core.exceptions import ValidationError
    from django.db.models import Count
    from django.utils import timezone

    from coaching import selectors, services
    from coaching.access import schools_for
    from coaching.models import OPEN_STATES, CoachingCycle
    from my_move import selectors as my_move_selectors
    from observations.models import Observation
    from teachers.models import Membership, Role, Teacher

    # Visits an interrupted run left open.
    finish_observations(
        Observation.objects.filter(
            focus=OBSERVATION_FOCUS, started_at__isnull=False, ended_at__isnull=True
        )
    )
    users: list[LoadUser] = []
    today = datetime.date.today()
    period = urlencode({"start": (today - datetime.timedelta(days=90)).isoformat(), "end": today})

    # Coaches with the most open cycles first; each works on one open cycle (teacher page,
    # cycle page) and has a live observation in it.
    coach_rows = (
        CoachingCycle.objects.filter(teacher__school__district=district, state__in=OPEN_STATES)
        .values("coach")
        .annotate(n=Count("id"))
        .order_by("-n", "coach")
    )
    observations = []
    for row in coach_rows[: args.coaches]:
        cycles = (
            CoachingCycle.objects.filter(coach_id=row["coach"], state__in=OPEN_STATES)
            .exclude(agreed_move=None)
            .select_related("coach", "teacher")
            .order_by("pk")
        )
        for cycle in cycles[:5]:
            try:
                observation = services.cycle_schedule_observation(
                    cycle=cycle, scheduled_for=timezone.now(), focus=OBSERVATION_FOCUS
                )
                observation = services.cycle_observation_start(observation=observation)
            except ValidationError:
                continue
            break
        else:
            continue
        observations.append(observation)
        coach = cycle.coach
        schools = list(schools_for(coach, (Role.COACH,)).values_list("pk", flat=True))
        user = LoadUser("coach", coach)
        user.plan = {
            "cycle": cycle.pk,
            "school": cycle.teacher.school_id if cycle.teacher.school_id in schools else None,
            "several_schools": len(schools) > 1,
            "observation": observation.pk,
        }
        user.steps = [
            Step("caseload", "GET", "/caseload/", 200),
            Step("teacher page", "GET", f"/teachers/{cycle.teacher_id}/", 200),
            Step("cycle page", "GET", f"/cycles/{cycle.pk}/", 200),
            Step("time entry", "POST", "/time/", 302, location="/time/"),
            Step("observation note", "POST", f"/observations/{observation.pk}/entries/", 201),
            Step("engagement sweep", "POST", f"/observations/{observation.pk}/entries/", 201),
        ]
        users.append(user)
    if not any(u.role == "coach" for u in users) and args.connections_by_role["coach"]:
        raise RuntimeError("No coach with an open cycle that takes an observation.")
    say(f"{len(observations)} live observations started ({OBSERVATION_FOCUS})")

    # Teachers with a sign-in: those who may reflect now first.
    reflecting, others = [], []
    teachers = (
        Teacher.objects.filter(school__district=district, user__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    for teacher in teachers:
        cycle = my_move_selectors.teacher_own_open_cycle(user=teacher.user)
        may = cycle is not None and selectors.reflection_possible(
            cycle=cycle, school=cycle.teacher.school
        )
        (reflecting if may else others).append(teacher.user)
    for number, account in enumerate((reflecting + others)[: args.teacher_users]):
        user = LoadUser("teacher", account)
        user.steps = [
            Step("my move", "GET", "/my-move/", 200),
            Step("reflection page", "GET", "/my-move/reflect/", 200),
        ]
        if number < len(reflecting):
            user.steps.append(
                Step("reflection", "POST", "/my-move/reflect/", 302, location="/my-move/")
            )
        users.append(user)

    memberships = (
        Membership.objects.filter(role=Role.PRINCIPAL, school__district=district, is_active=True)
        .select_related("user")
        .order_by("school__name", "pk")
    )
    principals = list(dict.fromkeys(m.user for m in memberships))[: args.principals]
    for account in principals:
        coach = selectors.dashboard_coaches(user=account).first()
        user = LoadUser("principal", account)
        user.steps = [
            Step("dashboard", "GET", "/dashboard/", 200),
            Step("dashboard, need area", "GET", "/dashboard/?need_area=delivery", 200),
            Step("dashboard, period", "GET", f"/dashboard/?{period}", 200),
        ]
        if coach is not None:
            user.steps.append(Step("dashboard, coach", "GET", f"/dashboard/?coach={coach.pk}", 200))
        users.append(user)

    leader = Membership.objects.filter(
        role=Role.DISTRICT_LEADER, district=district, is_active=True
    ).first()
    if leader is not None:
        user = LoadUser("district", leader.user)
        user.steps = [
            Step("district view", "GET", "/district/", 200),
            Step("district view, need area", "GET", "/district/?need_area=planning", 200),
            Step("district view, period", "GET", f"/district/?{period}", 200),
        ]
        users.append(user)
    return users, observations


MANUAL_CATEGORIES = ("preparation", "documentation", "admin", "meetings", "coverage")


def fill_bodies(users: list[LoadUser], run_id: str) -> None:
    """The form bodies of the posts, with each user's CSRF token; wrk fills in the token of
    each post ({token}) and a client id ({uuid})."""
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()  # any zone
    mark = marker(run_id) + "{token}"
    for number, user in enumerate(users):
        for step in user.steps:
            if step.kind == "time entry":
                fields = {
                    "category": MANUAL_CATEGORIES[number % len(MANUAL_CATEGORIES)],
                    "minutes": 15 + number % 30,
                    "entry_date": yesterday,
                    "cycle": user.plan["cycle"],
                }
                if user.plan["several_schools"] and user.plan["school"]:
                    fields["school"] = user.plan["school"]
                step.body = post_body(user, fields, {"note": mark})
            elif step.kind == "observation note":
                step.fetch = True
                step.body = post_body(
                    user,
                    {"type": "note"},
                    {"client_id": "{uuid}", "text": mark + " students explain their steps"},
                )
            elif step.kind == "engagement sweep":
                step.fetch = True
                step.body = post_body(
                    user,
                    {
                        "type": "sweep",
                        "phase": "before_move" if number % 2 else "after_move",
                        "present_count": 24,
                        "engaged_count": 12 + number % 12,
                    },
                    {"client_id": "{uuid}"},
                )
            elif step.kind == "reflection":
                step.body = post_body(
                    user,
                    {
                        "students_did": "Most pairs wrote a full sentence answer on the board.",
                        "indicator_seen": ("yes", "partly", "no", "not_sure")[number % 4],
                        "engaged_count": 20,
                        "present_count": 26,
                    },
                    {"would_change": mark},
                )


def prime(port: int, users: list[LoadUser], by_role: dict, *, workers: int, say) -> None:
    """Before the load: each user opens their first page (a visit's first request stores the
    school's time zone in the session), and the first user of each role every page of theirs,
    which must answer with the step's status."""

    def first(user: LoadUser) -> tuple[LoadUser, Step, int]:
        step = user.steps[0]
        return user, step, http_request(port, "GET", step.path, cookies=user.cookies)[0]

    checks = [(u, s) for role in ROLES for u in by_role[role][:1] for s in u.steps[1:]]
    checks = [(u, s) for u, s in checks if s.method == "GET"]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(2, workers)) as pool:
        answers = list(pool.map(first, users))
        answers += list(
            pool.map(
                lambda pair: (
                    *pair,
                    http_request(port, "GET", pair[1].path, cookies=pair[0].cookies)[0],
                ),
                checks,
            )
        )
    wrong = [(u.username, s.path, status) for u, s, status in answers if status != s.status]
    if wrong:
        raise RuntimeError(f"Before the load, unexpected statuses: {wrong[:10]}")
    say(
        f"primed {len(users)} sessions, checked {len(checks)} pages "
        f"in {time.perf_counter() - started:.1f} s"
    )


def check_writes(results: dict, run_id: str, observations: list, *, roles) -> dict:
    """Every post answered as saved (its token, kept by wrk) looked for in the database."""
    from coaching.models import Reflection, TimeEntry
    from observations.models import EngagementSample, ObservationNote

    prefix = marker(run_id)
    role_numbers = {role: number for number, role in enumerate(roles, start=1)}

    def tokens(values) -> list[str]:
        return [v.removeprefix(prefix).split(" ")[0] for v in values]

    found: dict[str, list[str]] = {
        "time entry": tokens(
            TimeEntry.objects.filter(note__startswith=prefix).values_list("note", flat=True)
        ),
        "observation note": [
            str(c)
            for c in ObservationNote.objects.filter(observation__in=observations).values_list(
                "client_id", flat=True
            )
        ],
        "engagement sweep": [
            str(c)
            for c in EngagementSample.objects.filter(observation__in=observations).values_list(
                "client_id", flat=True
            )
        ],
    }
    history = getattr(Reflection, "history", None)
    if history is not None:  # a reflection is changed in place: each save is a history row
        found["reflection"] = tokens(
            history.model.objects.filter(would_change__startswith=prefix).values_list(
                "would_change", flat=True
            )
        )
    writes = {}
    for kind, role in WRITES.items():
        saved = results.get(role, {}).get("saved", {}).get(kind, [])
        if kind in ("observation note", "engagement sweep"):
            expected = [client_uuid(run_id, role_numbers[role], t) for t in saved]
        else:
            expected = list(saved)
        if kind not in found:
            writes[kind] = {"answered_saved": len(expected), "checked": False, "missing": 0}
            continue
        in_db = found[kind]
        missing = set(expected) - set(in_db)
        writes[kind] = {
            "answered_saved": len(expected),
            "rows": len(in_db),
            "checked": True,
            "missing": len(missing),
            "missing_examples": sorted(missing)[:5],
            # Saved, but wrk stopped before the answer came (the last request of each
            # connection) or gave up waiting: not lost, just not counted as answered.
            "saved_unanswered": len(set(in_db) - set(expected)),
            "duplicates": len(in_db) - len(set(in_db)),
        }
    return writes


def server_times(access_log: Path, offset: int | None, users: list[LoadUser]) -> list[dict]:
    """Each request kind's time in gunicorn (from request read to response written), from the
    access log lines the load wrote (after ``offset``): count and p50/p95/p99 in ms. A note
    and a sweep share their URL, so they are counted together."""
    if offset is None or not access_log.exists():
        return []
    names: dict[tuple[str, str], tuple[str, str]] = {}
    for user in users:
        for step in user.steps:
            key = (step.method, step.path)
            kind = names.get(key, (user.role, step.kind))[1]
            if kind != step.kind:  # one URL, two kinds
                kind = " / ".join(sorted({kind, step.kind}))
            names[key] = (user.role, kind)
    times: dict[tuple[str, str], list[float]] = {}
    with access_log.open() as log:
        log.seek(offset)
        for line in log:
            parts = line.split()
            if len(parts) != 5:
                continue
            method, path, query, _status, micros = parts
            full = path + ("?" + query[1:] if len(query) > 1 else "")
            key = names.get((method, full))
            if key is not None and micros.isdigit():
                times.setdefault(key, []).append(int(micros) / 1000)
    rows = []
    for (role, kind), values in times.items():
        values.sort()

        def at(share: float, values=values) -> float:
            return round(values[min(len(values) - 1, int(share * len(values)))], 1)

        rows.append(
            {
                "role": role,
                "kind": kind,
                "count": len(values),
                "p50": at(0.5),
                "p95": at(0.95),
                "p99": at(0.99),
            }
        )
    return sorted(rows, key=lambda row: (ROLES.index(row["role"]), -row["p50"]))


def finish_observations(observations) -> None:
    """End the live observations (their minutes are logged as observation time)."""
    from coaching import services

    for observation in list(observations):
        observation.refresh_from_db()
        if observation.ended_at is None:
            services.cycle_observation_finish(observation=observation)


def database_sizes(district) -> dict:
    from coaching.models import CoachingCycle
    from observations.models import Observation
    from teachers.models import Teacher

    return {
        "schools": district.schools.count(),
        "teachers": Teacher.objects.filter(school__district=district).count(),
        "cycles": CoachingCycle.objects.filter(teacher__school__district=district).count(),
        "observations": Observation.objects.filter(teacher__school__district=district).count(),
    }


def overall_figures(roles: list[dict]) -> dict:
    requests = sum(r["requests"] for r in roles)
    seconds = max((r["seconds"] for r in roles), default=0)

    def ms(share: float) -> float | None:
        us = merged_percentile(roles, share)
        return None if us is None else round(us / 1000, 2)

    return {
        "requests": requests,
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "ms": {
            "p50": ms(0.50),
            "p95": ms(0.95),
            "p99": ms(0.99),
            "max": max((r["ms"]["max"] for r in roles), default=None),
        },
        "errors": sum(r["errors"] for r in roles),
    }


if __name__ == "__main__":
    sys.exit(main())
