"""`manage.py seed_scale`: one district at benchmark scale (see demo/scale_data/).

Meant for an empty database (or one without this district slug): it refuses to write into a
district that exists. Drop the database to seed again; `bench/briefs.py` does.
"""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from demo.scale_data import ScaleSeedError, ScaleSizes, scale_district_seed


class _Bar:
    """One tqdm bar per phase of the seed, on stderr."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None

    def phase(self, name: str, total: int, unit: str) -> None:
        self.close()
        self.bar = tqdm(total=total, desc=name, unit=unit, file=sys.stderr, dynamic_ncols=True)

    def advance(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = (
        "Seed ONE district at benchmark scale (schools, principals, coaches with caseloads, "
        "teachers, cycles in every state, sessions, debriefs, revisits, time and a long tail "
        "of observations) with bulk inserts. Deterministic from --seed. Refuses to run into an "
        "existing district slug: use an empty database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = ScaleSizes()
        parser.add_argument("--schools", type=int, default=defaults.schools)
        parser.add_argument("--coaches", type=int, default=defaults.coaches)
        parser.add_argument("--teachers", type=int, default=defaults.teachers)
        parser.add_argument("--observations", type=int, default=defaults.observations)
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--district-slug", default=defaults.district_slug)
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = ScaleSizes(
            schools=options["schools"],
            coaches=options["coaches"],
            teachers=options["teachers"],
            observations=options["observations"],
            seed=options["seed"],
            district_slug=options["district_slug"],
        )
        bar = None if options["no_progress"] else _Bar()
        try:
            result = scale_district_seed(sizes=sizes, progress=bar)
        except ScaleSeedError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"District “{sizes.district_slug}” seeded in {result.seconds:.1f} s "
                f"(seed {sizes.seed})."
            )
        )
        self.stdout.write("  rows: " + ", ".join(f"{k} {v}" for k, v in result.rows.items()))
        self.stdout.write(
            "  cycles: " + ", ".join(f"{k} {v}" for k, v in result.cycles_by_state.items())
        )
        self.stdout.write(
            "  outcomes: " + ", ".join(f"{k} {v}" for k, v in result.outcomes.items())
        )
        self.stdout.write(f"  upcoming debriefs: {result.upcoming_debriefs}")
        self.stdout.write(
            f"  reference teachers: {result.few_observations_teacher_id} (3 observations), "
            f"{result.many_observations_teacher_id} ({result.many_observations} observations)"
        )
