"""Benchmark: a district-sized OneRoster 1.1 bundle imported three times.

    .venv/bin/python bench/roster.py        # 150 schools, 6,000 teachers, 90,000 students
    .venv/bin/python bench/roster.py --schools 20 --teachers 600 --students 9000

Uses DATABASE_URL, or postgres://postgres@127.0.0.1:5432/coaching_bench_roster by default; the
database is dropped and created again each run, so its name must contain "bench". Writes a
bundle (orgs, staff, students; students are skipped by the import) and runs, through
`rosters.services.roster_bundle_import` as the Celery job and `manage.py import_roster` do:

1. a dry run on the empty district (everything "create", nothing written);
2. the import itself (one transaction);
3. the same bundle again (everything "unchanged", nothing written);
4. a newer bundle: 5% of the staff renamed, 2% `tobedeleted`.

Prints a Markdown table (seconds, rows per second, SQL queries, the counts) and writes
var/bench/roster.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/coaching_bench_roster"
STAMP = "2026-08-20T09:00:00.000Z"
NEWER = "2026-11-20T09:00:00.000Z"
ORG_HEADER = ["sourcedId", "status", "dateLastModified", "name", "type", "identifier"]
ORG_HEADER += ["parentSourcedId"]
USER_HEADER = ["sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role"]
USER_HEADER += ["username", "userIds", "givenName", "familyName", "middleName", "identifier"]
USER_HEADER += ["email", "sms", "phone", "agentSourcedIds", "grades", "password"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=150)
    parser.add_argument("--teachers", type=int, default=6000)
    parser.add_argument("--students", type=int, default=90000)
    return parser.parse_args()


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def make_bundle(args: argparse.Namespace, *, newer: bool = False) -> dict[str, bytes]:
    """The files of a bundle, by name. ``newer``: 5% of the staff renamed, 2% to be deleted."""
    orgs = [["d-1", "active", STAMP, "Bench Unified", "district", "", ""]]
    orgs += [
        [f"s-{i}", "active", STAMP, f"Bench School {i}", "school", "", "d-1"]
        for i in range(args.schools)
    ]
    users = []
    for i in range(args.teachers):
        school = f"s-{i % args.schools}"
        second = f",s-{(i + 1) % args.schools}" if i % 10 == 0 else ""
        status, enabled, stamp, family = "active", "true", STAMP, f"Teacher{i}"
        if newer and i % 20 == 0:
            family, stamp = f"Renamed{i}", NEWER
        if newer and i % 50 == 7:
            status, stamp = "tobedeleted", NEWER
        email = f"t{i}@bench.example"
        users.append(
            [f"t-{i}", status, stamp, enabled, school + second, "teacher", email, "", "Pat",
             family, "", "", email, "", "", "", "", ""]
        )  # fmt: skip
    for i in range(args.schools):
        email = f"p{i}@bench.example"
        users.append(
            [f"a-{i}", "active", STAMP, "true", f"s-{i}", "administrator", email, "", "Sam",
             f"Principal{i}", "", "", email, "", "", "", "", ""]
        )  # fmt: skip
    for i in range(args.students):
        users.append(
            [f"st-{i}", "active", STAMP, "true", f"s-{i % args.schools}", "student", f"st{i}",
             "", "Kid", f"Student{i}", "", "", "", "", "", "", "05", ""]
        )  # fmt: skip
    manifest = [
        ["manifest.version", "1.0"],
        ["oneroster.version", "1.1"],
        ["file.orgs", "bulk"],
        ["file.users", "bulk"],
    ]
    return {
        "manifest.csv": _csv(["propertyName", "value"], manifest),
        "orgs.csv": _csv(ORG_HEADER, orgs),
        "users.csv": _csv(USER_HEADER, users),
    }


def main() -> int:
    args = parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    from bench.briefs import prepare_database

    prepare_database(url, fresh=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log = __import__("collections").deque(maxlen=10**7)

    from rosters.services import roster_bundle_import
    from teachers.models import District

    call_command("migrate", verbosity=0)
    bundle, newer = make_bundle(args), make_bundle(args, newer=True)
    size_mb = sum(len(v) for v in bundle.values()) / 1e6
    rows = args.schools + 1 + args.teachers + args.schools + args.students
    results = []
    for label, files, dry in [
        ("dry run, empty district", bundle, True),
        ("first import", bundle, False),
        ("same bundle again", bundle, False),
        ("newer bundle (5% renamed, 2% deleted)", newer, False),
    ]:
        district = District.objects.filter(sourced_id="d-1").first()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            outcome = roster_bundle_import(files=files, district=district, dry_run=dry)
            seconds = time.perf_counter() - started
        if outcome.problems:
            print(f"{label}: refused: {outcome.problems[:3]}", file=sys.stderr)
            return 1
        results.append(
            {
                "run": label,
                "seconds": round(seconds, 2),
                "rows_per_second": round(rows / seconds),
                "queries": len(queries),
                "summary": outcome.summary,
            }
        )
    print(
        f"Bundle: {args.schools} schools, {args.teachers:,} teachers, {args.schools} principals, "
        f"{args.students:,} students ({rows:,} rows, {size_mb:.1f} MB)\n"
    )
    print("| run | seconds | rows/s | queries | created | updated | deactivated | unchanged |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        s = r["summary"].get("actions", {})
        print(
            f"| {r['run']} | {r['seconds']} | {r['rows_per_second']:,} | {r['queries']:,} | "
            f"{s.get('create', 0):,} | {s.get('update', 0):,} | {s.get('deactivate', 0):,} | "
            f"{s.get('unchanged', 0):,} |"
        )
    out = ROOT / "var" / "bench" / "roster.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "rows": rows, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
