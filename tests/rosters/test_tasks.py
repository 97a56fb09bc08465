"""The roster import job, run by a real Celery worker process."""

from __future__ import annotations

import time

import pytest

from rosters.models import ImportStatus, RosterImport
from rosters.services import roster_import_create
from teachers.models import School
from tests.rosters.bundles import bundle_files, zip_bytes


def _wait_finished(pk: int, timeout: float = 60) -> RosterImport:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        imp = RosterImport.objects.get(pk=pk)
        seen.append((imp.status, imp.processed))
        if imp.is_finished:
            return imp
        time.sleep(0.2)
    pytest.fail(f"import {pk} did not finish: {seen[-5:]}")


def test_worker_runs_an_upload_to_done_with_progress(celery_worker):
    imp = roster_import_create(
        user=None, file_name="r.zip", data=zip_bytes(bundle_files()), district=None, dry_run=False
    )
    assert imp.status == ImportStatus.QUEUED
    done = _wait_finished(imp.pk)
    assert done.status == ImportStatus.DONE, (done.errors, celery_worker.log())
    assert done.processed == done.total == 24
    assert done.started_at and done.finished_at
    assert School.objects.filter(district=done.district).count() == 3


def test_worker_records_a_refused_bundle(celery_worker):
    files = bundle_files()
    files["users.csv"] = b"sourcedId\r\nx\r\n"
    imp = roster_import_create(
        user=None, file_name="r.zip", data=zip_bytes(files), district=None, dry_run=True
    )
    done = _wait_finished(imp.pk)
    assert done.status == ImportStatus.FAILED
    assert {e["field"] for e in done.errors} >= {"orgSourcedIds", "role", "email"}
    assert not School.objects.exists()
