"""Reading and checking a OneRoster 1.1 CSV bundle, with no database access.

A bundle is a zip or a folder holding ``manifest.csv``, ``orgs.csv`` and ``users.csv`` (other
files of the standard, such as classes and enrollments, may be there and are ignored). Every
problem found is a ``Problem`` naming the file, the line (of the record's first line, 1 being
the header) and the column, so a refused bundle can be fixed in one go. Student, parent and
other rows the app does not keep are counted and otherwise left alone: nothing of theirs is
kept, not even in the report.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.dateparse import parse_date, parse_datetime

MANIFEST = "manifest.csv"
ORGS = "orgs.csv"
USERS = "users.csv"
NEEDED_FILES = (MANIFEST, ORGS, USERS)

MANIFEST_COLUMNS = ("propertyName", "value")
ORG_COLUMNS = (
    "sourcedId",
    "status",
    "dateLastModified",
    "name",
    "type",
    "identifier",
    "parentSourcedId",
)
USER_COLUMNS = (
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "orgSourcedIds",
    "role",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
)
STATUSES = ("active", "tobedeleted")
ORG_TYPES = ("department", "school", "district", "local", "state", "national")
USER_ROLES = ("administrator", "aide", "guardian", "parent", "proctor", "relative", "student")
USER_ROLES += ("teacher",)
KEPT_ROLES = ("teacher", "administrator")
FILE_MODES = ("bulk", "delta", "absent")
# Lengths of the fields the values end up in (teachers.models, accounts.models).
MAX_LENGTHS = {
    "sourcedId": 255,
    "name": 200,
    "username": 150,
    "givenName": 100,
    "familyName": 100,
    "email": 254,
}


class BundleError(Exception):
    """The upload is not a bundle at all (not a zip, unsafe or too big once unpacked)."""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        where += f", {self.field}" if self.field else ""
        return f"{where}: {self.message}"


@dataclass
class OrgRow:
    line: int
    sourced_id: str
    status: str
    name: str
    type: str
    identifier: str
    parent_sourced_id: str
    modified: datetime.datetime | None

    @property
    def to_be_deleted(self) -> bool:
        return self.status == "tobedeleted"


@dataclass
class UserRow:
    line: int
    sourced_id: str
    status: str
    enabled: bool
    org_sourced_ids: list[str]
    role: str
    username: str
    given_name: str
    family_name: str
    email: str
    modified: datetime.datetime | None

    @property
    def is_active(self) -> bool:
        return self.enabled and self.status != "tobedeleted"


@dataclass
class Bundle:
    manifest: dict[str, str]
    orgs: list[OrgRow]
    users: list[UserRow]  # teachers and administrators only
    skipped_users: int = 0  # students, parents, aides...: counted, never kept
    problems: list[Problem] = field(default_factory=list)

    @property
    def org_by_id(self) -> dict[str, OrgRow]:
        return {org.sourced_id: org for org in self.orgs}

    @property
    def district_orgs(self) -> list[OrgRow]:
        return [org for org in self.orgs if org.type == "district"]

    @property
    def row_count(self) -> int:
        return len(self.orgs) + len(self.users)


# --- Reading the files -------------------------------------------------------------------------


def read_zip(data: bytes, *, max_uncompressed: int) -> dict[str, bytes]:
    """The CSV files of a zipped bundle, by file name. Files may sit in one folder inside the
    zip. Refuses entries that would leave the bundle (absolute paths, ``..``) and a zip that
    unpacks to more than ``max_uncompressed`` bytes, before reading them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleError("The file is not a zip archive (or is damaged).") from exc
    files: dict[str, bytes] = {}
    total = 0
    with archive:
        for info in archive.infolist():
            name = info.filename.replace("\\", "/")
            path = PurePosixPath(name)
            if path.is_absolute() or ".." in path.parts or name.startswith("/") or ":" in name:
                raise BundleError(f"The zip holds an unsafe path: {info.filename!r}.")
            if info.is_dir() or not name.lower().endswith(".csv"):
                continue
            total += info.file_size
            if total > max_uncompressed:
                raise BundleError(
                    f"The zip unpacks to more than {max_uncompressed // (1024 * 1024)} MB."
                )
            base = path.name
            if base in files:
                raise BundleError(f"The zip holds {base} twice.")
            try:
                with archive.open(info) as member:
                    # Read no more than declared (a forged size cannot unpack beyond it).
                    content = member.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                raise BundleError(f"{base} cannot be read from the zip: {exc}.") from exc
            if len(content) > info.file_size:
                raise BundleError(f"{base} is bigger than the zip says.")
            files[base] = content
    return files


def read_folder(path: str | os.PathLike) -> dict[str, bytes]:
    """The CSV files of a bundle kept in a folder (not its subfolders)."""
    folder = Path(path)
    return {
        entry.name: entry.read_bytes()
        for entry in sorted(folder.iterdir())
        if entry.is_file() and entry.name.lower().endswith(".csv")
    }


def read_bundle(data: bytes, *, max_uncompressed: int) -> dict[str, bytes]:
    return read_zip(data, max_uncompressed=max_uncompressed)


def _decode(name: str, data: bytes, problems: list[Problem]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(name, line, "", f"not UTF-8 text (byte {data[exc.start]:#04x}); save as UTF-8")
        )
        return None


# C0 control characters (NUL, tabs and line breaks inside a cell included) and DEL: no roster field
# holds one, and PostgreSQL refuses a NUL in any text.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def _records(name: str, text: str, problems: list[Problem]) -> tuple[list[str], list]:
    """The header and the records ``(line, {column: value})`` of a CSV file; broken quoting
    and records with the wrong number of fields are problems."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] = []
    records = []
    last_line = 0
    try:
        for row in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not header:
                header = [h.strip() for h in row]
                continue
            if not row or row == [""]:
                continue  # blank line
            if len(row) != len(header):
                problems.append(
                    Problem(
                        name,
                        start,
                        "",
                        f"{len(row)} fields where the header has {len(header)}",
                    )
                )
                continue
            record = dict(zip(header, (v.strip() for v in row), strict=True))
            bad = [(column, m[0]) for column, v in record.items() if (m := CONTROL_RE.search(v))]
            for column, char in bad:
                problems.append(
                    Problem(
                        name, start, column, f"contains a control character (U+{ord(char):04X})"
                    )
                )
            if not bad:
                records.append((start, record))
    except csv.Error as exc:
        # Reported at the record where the quoting broke, not where the reader noticed.
        noticed = reader.line_num
        message = f"broken CSV quoting: {exc}"
        if noticed and noticed != last_line + 1:
            message += f" (noticed on line {noticed}: check the quotes of this record)"
        problems.append(Problem(name, last_line + 1, "", message))
    return header, records


def _missing_columns(name: str, header: list[str], needed, problems: list[Problem]) -> bool:
    missing = [column for column in needed if column not in header]
    for column in missing:
        problems.append(Problem(name, 1, column, "required column missing from the header"))
    return bool(missing)


def _date(name, line, value, problems) -> datetime.datetime | None:
    if not value:
        return None
    moment = None
    try:
        moment = parse_datetime(value.replace("Z", "+00:00")) or (
            datetime.datetime.combine(parse_date(value), datetime.time())
            if parse_date(value)
            else None
        )
    except ValueError:
        moment = None
    if moment is None:
        problems.append(
            Problem(name, line, "dateLastModified", f"not a date: {value!r} (ISO 8601 expected)")
        )
    return moment


def _enum(name, line, column, value, allowed, problems, *, blank_ok=False) -> str:
    lowered = value.strip()
    if not lowered and blank_ok:
        return ""
    if lowered not in allowed:
        problems.append(
            Problem(name, line, column, f"{value!r} is not one of {', '.join(allowed)}")
        )
    return lowered


def _required(name, line, column, value, problems) -> None:
    if not value:
        problems.append(Problem(name, line, column, "required, but empty"))


def _length(name, line, column, value, problems) -> None:
    limit = MAX_LENGTHS.get(column)
    if limit and len(value) > limit:
        problems.append(Problem(name, line, column, f"longer than {limit} characters"))


def _manifest(files: dict[str, bytes], problems: list[Problem]) -> dict[str, str]:
    text = _decode(MANIFEST, files[MANIFEST], problems)
    if text is None:
        return {}
    header, records = _records(MANIFEST, text, problems)
    if _missing_columns(MANIFEST, header, MANIFEST_COLUMNS, problems):
        return {}
    values = {}
    lines = {}
    for line, record in records:
        values[record["propertyName"]] = record["value"]
        lines[record["propertyName"]] = line
    expected = {"manifest.version": "1.0", "oneroster.version": "1.1"}
    for key, wanted in expected.items():
        if key not in values:
            problems.append(Problem(MANIFEST, None, key, f"missing (should be {wanted})"))
        elif values[key] != wanted:
            problems.append(
                Problem(MANIFEST, lines[key], key, f"{values[key]!r}, but only {wanted} is read")
            )
    for key, value in values.items():
        if key.startswith("file."):
            _enum(MANIFEST, lines[key], key, value, FILE_MODES, problems)
    for key in ("file.orgs", "file.users"):
        if values.get(key, "absent") == "absent":
            problems.append(
                Problem(MANIFEST, lines.get(key), key, "must be bulk or delta: the file is needed")
            )
    return values


def _orgs(files: dict[str, bytes], problems: list[Problem]) -> list[OrgRow]:
    text = _decode(ORGS, files[ORGS], problems)
    if text is None:
        return []
    header, records = _records(ORGS, text, problems)
    if _missing_columns(ORGS, header, ORG_COLUMNS, problems):
        return []
    orgs: list[OrgRow] = []
    first_line: dict[str, int] = {}
    for line, r in records:
        for column in ("sourcedId", "name", "type"):
            _required(ORGS, line, column, r[column], problems)
        for column in ("sourcedId", "name"):
            _length(ORGS, line, column, r[column], problems)
        sourced_id = r["sourcedId"]
        if sourced_id in first_line:
            problems.append(
                Problem(
                    ORGS,
                    line,
                    "sourcedId",
                    f"duplicate sourcedId {sourced_id!r} (first on line {first_line[sourced_id]})",
                )
            )
            continue
        if sourced_id:
            first_line[sourced_id] = line
        org = OrgRow(
            line=line,
            sourced_id=sourced_id,
            status=_enum(ORGS, line, "status", r["status"], STATUSES, problems, blank_ok=True),
            name=r["name"],
            type=_enum(ORGS, line, "type", r["type"], ORG_TYPES, problems) if r["type"] else "",
            identifier=r["identifier"],
            parent_sourced_id=r["parentSourcedId"],
            modified=_date(ORGS, line, r["dateLastModified"], problems),
        )
        orgs.append(org)
    known = {org.sourced_id for org in orgs}
    for org in orgs:
        if org.parent_sourced_id and org.parent_sourced_id not in known:
            problems.append(
                Problem(
                    ORGS,
                    org.line,
                    "parentSourcedId",
                    f"unknown org {org.parent_sourced_id!r} (not in orgs.csv)",
                )
            )
    districts = [org for org in orgs if org.type == "district"]
    for extra in districts[1:]:
        problems.append(
            Problem(
                ORGS,
                extra.line,
                "type",
                f"a second district (the first is on line {districts[0].line}): import one "
                "district per bundle",
            )
        )
    return orgs


# --- Keeping only what the import needs ---------------------------------------------------------


def _scrubbed_users(data: bytes) -> bytes | None:
    """users.csv with every row the import does not keep reduced to what its check reads: the
    role (so it is counted as skipped, or reported if it is no role) and, in a column holding a
    control character, that character alone (reported as before). Rows keep their line numbers
    (a shorter row is followed by blank lines), so every problem names the same line as in the
    upload. None when the file cannot be read as CSV text: the bundle is refused as it is."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out = io.StringIO(newline="")
    header: list[str] = []
    last_line = 0
    try:
        for row in reader:
            span = reader.line_num - last_line
            last_line = reader.line_num
            if not header:
                header = [h.strip() for h in row]
                kept = row
            elif not row or row == [""]:
                kept = None
            elif len(row) == len(header) and "role" in header:
                record = dict(zip(header, row, strict=True))
                kept = row if record["role"].strip() in KEPT_ROLES else _placeholder(header, row)
            else:  # the wrong number of fields: reported by its count alone
                kept = [""] * len(row) if len(row) > 1 else [" "]
            lines = 0
            if kept is not None:
                chunk = io.StringIO(newline="")
                csv.writer(chunk, lineterminator="\n").writerow(kept)
                lines = len(LINE_BREAK_RE.findall(chunk.getvalue()))
                out.write(chunk.getvalue())
            out.write("\n" * max(span - lines, 0))  # the record's other lines, left blank
    except csv.Error:
        return None
    return out.getvalue().encode()


def _placeholder(header: list[str], row: list[str]) -> list[str]:
    """A row the import does not keep, emptied of everything its check does not read."""
    values = []
    for column, value in zip(header, row, strict=True):
        if column == "role":
            values.append(value)
        elif match := CONTROL_RE.search(value.strip()):
            values.append(f"-{match[0]}-")  # still reported: "contains a control character"
        else:
            values.append("")
    return values


def scrub_bundle(files: dict[str, bytes]) -> bytes | None:
    """The bundle as the app stores it between upload and import: a zip of only the files the
    import reads, with users.csv holding no row the import does not keep (students, parents,
    aides...). None when users.csv is not readable CSV text (the bundle is refused as it is)."""
    kept = {name: files[name] for name in NEEDED_FILES if name in files}
    if USERS in kept:
        users = _scrubbed_users(kept[USERS])
        if users is None:
            return None
        kept[USERS] = users
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in kept.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _split_ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _users(files: dict[str, bytes], orgs: list[OrgRow], problems: list[Problem]):
    text = _decode(USERS, files[USERS], problems)
    if text is None:
        return [], 0
    header, records = _records(USERS, text, problems)
    if _missing_columns(USERS, header, USER_COLUMNS, problems):
        return [], 0
    org_types = {org.sourced_id: org.type for org in orgs}
    users: list[UserRow] = []
    skipped = 0
    first_line: dict[str, int] = {}
    emails: dict[str, int] = {}
    usernames: dict[str, int] = {}
    for line, r in records:
        role = r["role"].strip()
        if role not in KEPT_ROLES:
            # Students and the others: never kept, never named in the report. Only a role
            # that is no role at all is reported (the row might have been meant for us).
            if role not in USER_ROLES:
                _enum(USERS, line, "role", role, USER_ROLES, problems)
            else:
                skipped += 1
            continue
        for column in ("sourcedId", "enabledUser", "orgSourcedIds", "givenName", "familyName"):
            _required(USERS, line, column, r[column], problems)
        for column in ("sourcedId", "username", "givenName", "familyName", "email"):
            _length(USERS, line, column, r[column], problems)
        sourced_id = r["sourcedId"]
        if sourced_id in first_line:
            problems.append(
                Problem(
                    USERS,
                    line,
                    "sourcedId",
                    f"duplicate sourcedId {sourced_id!r} (first on line {first_line[sourced_id]})",
                )
            )
            continue
        if sourced_id:
            first_line[sourced_id] = line
        enabled = _enum(
            USERS, line, "enabledUser", r["enabledUser"].lower(), ("true", "false"), problems
        )
        email = r["email"]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(Problem(USERS, line, "email", f"not an email address: {email!r}"))
            key = email.lower()
            if key in emails:
                problems.append(
                    Problem(
                        USERS,
                        line,
                        "email",
                        f"{email!r} is also the email of the user on line {emails[key]}",
                    )
                )
            else:
                emails[key] = line
        username = r["username"] or email
        if not username:
            problems.append(Problem(USERS, line, "username", "required (or an email), but empty"))
        elif username.lower() in usernames:
            problems.append(
                Problem(
                    USERS,
                    line,
                    "username",
                    f"{username!r} is also the username on line {usernames[username.lower()]}",
                )
            )
        else:
            usernames[username.lower()] = line
        org_ids = _split_ids(r["orgSourcedIds"])
        for org_id in org_ids:
            if org_id not in org_types:
                problems.append(
                    Problem(
                        USERS, line, "orgSourcedIds", f"unknown org {org_id!r} (not in orgs.csv)"
                    )
                )
        known = [o for o in org_ids if o in org_types]
        if known:
            schools = [o for o in known if org_types[o] == "school"]
            districts = [o for o in known if org_types[o] == "district"]
            if role == "teacher" and not schools:
                problems.append(
                    Problem(USERS, line, "orgSourcedIds", "a teacher needs a school org")
                )
            elif role == "administrator" and not (schools or districts):
                problems.append(
                    Problem(
                        USERS,
                        line,
                        "orgSourcedIds",
                        "an administrator needs a school or district org",
                    )
                )
        users.append(
            UserRow(
                line=line,
                sourced_id=sourced_id,
                status=_enum(USERS, line, "status", r["status"], STATUSES, problems, blank_ok=True),
                enabled=enabled != "false",
                org_sourced_ids=org_ids,
                role=role,
                username=username,
                given_name=r["givenName"],
                family_name=r["familyName"],
                email=email,
                modified=_date(USERS, line, r["dateLastModified"], problems),
            )
        )
    return users, skipped


def parse_bundle(files: dict[str, bytes]) -> Bundle:
    """Read and check the whole bundle; ``Bundle.problems`` lists everything wrong."""
    problems: list[Problem] = []
    for name in NEEDED_FILES:
        if name not in files:
            problems.append(Problem(name, None, "", "file missing from the bundle"))
    manifest = _manifest(files, problems) if MANIFEST in files else {}
    orgs = _orgs(files, problems) if ORGS in files else []
    users, skipped = _users(files, orgs, problems) if USERS in files else ([], 0)
    return Bundle(manifest, orgs, users, skipped, problems)
