"""What an upload leaves behind (rosters.oneroster.scrub_bundle and the import's life): no
student or other skipped row is ever stored, at any step, and the kept bundle goes once it is
no longer needed."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from rosters import oneroster
from rosters.models import ImportStatus, RosterImport
from rosters.services import (
    BUNDLE_KEPT_HOURS,
    roster_bundle_import,
    roster_import_apply,
    roster_import_create,
    roster_import_run,
    roster_imports_sweep,
)
from tests.rosters.bundles import STUDENT_TEXTS, bundle_files, default_users, user, zip_bytes
from tests.scan import tables_holding

pytestmark = pytest.mark.django_db

ALL_STUDENT_TEXTS = (*STUDENT_TEXTS, "pupil2@", "Onlythree", "Onlyparent", "Maths 7", "e-1")


def _upload(files, *, dry_run=True):
    return roster_import_create(
        user=None, file_name="riverside.zip", data=zip_bytes(files), district=None, dry_run=dry_run
    )


def _stored_files(roster_import) -> dict[str, bytes]:
    data = bytes(RosterImport.objects.get(pk=roster_import.pk).file_data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_no_student_byte_is_stored_at_upload_dry_run_or_apply(django_capture_on_commit_callbacks):
    files = bundle_files()
    assert all(any(t.encode() in data for data in files.values()) for t in ALL_STUDENT_TEXTS)
    with django_capture_on_commit_callbacks():
        dry = _upload(files)
    assert tables_holding(ALL_STUDENT_TEXTS) == {}  # as soon as the upload is stored
    assert set(_stored_files(dry)) == {"manifest.csv", "orgs.csv", "users.csv"}
    dry = roster_import_run(import_id=dry.pk)
    assert dry.status == ImportStatus.DONE
    with django_capture_on_commit_callbacks():
        applied = roster_import_apply(roster_import=dry, user=None)
    roster_import_run(import_id=applied.pk)
    assert RosterImport.objects.get(pk=applied.pk).status == ImportStatus.DONE
    assert tables_holding(ALL_STUDENT_TEXTS) == {}


def test_the_scrubbed_bundle_gives_the_same_outcome_as_the_upload():
    """Same rows, counts (students included in "skipped") and problems, at the same lines."""
    users = default_users()
    users[5]["givenName"] = "Stu\x00dent"  # a student row with a NUL: still reported
    users.insert(3, user("x-1", "janitor", "sch-1", "Notarole", "Person", ""))  # not a role
    users.append({**user("s-9", "student", "sch-1", "Multi", "Line", ""), "familyName": "a\nb"})
    users.append(user("t-9", "teacher", "sch-1", "Late", "Teacher", "late@riverside.example"))
    files = bundle_files(users=users)
    kept = zipfile.ZipFile(io.BytesIO(oneroster.scrub_bundle(files)))
    scrubbed = {name: kept.read(name) for name in kept.namelist()}
    before = roster_bundle_import(files=files, district=None, dry_run=True)
    after = roster_bundle_import(files=scrubbed, district=None, dry_run=True)
    assert before.errors and after.errors == before.errors
    assert {"users.csv"} == {e["file"] for e in after.errors}
    assert b"Notarole" not in scrubbed["users.csv"] and b"Multi" not in scrubbed["users.csv"]
    good = bundle_files()  # and, after two blank lines, a teacher whose line must not move
    good["users.csv"] += b"\r\n\r\n" + files["users.csv"].splitlines(keepends=True)[-1]
    before = roster_bundle_import(files=good, district=None, dry_run=True)
    kept = zipfile.ZipFile(io.BytesIO(oneroster.scrub_bundle(good)))
    after = roster_bundle_import(
        files={n: kept.read(n) for n in kept.namelist()}, district=None, dry_run=True
    )
    assert before.ok and after.rows == before.rows and after.summary == before.summary
    assert after.summary["skipped"] == 4  # three students and a parent, counted
    assert [r["line"] for r in after.rows if r["sourced_id"] == "t-9"] == [len(default_users()) + 4]


def test_an_unreadable_users_file_is_refused_at_once_and_nothing_of_it_is_stored(
    django_capture_on_commit_callbacks,
):
    files = bundle_files()
    files["users.csv"] = files["users.csv"].replace(b"Onlytwo", b'"Only"two')
    with django_capture_on_commit_callbacks() as queued:
        refused = _upload(files)
    assert not queued  # no job: it is refused already
    refused.refresh_from_db()
    assert refused.status == ImportStatus.FAILED and refused.bundle_removed_at is not None
    assert bytes(refused.file_data) == b""
    assert refused.errors[0]["file"] == "users.csv" and "quoting" in refused.errors[0]["message"]
    assert tables_holding(ALL_STUDENT_TEXTS) == {}


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_refused_or_applied_import_keeps_no_bundle(django_capture_on_commit_callbacks, dry_run):
    files = bundle_files()
    bad = bundle_files(users=[*default_users(), default_users()[1]])  # a duplicate teacher
    with django_capture_on_commit_callbacks():
        good_import, bad_import = _upload(files, dry_run=dry_run), _upload(bad, dry_run=dry_run)
    good_import = roster_import_run(import_id=good_import.pk)
    bad_import = roster_import_run(import_id=bad_import.pk)
    assert (good_import.status, bad_import.status) == (ImportStatus.DONE, ImportStatus.FAILED)
    assert bytes(bad_import.file_data) == b"" and bad_import.bundle_removed_at
    # A dry run that passed keeps its bundle to be applied; an applied import does not.
    assert bool(bytes(good_import.file_data)) is dry_run
    assert (good_import.bundle_removed_at is None) is dry_run


def test_a_dry_run_keeps_its_bundle_until_applied_then_the_page_says_upload_again(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks():
        dry = _upload(bundle_files())
    dry = roster_import_run(import_id=dry.pk)
    with django_capture_on_commit_callbacks():
        applied = roster_import_apply(roster_import=dry, user=None)
    dry.refresh_from_db()
    assert bytes(dry.file_data) == b"" and dry.bundle_removed_at is not None
    assert bytes(applied.file_data)  # the applied import holds it until it runs
    with pytest.raises(ValidationError, match="upload the bundle again"):
        roster_import_apply(roster_import=dry, user=None)


def test_the_sweep_removes_a_dry_runs_bundle_after_a_day_and_any_left_behind(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks():
        dry = _upload(bundle_files())
    dry = roster_import_run(import_id=dry.pk)
    # An import recorded before bundles were removed: finished, still holding its upload.
    legacy = RosterImport.objects.create(
        file_name="old.zip",
        file_data=zip_bytes(bundle_files()),
        dry_run=False,
        status=ImportStatus.DONE,
        finished_at=timezone.now(),
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=BUNDLE_KEPT_HOURS - 1)):
        assert roster_imports_sweep()["bundles_removed"] == 1  # the legacy one only
    assert bytes(RosterImport.objects.get(pk=dry.pk).file_data)
    assert bytes(RosterImport.objects.get(pk=legacy.pk).file_data) == b""
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=BUNDLE_KEPT_HOURS + 1)):
        assert roster_imports_sweep()["bundles_removed"] == 1
        assert roster_imports_sweep()["bundles_removed"] == 0  # idempotent
    dry.refresh_from_db()
    assert bytes(dry.file_data) == b"" and dry.bundle_removed_at is not None
    assert tables_holding(ALL_STUDENT_TEXTS) == {}
