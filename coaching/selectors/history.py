"""The change history of any row kept by django-simple-history, as people read it."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Field, Model
from django.utils import timezone
from django.utils.text import capfirst

from accounts.models import User
from coaching.models import CoachingCycle

# --- Change history of any row kept by django-simple-history -------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of a history row, as shown: its label, the value before and the value after
    ("—" for none)."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryRow:
    when: datetime.datetime
    who: User | None  # None: changed outside a signed-in request (a task, a script)
    action: str  # "created", "changed" or "deleted"
    # created: the first values (old is "—"); changed: each changed field; deleted: none
    changes: tuple[FieldChange, ...]


HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
HISTORY_HIDDEN_FIELDS = ("created_at", "updated_at")

# How a history row names a row that one of its fields points to: what to fetch with it, and
# the text. Any other related row is shown as str(row).
_HISTORY_RELATED: dict[type[Model], tuple[tuple[str, ...], Callable[[Model], str]]] = {
    CoachingCycle: (
        ("teacher",),
        lambda c: f"{c.teacher.full_name}, opened {c.opened_on:%d %b %Y}",
    ),
}


def _history_value(field: Field, value, related: dict[tuple[type[Model], object], str]) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        model = field.related_model
        return related.get((model, value), f"{model._meta.verbose_name} {value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%a %d %b %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%a %d %b %Y")
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _history_related(
    values: Iterable[tuple[Field, object]],
) -> dict[tuple[type[Model], object], str]:
    """The text for each related row named in ``values``: one query per related model."""
    ids: dict[type[Model], set] = defaultdict(set)
    for history_field, value in values:
        if history_field.is_relation and value not in (None, ""):
            ids[history_field.related_model].add(value)
    shown: dict[tuple[type[Model], object], str] = {}
    for model, pks in ids.items():
        select, label = _HISTORY_RELATED.get(model, ((), str))
        for row in model._default_manager.filter(pk__in=pks).select_related(*select):
            shown[(model, row.pk)] = label(row)
    return shown


def history_rows(
    *, instance: Model, hidden_fields: Iterable[str] = HISTORY_HIDDEN_FIELDS
) -> list[HistoryRow]:
    """The change history of ``instance`` (any model with django-simple-history's
    ``history``), newest first: when, who, and the fields it set (created) or changed from
    what to what (changed), in the model's field order. The primary key and ``hidden_fields``
    are left out. One query for the records, plus one per kind of related row they name."""
    hidden = set(hidden_fields)
    fields = [
        f
        for f in instance.history.model.tracked_fields
        if not f.primary_key and f.name not in hidden
    ]
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    raw: list[list[tuple[Field, object, object]]] = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        if record.history_type == "+":
            values = [(f, None, getattr(record, f.attname)) for f in fields]
            raw.append([v for v in values if v[2] not in (None, "")])
        elif record.history_type == "~" and older is not None:
            values = [(f, getattr(older, f.attname), getattr(record, f.attname)) for f in fields]
            raw.append([v for v in values if v[1] != v[2]])
        else:
            raw.append([])
    related = _history_related(
        (f, value) for changes in raw for f, old, new in changes for value in (old, new)
    )
    return [
        HistoryRow(
            when=record.history_date,
            who=record.history_user,
            action=HISTORY_ACTIONS[record.history_type],
            changes=tuple(
                FieldChange(
                    label=capfirst(str(f.verbose_name)),
                    old=_history_value(f, old, related),
                    new=_history_value(f, new, related),
                )
                for f, old, new in changes
            ),
        )
        for record, changes in zip(records, raw, strict=True)
    ]
