"""Roster imports at district scale (rosters.services): the check walk reads what it needs in a
fixed number of queries, and the apply walk still sees the writes of the bundle's earlier rows."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from rosters import oneroster
from rosters.services import roster_bundle_import
from teachers.models import Teacher
from tests.factories import SchoolFactory, TeacherFactory, UserFactory
from tests.rosters.bundles import bundle_files, default_orgs, user

pytestmark = pytest.mark.django_db


def _users(n: int) -> list[dict]:
    """n teachers and n // 5 principals over the default schools."""
    rows = [
        user(f"t-{i}", "teacher", f"sch-{i % 3 + 1}", "Pat", f"Teacher{i}", f"t{i}@r.example")
        for i in range(n)
    ]
    rows += [
        user(f"a-{i}", "administrator", f"sch-{i % 3 + 1}", "Sam", f"Head{i}", f"a{i}@r.example")
        for i in range(n // 5)
    ]
    return rows


def _queries(files, **kwargs) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        outcome = roster_bundle_import(files=files, **kwargs)
    assert outcome.ok, outcome.problems
    return len(queries), outcome


def test_a_dry_run_on_an_empty_database_reads_the_same_for_5_or_20_users():
    small, _ = _queries(bundle_files(users=_users(5)), district=None, dry_run=True)
    large, outcome = _queries(bundle_files(users=_users(20)), district=None, dry_run=True)
    assert outcome.summary["actions"]["create"] == 1 + 3 + 24
    assert small == large


def test_a_dry_run_over_an_imported_district_reads_the_same_for_5_or_20_users():
    _, first = _queries(bundle_files(users=_users(20)), district=None, dry_run=False)
    district = first.district
    # Existing people with profiles and memberships, one of them linked by email.
    TeacherFactory(school=SchoolFactory(district=district), email="t19@r.example", user=None)
    small, _ = _queries(bundle_files(users=_users(5)), district=district, dry_run=True)
    large, outcome = _queries(bundle_files(users=_users(20)), district=district, dry_run=True)
    assert outcome.summary["actions"]["unchanged"] == 1 + 3 + 24
    assert small == large


def test_reimporting_an_unchanged_bundle_reads_the_same_for_5_or_20_users():
    _, first = _queries(bundle_files(users=_users(20)), district=None, dry_run=False)
    district = first.district
    small, _ = _queries(bundle_files(users=_users(5)), district=district, dry_run=False)
    large, _ = _queries(bundle_files(users=_users(20)), district=district, dry_run=False)
    assert small == large


# --- Later rows see earlier rows' writes ---------------------------------------------------------
# parse_bundle refuses duplicate usernames and emails, so these bundles are handed to the import
# as parsed bundles: the apply walk must find what the earlier row wrote, as a query would.


def _parsed_with(monkeypatch, change):
    files = bundle_files(
        orgs=default_orgs(),
        users=[
            user("t-1", "teacher", "sch-1", "Ada", "Lovelace", "ada@r.example"),
            user("t-2", "teacher", "sch-1", "Alan", "Turing", "alan@r.example"),
        ],
    )
    bundle = oneroster.parse_bundle(files)
    assert not bundle.problems
    first, second = bundle.users
    bundle.users[1] = dataclasses.replace(second, **change(first))
    monkeypatch.setattr(oneroster, "parse_bundle", lambda files: bundle)
    return files


def test_a_later_row_with_the_username_an_earlier_row_created_is_refused(monkeypatch):
    files = _parsed_with(monkeypatch, lambda first: {"username": first.username})
    before = User.objects.count()
    outcome = roster_bundle_import(files=files, district=None, dry_run=False)
    assert [str(p) for p in outcome.problems] == [
        str(oneroster.Problem(
            oneroster.USERS, 3, "username",
            "'ada@r.example' is already the username of another account",
        ))
    ]  # fmt: skip
    assert User.objects.count() == before
    assert not Teacher.objects.exists()


def test_a_later_row_with_the_email_an_earlier_row_created_is_refused(monkeypatch):
    files = _parsed_with(monkeypatch, lambda first: {"email": first.email.upper()})
    outcome = roster_bundle_import(files=files, district=None, dry_run=False)
    assert [str(p) for p in outcome.problems] == [
        str(oneroster.Problem(
            oneroster.USERS, 3, "email",
            "'ADA@R.EXAMPLE' is the email of another person imported from a roster",
        ))
    ]  # fmt: skip
    assert not User.objects.exists()


def test_a_dry_run_of_those_rows_checks_against_the_database_only(monkeypatch):
    files = _parsed_with(monkeypatch, lambda first: {"username": first.username})
    outcome = roster_bundle_import(files=files, district=None, dry_run=True)
    assert outcome.ok
    assert outcome.summary["actions"]["create"] == 1 + 3 + 2


def test_a_later_row_with_the_email_of_an_account_an_earlier_row_linked_is_refused(monkeypatch):
    # Both rows match the account by email when checked; applied, the first row links it (it
    # gets a sourcedId), so the second finds another imported person's email.
    existing = UserFactory(username="ada-existing", email="ada@r.example", sourced_id=None)
    files = _parsed_with(monkeypatch, lambda first: {"email": first.email})
    checked = roster_bundle_import(files=files, district=None, dry_run=True)
    assert checked.ok
    outcome = roster_bundle_import(files=files, district=None, dry_run=False)
    assert [(p.line, p.field, p.message) for p in outcome.problems] == [
        (3, "email", "'ada@r.example' is the email of another person imported from a roster")
    ]
    existing.refresh_from_db()
    assert existing.sourced_id is None
