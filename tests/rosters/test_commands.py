"""manage.py import_roster: a zip or a folder, dry run or not, the report, the exit status."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from teachers.models import School
from tests.conftest import ROOT
from tests.factories import DistrictFactory
from tests.rosters.bundles import bundle_files, write_bundle

pytestmark = pytest.mark.django_db


def test_import_roster_imports_a_zip_and_prints_the_counts(tmp_path, capsys):
    archive = write_bundle(tmp_path, bundle_files())
    call_command("import_roster", str(archive))
    out, err = capsys.readouterr()
    assert "Done: create 11, update 0, deactivate 0; unchanged 0; skipped 4" in out
    assert "Schools 3, teachers 4, principals 2, district leaders 1." in out
    assert "Checking" in err and "Importing" in err  # the tqdm bars
    assert School.objects.count() == 3 and User.objects.count() == 7


def test_import_roster_dry_run_of_a_folder_into_a_district_changes_nothing(tmp_path, capsys):
    district = DistrictFactory(slug="riverside")
    write_bundle(tmp_path, bundle_files())
    call_command(
        "import_roster", str(tmp_path / "roster"), "--dry-run", "--district", "riverside", "--rows"
    )
    out, _ = capsys.readouterr()
    assert "Would create 10, update 1" in out and "Dry run: nothing was changed." in out
    assert "orgs.csv:3 school Riverside Elementary (sch-1): create" in out
    assert not School.objects.exists()
    district.refresh_from_db()
    assert district.sourced_id is None


def test_import_roster_refuses_a_malformed_bundle_with_the_errors(tmp_path, capsys):
    files = bundle_files()
    files["orgs.csv"] = files["orgs.csv"].replace(b"sch-2,active", b"sch-1,active")
    archive = write_bundle(tmp_path, files)
    with pytest.raises(CommandError, match="refused"):
        call_command("import_roster", str(archive))
    _, err = capsys.readouterr()
    assert "ERROR orgs.csv, line 4, sourcedId: duplicate sourcedId 'sch-1'" in err
    assert not School.objects.exists()


def test_import_roster_exit_status_is_non_zero_on_a_malformed_bundle(tmp_path):
    """The real command line: status 1 and the errors on stderr (no database needed: the
    bundle is refused before it is compared with the data)."""
    files = bundle_files()
    del files["users.csv"]
    archive = write_bundle(tmp_path, files)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_roster", str(archive), "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert result.returncode == 1, result.stderr
    assert "ERROR users.csv: file missing from the bundle" in result.stderr


def test_import_roster_unknown_district_and_path(tmp_path):
    with pytest.raises(CommandError, match="No district"):
        call_command("import_roster", str(tmp_path), "--district", "nowhere")
    with pytest.raises(CommandError, match="neither a file nor a folder"):
        call_command("import_roster", str(tmp_path / "missing.zip"))
