"""Reads the cycle pages need that coaching/access.py and coaching/selectors.py do not have yet.

To be moved: ``session_get_for_user`` into coaching/access.py (next to ``cycle_get_for_user``),
``session_history`` into coaching/selectors.py.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from coaching.models import CoachingSession


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryRow:
    when: datetime.datetime
    who: str
    action: str  # "created", "changed", "deleted"
    changes: tuple[FieldChange, ...]


_HIDDEN_FIELDS = ("created_at",)


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%a %d %b %Y %H:%M")
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def session_history(*, session: CoachingSession) -> list[HistoryRow]:
    """The session's change history, newest first: when, who, and which fields changed from
    what to what (one query)."""
    records = list(session.history.select_related("history_user").order_by("-history_date"))
    rows = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes: tuple[FieldChange, ...] = ()
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older, excluded_fields=_HIDDEN_FIELDS)
            changes = tuple(
                FieldChange(
                    label=str(CoachingSession._meta.get_field(change.field).verbose_name),
                    old=_shown(change.old),
                    new=_shown(change.new),
                )
                for change in delta.changes
            )
        user = record.history_user
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=user.display_name if user else "the system",
                action={"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                changes=changes,
            )
        )
    return rows
