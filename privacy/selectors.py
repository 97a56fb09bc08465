"""Reads of the privacy pages: everything the app holds about a teacher, as one zip."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Model
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from privacy.graph import (
    ACCOUNT_MODELS,
    SECRET_FIELDS,
    account_models,
    account_rows,
    cycle_lookups,
    cycle_rows,
    teacher_lookups,
    teacher_rows,
)
from teachers.models import District, Teacher

EXPORT_README = """\
Everything the coaching app holds about {name}, taken on {taken}.

Each kind of record is in two files: a .json file (the records, every field) and a .csv file
(the same, one row per record, for a spreadsheet). index.json lists the files and how many
records each holds. Records named "Historical..." are the earlier versions of a record, kept
so that changes can be traced. Clips are listed with their details; the video itself is
downloaded from the clip's page. Secrets (the password and the keys of calendar links and
API tokens) are never stored in readable form and are not in this file.
"""


def own_teacher_get_for_user(*, user: User) -> Teacher:
    """The signed-in person's own teacher profile, or 404."""
    teacher = Teacher.objects.filter(user=user).select_related("user", "school").first()
    if teacher is None or not user.is_authenticated:
        raise Http404("No teacher profile.")
    return teacher


def _value(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | datetime.timedelta):
        return str(value)
    if isinstance(value, memoryview | bytes):
        return None
    if hasattr(value, "name") and hasattr(value, "storage"):  # a stored file: its name
        return value.name or ""
    return value


def _record(obj: Model) -> dict:
    record = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        record[field.attname] = _value(getattr(obj, field.attname))
    for field in obj._meta.many_to_many:
        record[field.name] = sorted(obj.serializable_value(field.name).values_list("pk", flat=True))
    return record


def _csv(records: list[dict]) -> str:
    buffer = io.StringIO()
    columns = list(records[0]) if records else []
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in record.items()}
        )
    return buffer.getvalue()


def teacher_data_export(*, teacher: Teacher) -> bytes:
    """A zip of every record about ``teacher`` (privacy.graph): their profile and account,
    and every row a chain of foreign keys leads from to them, history included."""
    sections: dict[str, list[dict]] = {}
    for model in sorted(teacher_lookups(), key=lambda m: m._meta.label):
        sections[model._meta.label] = [_record(o) for o in teacher_rows(model, teacher.pk)]
    if teacher.user_id:
        sections["accounts.User"] = [_record(teacher.user)]
        for model in account_models():
            sections[model._meta.label] = [_record(o) for o in account_rows(model, teacher.user_id)]
    taken = timezone.localtime()
    index = {
        "teacher": teacher.pk,
        "taken_at": taken.isoformat(),
        "files": {label: len(rows) for label, rows in sections.items()},
        "account_records": ACCOUNT_MODELS,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            EXPORT_README.format(
                name=f"{teacher.first_name} {teacher.last_name}".strip(),
                taken=taken.strftime("%d %B %Y, %H:%M"),
            ),
        )
        archive.writestr("index.json", json.dumps(index, indent=2))
        for label, rows in sections.items():
            archive.writestr(f"{label}.json", json.dumps(rows, indent=2, default=str))
            archive.writestr(f"{label}.csv", _csv(rows))
    return buffer.getvalue()


def teacher_records_count(*, teacher: Teacher) -> dict[str, int]:
    """How many rows of each kind are about ``teacher`` (what an erasure changes), history
    included; kinds with no row left out."""
    counts = {
        model._meta.verbose_name_plural: teacher_rows(model, teacher.pk).count()
        for model in sorted(teacher_lookups(), key=lambda m: m._meta.label)
    }
    return {kind: n for kind, n in counts.items() if n}


def erasures_for(*, user: User):
    """The erasures of the districts ``user`` administers, newest first."""
    from privacy.models import Erasure
    from rosters.selectors import districts_administered

    return Erasure.objects.filter(district__in=districts_administered(user=user)).select_related(
        "teacher__school"
    )


# --- Retention -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionPreview:
    district: District
    cutoff: datetime.date | None  # cycles closed before this date are erased; None: kept
    cycles: int
    rows: dict[str, int]


def retention_cutoff(*, years: int | None, today: datetime.date) -> datetime.date | None:
    if years is None:
        return None
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def cycles_past_retention(*, district: District, today: datetime.date | None = None):
    """The closed cycles of ``district`` whose texts the retention job erases next."""
    from coaching.models import CoachingCycle, CycleState

    cutoff = retention_cutoff(years=district.retention_years, today=today or timezone.localdate())
    if cutoff is None:
        return CoachingCycle.objects.none()
    return CoachingCycle.objects.filter(
        teacher__school__district=district,
        state=CycleState.CLOSED,
        closed_on__lt=cutoff,
        content_erasure__isnull=True,
    ).order_by("closed_on", "pk")


def retention_preview(
    *, district: District, today: datetime.date | None = None
) -> RetentionPreview:
    """What the next retention run does in ``district``: the cycles and their rows, by kind."""
    today = today or timezone.localdate()
    cycles = cycles_past_retention(district=district, today=today)
    ids = cycles.values("pk")
    rows = {
        model._meta.verbose_name_plural: n
        for model in sorted(cycle_lookups(), key=lambda m: m._meta.label)
        if model._meta.label != "coaching.CoachingCycle" and (n := cycle_rows(model, ids).count())
    }
    return RetentionPreview(
        district=district,
        cutoff=retention_cutoff(years=district.retention_years, today=today),
        cycles=cycles.count(),
        rows=rows,
    )


def retention_previews_for(*, user: User) -> list[RetentionPreview]:
    from rosters.selectors import districts_administered

    return [
        retention_preview(district=d) for d in districts_administered(user=user).order_by("name")
    ]
