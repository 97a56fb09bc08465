"""The benchmark's database for bench/pages.py and bench/load.py: Django set up on it
(``django_on``), and the scale district seeded in it at a number of teachers
(``district_sizes``, ``seeded_district``)."""

from __future__ import annotations

import argparse
import os
import time
from io import StringIO

from bench.server import SETTINGS

# District sizes by number of teachers: schools, coaches, observations. Another number of
# teachers gets the 3,000-teacher proportions.
PRESETS = {1000: (17, 50, 33_000), 3000: (50, 150, 100_000)}


def district_sizes(teachers: int) -> dict[str, int]:
    if teachers in PRESETS:
        schools, coaches, observations = PRESETS[teachers]
    else:
        schools = max(1, round(teachers * 50 / 3000))
        coaches = max(1, round(teachers * 150 / 3000))
        observations = round(teachers * 100_000 / 3000)
    return {
        "schools": schools,
        "coaches": coaches,
        "teachers": teachers,
        "observations": observations,
    }


def seeded_district(
    args: argparse.Namespace, *, url: str, teachers: int, sizes: dict, kept: bool, say
) -> tuple:
    """With Django set up on ``url`` (created by ``bench.briefs.prepare_database``, ``kept``
    when it existed): migrate, seed the district ``args.district_slug`` at ``sizes`` unless the
    database holds it with ``teachers`` teachers already (another size is dropped and seeded
    again), then VACUUM (ANALYZE) and collectstatic. Returns the district and the seconds the
    seed took (None when reused). Shared with bench/load.py."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from bench.briefs import prepare_database
    from teachers.models import District, Teacher

    def migrate() -> None:
        call_command("migrate", verbosity=0, interactive=False)

    migrate()
    slug = args.district_slug
    district = District.objects.filter(slug=slug).first()
    if district is not None:
        have = Teacher.objects.filter(school__district=district).count()
        if have != teachers:
            say(f"Reused database has {have} teachers, not {teachers}: seeding it again.")
            connections.close_all()
            prepare_database(url, fresh=True)
            migrate()
            district = None
    seed_seconds = None
    if district is None:
        say(f"Seeding {sizes} into {settings.DATABASES['default']['NAME']} ...")
        out = StringIO()
        started = time.perf_counter()
        call_command(
            "seed_scale",
            **sizes,
            seed=args.seed,
            district_slug=slug,
            no_progress=args.no_progress,
            stdout=out,
        )
        seed_seconds = time.perf_counter() - started
        print(out.getvalue(), end="")
        district = District.objects.get(slug=slug)
    else:
        say(f"Reusing the seeded database ({'kept' if kept else 'new'}).")
    # Planner statistics and the visibility map as a database in service has them (autovacuum
    # would otherwise run during the load, right after a bulk seed).
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    say(f"VACUUM (ANALYZE) in {time.perf_counter() - started:.1f} s")
    call_command("collectstatic", interactive=False, verbosity=0)
    return district, seed_seconds


def django_on(url: str, *, cache_url: str, fresh: bool) -> bool:
    """Point this process at the benchmark's database and cache (bench/settings.py), prepare
    the database (`bench.briefs.prepare_database`: dropped and created again when ``fresh``)
    and set Django up. Returns whether an existing database was kept."""
    os.environ["DATABASE_URL"] = url
    os.environ["CACHE_URL"] = cache_url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    from bench.briefs import prepare_database

    kept = prepare_database(url, fresh=fresh)

    import django

    django.setup()
    return kept
