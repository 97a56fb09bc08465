"""`manage.py seed_demo`: a realistic, idempotent demo district of three schools.

Everything is written through the service functions (teachers, coaching and observations
services); only users, the district, the schools and the move library, which have no services,
are upserted directly on their natural keys (username, slug) after `full_clean()`, and the
hundreds of hand-logged time entries go in with one insert per coach and school (checked as
`time_entry_log` checks them, history rows included) to keep seeding fast.

Running it again converges instead of duplicating: people and organisations are looked up by
natural key, the move library is upserted by slug, a holiday already in a school's calendar is
kept, a teacher who already has coaching content is skipped, and so is a coach who already has
time entries at a school. Dates are relative to the first demo school's creation date (the
anchor: "today" on a first run), so a re-run on a later day computes the same dates. Every date
is a school day of the teacher's school (``teachers.school_days``): the calendar's term break and
holidays are stepped over, revisits fall 10 to 20 school days after the last touch, and practice
(co-planning, rehearsal, a model lesson) comes before the first observation, the debrief the
school day after it. Content is deterministic (seeded random numbers).

The seeding itself is in `demo.seeding` (a module per part of the work); the content in
`demo.data`.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from demo.seeding.seeder import DemoSeeder
from demo.seeding.summary import signin_rows, summary_lines, table


class Command(BaseCommand):
    help = (
        "Create (or complete) the demo district, its three schools and their calendars, people, "
        "move library and coaching history. Safe to run again: it converges instead of "
        "duplicating."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print only the demo sign-ins.")

    def handle(self, *args: Any, quiet: bool = False, **options: Any) -> None:
        started = time.monotonic()
        with transaction.atomic():
            report = DemoSeeder().run()
        elapsed = time.monotonic() - started
        if not quiet:
            self.stdout.write(self.style.SUCCESS(f"Demo district ready in {elapsed:.1f} s."))
            for line in summary_lines(report):
                self.stdout.write(f"  {line}")
            self.stdout.write("")
        self._write_signins(quiet)

    def _write_signins(self, quiet: bool) -> None:
        header = ("role", "username", "password", "what they will see")
        lines = table([header, *signin_rows()])
        self.stdout.write(self.style.MIGRATE_HEADING(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)
        if not quiet:
            self.stdout.write(
                "Passwords are set when an account is created; re-runs leave them unchanged."
            )
