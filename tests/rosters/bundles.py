"""Hand-made OneRoster 1.1 bundles for the roster tests: CSV files written to a folder and
zipped."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from rosters.oneroster import ORG_COLUMNS, USER_COLUMNS

MANIFEST = [
    ("manifest.version", "1.0"),
    ("oneroster.version", "1.1"),
    ("file.academicSessions", "absent"),
    ("file.categories", "absent"),
    ("file.classes", "bulk"),
    ("file.classResources", "absent"),
    ("file.courses", "absent"),
    ("file.courseResources", "absent"),
    ("file.demographics", "absent"),
    ("file.enrollments", "bulk"),
    ("file.lineItems", "absent"),
    ("file.orgs", "bulk"),
    ("file.resources", "absent"),
    ("file.results", "absent"),
    ("file.users", "bulk"),
]
STAMP = "2024-08-21T09:31:02.000Z"


def org(sourced_id, name, type_, parent="", status="active", modified=STAMP, identifier=""):
    return {
        "sourcedId": sourced_id,
        "status": status,
        "dateLastModified": modified,
        "name": name,
        "type": type_,
        "identifier": identifier,
        "parentSourcedId": parent,
    }


def user(
    sourced_id,
    role,
    orgs,
    given,
    family,
    email="",
    username=None,
    status="active",
    enabled="true",
    modified=STAMP,
):
    return {
        "sourcedId": sourced_id,
        "status": status,
        "dateLastModified": modified,
        "enabledUser": enabled,
        "orgSourcedIds": orgs,
        "role": role,
        "username": email if username is None else username,
        "userIds": "",
        "givenName": given,
        "familyName": family,
        "middleName": "",
        "identifier": "",
        "email": email,
        "sms": "",
        "phone": "",
        "agentSourcedIds": "",
        "grades": "",
        "password": "",
    }


def default_orgs() -> list[dict]:
    return [
        org("dist-1", "Riverside Unified", "district"),
        org("sch-1", "Riverside Elementary", "school", "dist-1"),
        org("sch-2", "Riverside Middle", "school", "dist-1"),
        org("sch-3", "Riverside High", "school", "dist-1"),
        org("dept-1", "Riverside High Science", "department", "sch-3"),
    ]


def default_users() -> list[dict]:
    return [
        user("t-1", "teacher", "sch-1,sch-2", "Ada", "Lovelace", "ada@riverside.example"),
        user("t-2", "teacher", "sch-1", "Alan", "Turing", "alan@riverside.example"),
        user("t-3", "teacher", "sch-2", "Grace", "Hopper", "grace@riverside.example"),
        user("t-4", "teacher", "sch-3,dept-1", "Katherine", "Johnson", "kj@riverside.example"),
        user("a-1", "administrator", "sch-1", "Maria", "Montessori", "maria@riverside.example"),
        user("a-2", "administrator", "sch-2,sch-3", "John", "Dewey", "dewey@riverside.example"),
        user("a-3", "administrator", "dist-1", "Lev", "Vygotsky", "lev@riverside.example"),
        user("s-1", "student", "sch-1", "Studentfirst", "Onlyone", "pupil1@riverside.example"),
        user("s-2", "student", "sch-2", "Studentfirst", "Onlytwo", "pupil2@riverside.example"),
        user("s-3", "student", "sch-3", "Studentfirst", "Onlythree", ""),
        user("p-1", "parent", "sch-1", "Parentfirst", "Onlyparent", "parent@riverside.example"),
    ]


STUDENT_TEXTS = ("Studentfirst", "Onlyone", "Onlytwo", "pupil1@", "Parentfirst", "s-1", "p-1")


def csv_text(columns, rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def bundle_files(
    orgs: list[dict] | None = None,
    users: list[dict] | None = None,
    manifest: list[tuple[str, str]] | None = None,
    *,
    org_columns=ORG_COLUMNS,
    user_columns=USER_COLUMNS,
    extra: dict[str, bytes] | None = None,
) -> dict[str, bytes]:
    manifest_rows = [{"propertyName": k, "value": v} for k, v in (manifest or MANIFEST)]
    files = {
        "manifest.csv": csv_text(("propertyName", "value"), manifest_rows).encode(),
        "orgs.csv": csv_text(org_columns, orgs if orgs is not None else default_orgs()).encode(),
        "users.csv": csv_text(
            user_columns, users if users is not None else default_users()
        ).encode(),
        "classes.csv": b"sourcedId,status,dateLastModified,title\r\nc-1,active,,Maths 7\r\n",
        "enrollments.csv": (
            b"sourcedId,classSourcedId,userSourcedId,role\r\ne-1,c-1,s-1,student\r\n"
        ),
    }
    files.update(extra or {})
    return files


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write_bundle(tmp_path: Path, files: dict[str, bytes], name: str = "roster") -> Path:
    """The files in a folder ``tmp_path/name`` and zipped as ``tmp_path/name.zip``; returns
    the zip's path (the folder is next to it)."""
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, data in files.items():
        (folder / file_name).write_bytes(data)
    archive = tmp_path / f"{name}.zip"
    archive.write_bytes(zip_bytes(files))
    return archive
