"""A teacher's export (privacy.selectors.teacher_data_export and the My data page): every model
that refers to the teacher is in it with the teacher's rows, nothing of another teacher is, and
only the teacher reaches it."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.test import Client

from privacy.graph import (
    ACCOUNT_MODELS,
    NOT_ABOUT_THE_TEACHER,
    NOT_TEACHER_DATA,
    models_referring_to_accounts,
)
from privacy.selectors import teacher_data_export
from teachers.models import Role
from tests.privacy.world import a_teacher_with_everything

pytestmark = pytest.mark.django_db


def _refers_to(model, targets) -> bool:
    return any(
        f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model in targets
        for f in model._meta.concrete_fields
    )


def models_about_a_teacher() -> set[str]:
    """Every model from which a chain of foreign keys leads to a teacher's profile, found
    here independently of privacy.graph."""
    found = {apps.get_model("teachers", "Teacher")}
    grew = True
    while grew:
        more = {m for m in apps.get_models() if m not in found and _refers_to(m, found)}
        found |= more
        grew = bool(more)
    return {m._meta.label for m in found}


def _export(teacher) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(teacher_data_export(teacher=teacher))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_every_model_that_refers_to_the_teacher_is_exported_with_the_teachers_rows():
    mine = a_teacher_with_everything("MINE")
    a_teacher_with_everything("THEIRS")  # same kinds of rows, another teacher
    files = _export(mine)
    index = json.loads(files["index.json"])
    missing = models_about_a_teacher() - set(index["files"]) - set(NOT_TEACHER_DATA)
    assert not missing, f"not exported: {missing}"
    empty = sorted(label for label in index["files"] if not index["files"][label])
    assert not empty, f"no row of these in the test's world: give the teacher one: {empty}"
    everything = b"".join(files.values()).decode()
    for label in models_about_a_teacher() - set(NOT_TEACHER_DATA):
        assert f"{label}.csv" in files and f"{label}.json" in files
    for text in ("MINEfirst", "MINE problem", "MINE evidence", "MINE script", "MINE note",
                 "MINE session notes", "MINE next step", "MINE reflection", "MINE revisit",
                 "MINE student work", "MINE time", "MINE clip", "MINE comment"):  # fmt: skip
        assert text in everything, text
    assert "THEIRS" not in everything


def test_the_account_and_its_records_are_exported_without_secrets():
    mine = a_teacher_with_everything("MINE")
    files = _export(mine)
    (user,) = json.loads(files["accounts.User.json"])
    assert user["username"] == mine.user.username and "password" not in user
    roles = json.loads(files["teachers.Membership.json"])
    assert [r["role"] for r in roles] == [Role.TEACHER]
    assert mine.user.password.encode() not in b"".join(files.values())


def test_every_model_referring_to_an_account_is_exported_or_said_why_not():
    classified = set(ACCOUNT_MODELS) | set(NOT_ABOUT_THE_TEACHER)
    assert models_referring_to_accounts() == classified


def test_teacher_downloads_their_zip_from_my_data_and_nobody_else_gets_it():
    mine = a_teacher_with_everything("MINE")
    client = Client()
    client.force_login(mine.user)
    page = client.get("/my-move/my-data/")
    assert page.status_code == 200 and b"Download my data" in page.content
    download = client.get("/my-move/my-data/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert b"MINE note" in b"".join(archive.read(n) for n in archive.namelist())
    # The coach (no teacher profile) and an anonymous visitor get no one's export.
    coach = mine.caseload_assignments.get().coach
    client.force_login(coach)
    assert client.get("/my-move/my-data/download/").status_code == 404
    assert client.get("/my-move/my-data/").status_code == 404
    anonymous = Client().get("/my-move/my-data/download/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
