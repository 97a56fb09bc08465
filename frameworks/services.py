"""Writes of frameworks: create one, load one from a CSV file, make one the district's active
framework. Every write is validated in full and applied in one transaction: a file with any
error changes nothing.

The CSV format (documented in docs/administration.md and on the /frameworks/ page) has a
header line and one row per domain, component or performance level::

    type,code,name,description,parent,rank
    domain,1,Learning environment,,,
    component,1a,Routines that run themselves,Students know what to do...,1,
    level,,Emerging,Seen now and then with prompting,,1

- ``type``: ``domain``, ``component`` or ``level``.
- ``code``: domains and components (unique within the framework); empty for levels.
- ``name``: required; ``description``: optional.
- ``parent``: a component's domain code (a domain of the same file).
- ``rank``: a level's rank, a whole number from 1 (1 the lowest).
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from core.validation import validated_save
from frameworks.models import Component, Domain, Framework, PerformanceLevel
from teachers.models import District

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
COLUMNS = ("type", "code", "name", "description", "parent", "rank")
REQUIRED_COLUMNS = ("type", "code", "name", "parent", "rank")
TYPES = ("domain", "component", "level")
MAX_ERRORS = 50
# At most three digits: int() of a very long digit string raises ValueError (and 100 is the top).
_WHOLE_NUMBER = re.compile(r"[0-9]{1,3}")
# The longest code and name each type of row may have (the model fields of that type).
_LENGTHS = {
    "domain": {
        "code": Domain._meta.get_field("code").max_length,
        "name": Domain._meta.get_field("name").max_length,
    },
    "component": {
        "code": Component._meta.get_field("code").max_length,
        "name": Component._meta.get_field("name").max_length,
    },
    "level": {"name": PerformanceLevel._meta.get_field("name").max_length},
}
# Cells that hold one line; only a description may run over several.
_ONE_LINE = ("type", "code", "name", "parent", "rank")


@dataclass
class _Parsed:
    domains: list[dict] = field(default_factory=list)
    components: list[dict] = field(default_factory=list)
    levels: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def error(self, line: int, column: str | None, message: str) -> None:
        where = f"Line {line}" + (f", column “{column}”" if column else "")
        self.errors.append(f"{where}: {message}")


def _read_bytes(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    return data.encode() if isinstance(data, str) else data


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValidationError(
            {
                "file": f"The file is larger than {MAX_BYTES // 1024} KB; a framework fits well "
                "under that."
            }
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            {"file": f"Line {line}: the file is not UTF-8 text; save it as “CSV UTF-8”."}
        ) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ValidationError({"file": f"Line {line}: the file holds a NUL byte; is it a CSV?"})
    if not text.strip():
        raise ValidationError({"file": "The file is empty."})
    return text


def _parse(text: str) -> _Parsed:
    parsed = _Parsed()
    # strict: a quote left open is an error, not a cell that swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        parsed.error(1, None, _csv_problem(exc))
        return parsed
    names = [h.strip().lower() for h in header]
    for name in names:
        if name and name not in COLUMNS:
            parsed.error(1, name, f"unknown column; the columns are {', '.join(COLUMNS)}.")
    for name in REQUIRED_COLUMNS:
        if name not in names:
            parsed.error(1, name, "this column is missing from the header line.")
    duplicated = sorted({n for n in names if n and names.count(n) > 1})
    for name in duplicated:
        parsed.error(1, name, "this column appears more than once.")
    if parsed.errors:
        return parsed
    index = {name: names.index(name) for name in COLUMNS if name in names}

    domain_codes: dict[str, int] = {}
    component_codes: dict[str, int] = {}
    ranks: dict[int, int] = {}
    rows = 0
    line = ended = reader.line_num
    try:
        for row in reader:
            # The line the row starts on (a quoted description may run over several lines).
            line, ended = ended + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            if rows > MAX_ROWS:
                parsed.error(line, None, f"the file has more than {MAX_ROWS} rows.")
                break
            if len(row) > len(names):
                parsed.error(line, None, f"{len(row)} cells for {len(names)} columns.")
                continue
            cell = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
            broken = [
                name
                for name in _ONE_LINE
                if "\n" in cell.get(name, "") or "\r" in cell.get(name, "")
            ]
            if broken:
                parsed.error(
                    line,
                    broken[0],
                    'a line break inside the cell; is a quote (") left open on this line?',
                )
                continue
            _parse_row(parsed, line, cell, domain_codes, component_codes, ranks)
            if len(parsed.errors) >= MAX_ERRORS:
                break
    except csv.Error as exc:
        parsed.error(ended + 1 if _unclosed(exc) else reader.line_num, None, _csv_problem(exc))
    for component in parsed.components:
        if component["parent"] not in domain_codes:
            parsed.error(
                component["line"],
                "parent",
                f"no domain with code “{component['parent']}” in this file.",
            )
    if not parsed.errors:
        if not parsed.components:
            parsed.errors.append("The file has no component rows; a framework needs at least one.")
        if not parsed.levels:
            parsed.errors.append("The file has no level rows; a framework needs at least one.")
    return parsed


def _shortened(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _unclosed(exc: csv.Error) -> bool:
    return "unexpected end of data" in str(exc)


def _csv_problem(exc: csv.Error) -> str:
    if _unclosed(exc):
        return 'a quote (") opened on this line is never closed.'
    return f"this is not a readable CSV line ({exc})."


def _parse_row(parsed: _Parsed, line, cell, domain_codes, component_codes, ranks) -> None:
    kind = cell["type"].lower()
    if kind not in TYPES:
        shown = f"“{cell['type']}”" if cell["type"] else "empty"
        parsed.error(line, "type", f"{shown} is not a type; use domain, component or level.")
        return
    ok = True
    lengths = _LENGTHS[kind]
    if not cell["name"]:
        parsed.error(line, "name", f"a {kind} needs a name.")
        ok = False
    elif len(cell["name"]) > lengths["name"]:
        parsed.error(line, "name", f"a {kind} name has at most {lengths['name']} characters.")
        ok = False
    if kind in ("domain", "component"):
        code = cell["code"]
        if not code:
            parsed.error(line, "code", f"a {kind} needs a code.")
            return
        if len(code) > lengths["code"]:
            parsed.error(line, "code", f"at most {lengths['code']} characters.")
            return
        seen = domain_codes if kind == "domain" else component_codes
        if code in seen:
            parsed.error(line, "code", f"{kind} code “{code}” is already on line {seen[code]}.")
            return
        seen[code] = line
        if kind == "component" and not cell["parent"]:
            parsed.error(line, "parent", "a component needs its domain's code.")
            return
        if ok:
            row = {"line": line, "code": code, "name": cell["name"]}
            if kind == "domain":
                parsed.domains.append(row)
            else:
                row.update(description=cell.get("description", ""), parent=cell["parent"])
                parsed.components.append(row)
        return
    rank_text = cell["rank"]
    if not _WHOLE_NUMBER.fullmatch(rank_text) or int(rank_text) < 1 or int(rank_text) > 100:
        shown = f"“{_shortened(rank_text)}”" if rank_text else "empty"
        parsed.error(line, "rank", f"{shown} is not a rank; use a whole number from 1 to 100.")
        return
    rank = int(rank_text)
    if rank in ranks:
        parsed.error(line, "rank", f"rank {rank} is already on line {ranks[rank]}.")
        return
    ranks[rank] = line
    if ok:
        parsed.levels.append(
            {
                "line": line,
                "rank": rank,
                "name": cell["name"],
                "description": cell.get("description", ""),
            }
        )


def _name_problem(*, district: District, name: str) -> str | None:
    limit = Framework._meta.get_field("name").max_length
    if not name:
        return "Give the framework a name."
    if len(name) > limit:
        return f"At most {limit} characters."
    if Framework.objects.filter(district=district, name__iexact=name).exists():
        return f"{district} already has a framework called “{name}”."
    return None


@transaction.atomic
def framework_create(
    *, district: District, name: str, description: str = "", user: User | None = None
) -> Framework:
    """A new, inactive framework without domains (fill it in the admin)."""
    name = name.strip()
    if problem := _name_problem(district=district, name=name):
        raise ValidationError({"name": problem})
    return validated_save(Framework(district=district, name=name.strip(), description=description))


@transaction.atomic
def framework_activate(*, framework: Framework, user: User | None = None) -> Framework:
    """Make ``framework`` the one its district coaches against (the others become inactive)."""
    # Lock the district row (it exists even before a first framework is active, when a lock on
    # the district's active frameworks would lock nothing), so two activations cannot both win.
    District.objects.select_for_update().filter(pk=framework.district_id).first()
    others = Framework.objects.filter(district_id=framework.district_id, is_active=True)
    for other in others.exclude(pk=framework.pk):
        other.is_active = False
        validated_save(other)
    if not framework.is_active:
        framework.is_active = True
        validated_save(framework)
    return framework


def framework_import_csv(
    *, district: District, name: str, file, activate: bool = False, user: User | None = None
) -> Framework:
    """A new framework from a CSV file (format above). Any problem, reported by line and column
    under ``file`` (or under ``name``), refuses the whole file: nothing is saved."""
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    name_error = _name_problem(district=district, name=name)
    if name_error:
        errors["name"] = [name_error]
    try:
        parsed = _parse(_decode(_read_bytes(file)))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if parsed.errors:
            errors["file"] = parsed.errors
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # A new inactive framework shows nowhere yet: saving it bumps no page version
        # (coaching/receivers.py), and its rows, already validated by the parser, are created in
        # a few bulk inserts without per-row signals. Activating it bumps the versions once.
        framework = validated_save(Framework(district=district, name=name))
        domains = [
            Domain(framework=framework, code=row["code"], name=row["name"], position=position)
            for position, row in enumerate(parsed.domains, start=1)
        ]
        _bulk_create(Domain, domains, exclude=["framework"])
        by_code = {domain.code: domain for domain in domains}
        components = [
            Component(
                domain=by_code[row["parent"]],
                code=row["code"],
                name=row["name"],
                description=row["description"],
                position=position,
            )
            for position, row in enumerate(parsed.components, start=1)
        ]
        _bulk_create(Component, components, exclude=["domain"])
        levels = [
            PerformanceLevel(
                framework=framework,
                rank=row["rank"],
                name=row["name"],
                description=row["description"],
            )
            for row in parsed.levels
        ]
        _bulk_create(PerformanceLevel, levels, exclude=["framework"])
        if activate:
            framework_activate(framework=framework, user=user)
    return framework


def _bulk_create(model, rows: list, *, exclude: list[str]) -> None:
    """Insert rows the parser has checked (codes, ranks, parents): each row's fields are still
    validated (no query), and a lost race on a constraint is a validation error."""
    for row in rows:
        row.clean_fields(exclude=exclude)
    try:
        with transaction.atomic():
            model.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise ValidationError(
            "This change conflicts with another that was just saved; reload and try again."
        ) from exc
