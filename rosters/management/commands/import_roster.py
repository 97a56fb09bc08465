"""manage.py import_roster PATH [--dry-run] [--district SLUG]: import a OneRoster 1.1 CSV bundle
(a .zip or a folder) with a progress bar, printing what changed (or would) and every problem.
Exits with status 1, changing nothing, when the bundle is refused."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from rosters import oneroster, services
from teachers.models import District


class Command(BaseCommand):
    help = "Import schools, teachers and administrators from a OneRoster 1.1 CSV bundle."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="A .zip of the CSV files, or the folder holding them.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )
        parser.add_argument(
            "--district",
            metavar="SLUG",
            help="Import into this district (default: the bundle's district org, found by its "
            "sourcedId or created).",
        )
        parser.add_argument(
            "--rows", action="store_true", help="Print every row's action, not only the counts."
        )

    def handle(self, *args, path: str, dry_run: bool, district: str | None, rows: bool, **kw):
        target = None
        if district:
            target = District.objects.filter(slug=district).first()
            if target is None:
                raise CommandError(f"No district with the slug {district!r}.")
        files = self._files(Path(path))
        total = oneroster.parse_bundle(files).row_count
        bars = [tqdm(total=total, desc="Checking", unit="row", file=self.stderr._out, leave=True)]

        def progress(n: int) -> None:
            bars[0].n = n
            bars[0].refresh()

        def apply_progress(n: int) -> None:
            if len(bars) == 1:
                bars.append(tqdm(total=total, desc="Importing", unit="row", file=self.stderr._out))
            bars[1].n = n
            bars[1].refresh()

        try:
            outcome = services.roster_bundle_import(
                files=files,
                district=target,
                dry_run=dry_run,
                progress=progress,
                apply_progress=apply_progress,
            )
        finally:
            for bar in bars:
                bar.close()
        self._report(outcome, dry_run=dry_run, rows=rows)
        if not outcome.ok:
            raise CommandError(
                f"The bundle was refused ({len(outcome.problems)} problems): nothing changed."
            )

    def _files(self, path: Path) -> dict[str, bytes]:
        if path.is_dir():
            return oneroster.read_folder(path)
        if not path.is_file():
            raise CommandError(f"{path} is neither a file nor a folder.")
        if path.stat().st_size > settings.ROSTER_MAX_UPLOAD_BYTES:
            raise CommandError(
                f"{path} is larger than {settings.ROSTER_MAX_UPLOAD_BYTES // (1024 * 1024)} MB "
                "(ROSTER_MAX_UPLOAD_MB)."
            )
        try:
            return services.bundle_files(path.read_bytes())
        except oneroster.BundleError as exc:
            raise CommandError(str(exc)) from exc

    def _report(self, outcome: services.RosterOutcome, *, dry_run: bool, rows: bool) -> None:
        out = self.stdout
        for problem in outcome.problems:
            self.stderr.write(f"ERROR {problem}")
        if not outcome.ok:
            return
        if rows:
            for row in outcome.rows:
                changes = "; ".join(row["changes"])
                out.write(
                    f"{row['file']}:{row['line'] or '-'} {row['kind']} {row['name']} "
                    f"({row['sourced_id']}): {row['action']}" + (f" [{changes}]" if changes else "")
                )
        s = outcome.summary
        actions = s["actions"]
        verb = "Would" if dry_run else "Done:"
        out.write(
            f"{verb} create {actions['create']}, update {actions['update']}, deactivate "
            f"{actions['deactivate']}; unchanged {actions['unchanged']}; skipped {s['skipped']} "
            "(students and other roles)."
        )
        out.write(
            f"Schools {s['schools']}, teachers {s['teachers']}, principals {s['principals']}, "
            f"district leaders {s['district_leaders']}."
        )
        if dry_run:
            out.write("Dry run: nothing was changed.")
