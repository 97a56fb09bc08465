"""The periodic sweep of roster imports: queue again the ones whose job was lost, fail the
ones whose worker was lost, remove the bundles no import needs any more."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from rosters.models import ImportStatus, RosterImport
from rosters.services.imports import BUNDLE_KEPT_HOURS, _enqueue, roster_import_fail

# A queued import not started after this long lost its job (the broker was down when it was
# queued): queued again. One running longer than the job's hard time limit lost its worker.
QUEUED_STALE = datetime.timedelta(minutes=5)
RUNNING_STALE = datetime.timedelta(minutes=60)


def roster_imports_sweep() -> dict[str, int]:
    """Queue again the imports whose job was lost, and fail the ones whose worker was lost,
    so that no progress bar waits for ever. For the periodic job."""
    now = timezone.now()
    requeued = 0
    stale = RosterImport.objects.filter(
        status=ImportStatus.QUEUED, created_at__lt=now - QUEUED_STALE
    ).defer("file_data")
    for roster_import in stale:
        _enqueue(roster_import)
        requeued += 1
    lost = RosterImport.objects.filter(
        status=ImportStatus.RUNNING, started_at__lt=now - RUNNING_STALE
    ).values_list("pk", flat=True)
    failed = 0
    for pk in lost:
        roster_import_fail(
            import_id=pk,
            reason="The import's worker stopped before it finished, and nothing was changed. "
            "Upload the bundle again.",
        )
        failed += 1
    return {"requeued": requeued, "failed": failed, "bundles_removed": _bundles_expire(now)}


def _bundles_expire(now: datetime.datetime) -> int:
    """Remove the bundles no import needs any more: a dry run's after BUNDLE_KEPT_HOURS, and
    any finished import's that still holds one (recorded before bundles were removed)."""
    expired = Q(dry_run=True, status=ImportStatus.DONE) & Q(
        finished_at__lt=now - datetime.timedelta(hours=BUNDLE_KEPT_HOURS)
    )
    done_with = Q(status=ImportStatus.FAILED) | Q(dry_run=False, status=ImportStatus.DONE)
    return RosterImport.objects.filter(expired | done_with, bundle_removed_at__isnull=True).update(
        file_data=b"", bundle_removed_at=now
    )
