"""The life of a ``RosterImport`` record: an upload scrubbed and recorded, queued after the
commit, run by the job (with its progress for the page), a dry run applied, an import failed,
finished, its bundle removed."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import User
from core.validation import validated_save
from rosters import oneroster
from rosters.models import ImportStatus, RosterImport
from rosters.oneroster import BundleError, Problem
from rosters.selectors import PROGRESS_KEY
from rosters.services.apply import RosterOutcome, roster_bundle_import
from teachers.models import District

logger = logging.getLogger(__name__)

# How often the progress of a running import is written for the page (rows).
PROGRESS_EVERY = 50
# A dry run keeps its (scrubbed) bundle this long to be applied; then the periodic sweep
# removes it.
BUNDLE_KEPT_HOURS = 24


def bundle_files(data: bytes) -> dict[str, bytes]:
    """The files of an uploaded bundle (a zip); BundleError when it is none or is unsafe."""
    return oneroster.read_zip(data, max_uncompressed=settings.ROSTER_MAX_UNCOMPRESSED_BYTES)


def _progress_key(import_id: int) -> str:
    return PROGRESS_KEY.format(import_id)


def _scrubbed(file_name: str, data: bytes) -> tuple[bytes, list[Problem]]:
    """What is stored of an upload: the scrubbed bundle (oneroster.scrub_bundle), or nothing
    and the problems when the bundle is refused before it is stored (not a safe zip, or a
    users.csv that is not readable CSV text)."""
    try:
        files = bundle_files(data)
    except BundleError as exc:
        return b"", [Problem(file_name, None, "", str(exc))]
    scrubbed = oneroster.scrub_bundle(files)
    if scrubbed is None:
        return b"", oneroster.parse_bundle(files).problems
    return scrubbed, []


@transaction.atomic
def roster_import_create(
    *, user: User | None, file_name: str, data: bytes, district: District | None, dry_run: bool
) -> RosterImport:
    """Record an uploaded bundle and queue its import once the upload is committed. Only
    what the import reads is stored (no student or other skipped row, no other file); a bundle
    that cannot be read is recorded as refused at once, with nothing of it stored."""
    stored, problems = _scrubbed(file_name[:255], data)
    roster_import = validated_save(
        RosterImport(
            created_by=user,
            file_name=file_name[:255],
            file_data=stored,
            district=district,
            dry_run=dry_run,
        )
    )
    if problems:
        return _finish(roster_import, RosterOutcome(problems=problems))
    _enqueue(roster_import)
    return roster_import


@transaction.atomic
def roster_import_apply(*, roster_import: RosterImport, user: User | None) -> RosterImport:
    """Apply a finished dry run without errors: a new import of the same bytes."""
    if not roster_import.dry_run or roster_import.status != ImportStatus.DONE:
        raise ValidationError("Only a finished dry run can be applied.")
    if roster_import.errors:
        raise ValidationError("This dry run found problems: fix the files and upload again.")
    source = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    if source.bundle_removed_at is not None:
        raise ValidationError(
            "This dry run's bundle was removed (a dry run keeps it for "
            f"{BUNDLE_KEPT_HOURS} hours, until it is applied): upload the bundle again."
        )
    applied = validated_save(
        RosterImport(
            created_by=user,
            file_name=source.file_name,
            file_data=bytes(source.file_data),
            district=source.district,
            dry_run=False,
            source=source,
        )
    )
    _bundle_remove(source)  # the applied import holds the bytes now
    _enqueue(applied)
    return applied


def _bundle_remove(roster_import: RosterImport) -> None:
    RosterImport.objects.filter(pk=roster_import.pk).update(
        file_data=b"", bundle_removed_at=timezone.now()
    )
    roster_import.file_data = b""
    roster_import.bundle_removed_at = timezone.now()


def _enqueue(roster_import: RosterImport) -> None:
    from rosters.tasks import roster_import_run as task

    def send() -> None:
        try:
            task.apply_async((roster_import.pk,), ignore_result=True)
        except Exception as exc:  # a broker that is down never fails the upload
            logger.warning(
                "Could not queue roster import %s (%s: %s); run it with "
                "`manage.py import_roster` or upload again.",
                roster_import.pk,
                type(exc).__name__,
                exc,
            )

    transaction.on_commit(send)


def roster_import_run(*, import_id: int) -> RosterImport | None:
    """Run a queued import: check the bundle, then store the dry run's rows, or apply it.
    Idempotent: a finished import is left as it is; one that was running when its worker died
    runs again (its transaction was rolled back)."""
    roster_import = RosterImport.objects.filter(pk=import_id).first()
    if roster_import is None or roster_import.is_finished:
        return roster_import
    RosterImport.objects.filter(pk=import_id).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), processed=0
    )
    roster_import.refresh_from_db()
    try:
        files = bundle_files(bytes(roster_import.file_data))
    except BundleError as exc:
        return _finish(
            roster_import,
            RosterOutcome(problems=[Problem(roster_import.file_name, None, "", str(exc))]),
        )
    bundle_rows = oneroster.parse_bundle(files).row_count
    total = bundle_rows * (1 if roster_import.dry_run else 2)
    RosterImport.objects.filter(pk=import_id).update(total=total)

    def progress(n: int) -> None:
        if n % PROGRESS_EVERY == 0:
            RosterImport.objects.filter(pk=import_id).update(processed=min(n, total))

    def apply_progress(n: int) -> None:
        # Inside the import's transaction: the page reads this from the cache instead.
        if n % PROGRESS_EVERY == 0:
            cache.set(_progress_key(import_id), min(bundle_rows + n, total), 3600)

    district = roster_import.district
    try:
        outcome = roster_bundle_import(
            files=files,
            district=district,
            dry_run=roster_import.dry_run,
            progress=progress,
            apply_progress=apply_progress,
        )
    except DatabaseError:
        raise  # retried by the task (roster_import_fail when the retries run out)
    except Exception as exc:  # a bug or the time limit: say so on the page, never spin
        logger.exception("Roster import %s stopped", import_id)
        return roster_import_fail(import_id=import_id, reason=_stopped(exc))
    return _finish(roster_import, outcome)


def _stopped(exc: BaseException) -> str:
    return (
        f"The import stopped ({type(exc).__name__}) and changed nothing. Upload the bundle "
        "again; if it stops again, your operator finds the details in the worker's log."
    )


def roster_import_fail(*, import_id: int, reason: str) -> RosterImport | None:
    """Mark an import that cannot finish as failed, with ``reason`` as its one problem (its
    transaction, if it had one, was rolled back). A finished import is left as it is."""
    roster_import = RosterImport.objects.filter(pk=import_id).first()
    if roster_import is None or roster_import.is_finished:
        return roster_import
    return _finish(roster_import, RosterOutcome(problems=[Problem("", None, "", reason)]))


def _finish(roster_import: RosterImport, outcome: RosterOutcome) -> RosterImport:
    roster_import.refresh_from_db()
    roster_import.status = ImportStatus.DONE if outcome.ok else ImportStatus.FAILED
    roster_import.finished_at = timezone.now()
    roster_import.processed = roster_import.total
    roster_import.summary = outcome.summary
    roster_import.rows = outcome.rows if outcome.ok else []
    roster_import.errors = outcome.errors
    if outcome.ok and outcome.district is not None and roster_import.district_id is None:
        roster_import.district = outcome.district
    if not (roster_import.dry_run and outcome.ok):
        # Applied or refused: the bundle is not needed any more. A dry run keeps it to be
        # applied, for BUNDLE_KEPT_HOURS at most (roster_imports_sweep).
        roster_import.file_data = b""
        roster_import.bundle_removed_at = roster_import.finished_at
    roster_import.save()
    cache.delete(_progress_key(roster_import.pk))
    return roster_import
