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


# --- No progress bar waits for ever ------------------------------------------------------------


def _stored(status, *, age_minutes, dry_run=True) -> RosterImport:
    """An import as the database holds it ``age_minutes`` after it was queued (and started, if
    running), with no job on the broker."""
    from datetime import timedelta

    from django.utils import timezone

    imp = RosterImport.objects.create(
        file_name="r.zip", file_data=zip_bytes(bundle_files()), dry_run=dry_run, status=status
    )
    then = timezone.now() - timedelta(minutes=age_minutes)
    started = then if status == ImportStatus.RUNNING else None
    RosterImport.objects.filter(pk=imp.pk).update(created_at=then, started_at=started)
    return imp


def test_the_sweep_queues_again_an_import_whose_job_was_lost(celery_worker):
    from rosters.services import roster_imports_sweep

    lost = _stored(ImportStatus.QUEUED, age_minutes=10)
    fresh = _stored(ImportStatus.QUEUED, age_minutes=1)
    RosterImport.objects.filter(pk=fresh.pk).update(status=ImportStatus.DONE)  # not swept
    assert roster_imports_sweep() == {"requeued": 1, "failed": 0, "bundles_removed": 0}
    done = _wait_finished(lost.pk)
    assert done.status == ImportStatus.DONE, (done.errors, celery_worker.log())
    assert done.rows  # the dry run's rows, as if it had never been lost


@pytest.mark.django_db
def test_the_sweep_fails_an_import_whose_worker_was_lost_and_leaves_a_running_one():
    from rosters.services import roster_imports_sweep

    lost = _stored(ImportStatus.RUNNING, age_minutes=90)
    running = _stored(ImportStatus.RUNNING, age_minutes=10)
    assert roster_imports_sweep() == {"requeued": 0, "failed": 1, "bundles_removed": 0}
    lost.refresh_from_db()
    running.refresh_from_db()
    assert lost.status == ImportStatus.FAILED
    assert "stopped before it finished" in lost.errors[0]["message"]
    assert running.status == ImportStatus.RUNNING


@pytest.mark.django_db
def test_an_import_that_stops_on_an_unexpected_error_is_marked_failed(monkeypatch):
    from rosters import services

    def broken(**kwargs):
        raise RuntimeError("a bug")

    imp = _stored(ImportStatus.QUEUED, age_minutes=0, dry_run=False)
    monkeypatch.setattr(services.imports, "roster_bundle_import", broken)
    services.roster_import_run(import_id=imp.pk)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.FAILED
    assert "stopped (RuntimeError) and changed nothing" in imp.errors[0]["message"]
    assert not School.objects.exists()


@pytest.mark.django_db
def test_a_job_that_fails_for_good_marks_its_import_failed():
    from rosters.tasks import roster_import_run

    imp = _stored(ImportStatus.RUNNING, age_minutes=0)
    roster_import_run.on_failure(TimeoutError("hard limit"), "task-id", (imp.pk,), {}, None)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.FAILED
    assert "TimeoutError" in imp.errors[0]["message"]
