"""Benchmark: context briefs for 1,000 upcoming debriefs in a district-scale database.

    .venv/bin/python bench/briefs.py                 # fresh database, default sizes
    .venv/bin/python bench/briefs.py --reuse         # keep an already seeded database
    .venv/bin/python bench/briefs.py --teachers 300 --observations 10000 --briefs 100

Uses DATABASE_URL, or postgres://postgres@127.0.0.1:5432/coaching_bench by default. The
database is dropped and created again (unless --reuse finds it seeded), so its name must
contain "bench". Then: migrate, `seed_scale` at the given sizes, and one brief built per
upcoming debrief with `coaching.services.context_brief_build` (or, if that service does not
exist, the selector `context_brief_assemble` alone), counting the SQL queries of each. Prints a
Markdown table and writes var/bench/briefs.json. Exit status 1 when a target is missed.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/coaching_bench"
TARGET_SECONDS = 60.0  # for 1,000 briefs
TARGET_BRIEFS = 1000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--coaches", type=int, default=150)
    parser.add_argument("--teachers", type=int, default=3000)
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--district-slug", default="scale")
    parser.add_argument("--briefs", type=int, default=TARGET_BRIEFS, help="briefs to build")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database if it is already seeded"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument(
        "--output", type=Path, default=None, help="JSON file (default var/bench/briefs.json)"
    )
    return parser.parse_args()


# --- The database -------------------------------------------------------------------------------


def _refuse_unless_bench(name: str) -> None:
    if "bench" not in name:
        sys.exit(
            f"Refusing to drop “{name}”: the benchmark only recreates a database whose name "
            "contains 'bench'. Point DATABASE_URL at one, or pass --reuse."
        )


def prepare_database(url: str, *, fresh: bool) -> bool:
    """Create the database if it is missing; drop and create it again when ``fresh``.
    Returns whether it existed (and was kept)."""
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        path = Path(unquote(parsed.path)[1:])  # as django-environ reads it
        if path.exists() and fresh:
            _refuse_unless_bench(path.name)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.exists()
    import psycopg2
    from psycopg2 import sql

    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres",
        user=unquote(parsed.username or "postgres"),
        password=unquote(parsed.password) if parsed.password else None,
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
            if exists and fresh:
                _refuse_unless_bench(name)
                cursor.execute(
                    sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
                )
                exists = False
            if not exists:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        admin.close()
    return exists


# --- Counting queries ---------------------------------------------------------------------------


class QueryCounter:
    """connection.execute_wrapper: counts every statement sent (execute and executemany)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main() -> int:
    args = parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")  # no query log kept in memory
    kept = prepare_database(url, fresh=not args.reuse)

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    from demo import scale_data
    from teachers.models import District

    try:
        from coaching.services import context_brief_build as build_service

        def build(cycle, session):
            return build_service(cycle=cycle, session=session)

        built_with = "coaching.services.context_brief_build"
    except ImportError:
        from coaching.selectors import context_brief_assemble

        def build(cycle, session):
            return context_brief_assemble(cycle=cycle)

        built_with = (
            "coaching.selectors.context_brief_assemble (service not found; no brief stored)"
        )

    def migrate() -> None:
        call_command("migrate", verbosity=0, interactive=False)

    migrate()
    slug = args.district_slug
    district = District.objects.filter(slug=slug).first()
    if district is not None:
        available = scale_data.upcoming_debriefs(district=district).count()
        if available <= args.briefs:
            print(
                f"Reused database has {available} upcoming debriefs (need {args.briefs + 1}): "
                "seeding it again."
            )
            connections.close_all()
            prepare_database(url, fresh=True)
            migrate()
            district = None
    seed_seconds = None
    seed_output = ""
    if district is None:
        out = StringIO()
        started = time.perf_counter()
        call_command(
            "seed_scale",
            schools=args.schools,
            coaches=args.coaches,
            teachers=args.teachers,
            observations=args.observations,
            seed=args.seed,
            district_slug=slug,
            no_progress=args.no_progress,
            stdout=out,
        )
        seed_seconds = time.perf_counter() - started
        seed_output = out.getvalue()
        print(seed_output, end="")
        district = District.objects.get(slug=slug)
    else:
        print(f"Reusing the seeded database ({'kept' if kept else 'new'}): seed not timed.")

    from coaching.models import CoachingCycle
    from observations.models import Observation
    from teachers.models import Teacher

    sizes = {
        "schools": district.schools.count(),
        "teachers": Teacher.objects.filter(school__district=district).count(),
        "cycles": CoachingCycle.objects.filter(teacher__school__district=district).count(),
        "observations": Observation.objects.filter(teacher__school__district=district).count(),
    }
    sessions = list(
        scale_data.upcoming_debriefs(district=district)
        .select_related("cycle__teacher__school", "cycle__assessment")
        .order_by("scheduled_for", "pk")[: args.briefs + 1]
    )
    if len(sessions) < args.briefs + 1:
        print(f"Only {len(sessions)} upcoming debriefs; need {args.briefs + 1}.")
        return 1
    warm_up, sessions = sessions[-1], sessions[:-1]
    build(warm_up.cycle, warm_up)  # first-use costs (connection, caches) stay out of the figures

    counter = QueryCounter()
    queries: list[int] = []
    seconds: list[float] = []
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        for session in sessions:
            before, t0 = counter.count, time.perf_counter()
            build(session.cycle, session)
            seconds.append(time.perf_counter() - t0)
            queries.append(counter.count - before)
        total = time.perf_counter() - started

    # The same brief for the teacher with 3 visits and the one with >= 300: the query count
    # must not grow with the visits. Built once first, so both take the same (update) path.
    few, many = scale_data.scale_reference_teachers(district=district)
    references = {}
    for label, ref in (("few", few), ("many", many)):
        if ref is None:
            continue
        build(ref.cycle, ref.session)
        counter = QueryCounter()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(counter):
            build(ref.cycle, ref.session)
        references[label] = {
            "teacher_id": ref.teacher.pk,
            "observations": ref.observations,
            "queries": counter.count,  # counted as in the main loop (no BEGIN / COMMIT)
            "sql": [q["sql"] for q in captured.captured_queries],
        }
    equal = len(references) == 2 and references["few"]["queries"] == references["many"]["queries"]
    fast = total < TARGET_SECONDS * len(sessions) / TARGET_BRIEFS

    engine = connection.vendor
    rate = len(sessions) / total
    mean_queries = statistics.fmean(queries)
    ordered = sorted(seconds)
    figures = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": engine,
        "built_with": built_with,
        "sizes_requested": {
            "schools": args.schools,
            "coaches": args.coaches,
            "teachers": args.teachers,
            "observations": args.observations,
            "seed": args.seed,
        },
        "sizes_in_database": sizes,
        "seed_seconds": None if seed_seconds is None else round(seed_seconds, 1),
        "briefs": len(sessions),
        "brief_seconds": round(total, 2),
        "briefs_per_second": round(rate, 1),
        "ms_per_brief": {
            "mean": round(1000 * statistics.fmean(seconds), 2),
            "p50": round(1000 * ordered[len(ordered) // 2], 2),
            "p95": round(1000 * ordered[int(len(ordered) * 0.95)], 2),
            "max": round(1000 * ordered[-1], 2),
        },
        "queries_per_brief": {
            "mean": round(mean_queries, 2),
            "min": min(queries),
            "max": max(queries),
        },
        "reference_teachers": references,
        "targets": {
            f"{TARGET_BRIEFS} briefs under {TARGET_SECONDS:.0f} s": fast,
            "same queries for 3 and >= 300 observations": equal,
        },
    }
    output = args.output or Path(settings.VAR_DIR) / "bench" / "briefs.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(figures, indent=2) + "\n")

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    few_q = references.get("few", {}).get("queries", "-")
    many_q = references.get("many", {}).get("queries", "-")
    many_n = references.get("many", {}).get("observations", "-")
    rows = [
        ("database", engine, "", ""),
        ("built with", built_with, "", ""),
        (
            "data",
            f"{sizes['schools']} schools, {sizes['teachers']} teachers, "
            f"{sizes['cycles']} cycles, {sizes['observations']} observations",
            "",
            "",
        ),
        ("seed time", "reused" if seed_seconds is None else f"{seed_seconds:.1f} s", "", ""),
        (
            f"{len(sessions)} briefs",
            f"{total:.2f} s",
            f"< {TARGET_SECONDS * len(sessions) / TARGET_BRIEFS:.0f} s",
            verdict(fast),
        ),
        ("briefs per second", f"{rate:.1f}", "", ""),
        (
            "ms per brief (p50 / p95 / max)",
            f"{figures['ms_per_brief']['p50']} / {figures['ms_per_brief']['p95']} / "
            f"{figures['ms_per_brief']['max']}",
            "",
            "",
        ),
        ("queries per brief (mean / max)", f"{mean_queries:.2f} / {max(queries)}", "", ""),
        (
            "queries: 3 obs vs " + f"{many_n} obs",
            f"{few_q} vs {many_q}",
            "equal",
            verdict(equal),
        ),
    ]
    print()
    print("| measure | value | target | result |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    print(f"\nWritten to {output}")
    if len(references) == 2 and not equal:
        print("\nQueries differ; the SQL of each is in the JSON file (reference_teachers).")
    if built_with.startswith("coaching.selectors"):
        print("NOTE: context_brief_build not found: timed context_brief_assemble only.")
    return 0 if fast and equal else 1


if __name__ == "__main__":
    sys.exit(main())
