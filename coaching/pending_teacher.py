"""Reads for the caseload filters, the teacher page and the time page that selectors.py does not
have yet. To be moved into coaching/selectors.py; the pages import them from here until then.
Each runs a fixed number of queries."""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from coaching.models import (
    DIRECT_CATEGORIES,
    OPEN_STATES,
    CoachingCycle,
    CycleState,
    PersistentProblem,
    TimeCategory,
    TimeEntry,
)
from coaching.selectors import CaseloadRow
from teachers.models import Teacher

# --- Caseload: filter and sort -----------------------------------------------------------------

CASELOAD_SHOW = {
    "all": "All teachers",
    "overdue": "Overdue revisit",
    "no_cycle": "No active cycle",
    "off_cadence": "Off cadence (over 4 weeks)",
}
CASELOAD_SORTS = {
    "name": "Name, A to Z",
    "-name": "Name, Z to A",
    "-touch": "Longest since last touch",
    "touch": "Most recently touched",
    "revisit": "Next revisit, soonest first",
    "-revisit": "Next revisit, latest first",
    "state": "Cycle state, planned first",
    "-state": "Cycle state, no cycle first",
}
_STATE_RANK = {CycleState.PLANNED: 0, CycleState.ACTIVE: 1, CycleState.DEBRIEFED: 2}


def _name_key(row: CaseloadRow) -> tuple[str, str]:
    return (row.teacher.last_name.lower(), row.teacher.first_name.lower())


def caseload_rows_filter(
    rows: Iterable[CaseloadRow], *, show: str = "all", need_area: str = "", sort: str = "name"
) -> list[CaseloadRow]:
    """Keep the rows ``show`` and ``need_area`` ask for, in the order ``sort`` names (a key of
    CASELOAD_SORTS; a leading "-" reverses it). Ties go by name. Rows without a value for the
    sort key (no revisit scheduled) come last either way; a teacher never touched counts as
    the longest untouched."""
    kept = [
        r
        for r in rows
        if (show != "overdue" or r.overdue)
        and (show != "no_cycle" or r.no_active_cycle)
        and (show != "off_cadence" or r.off_cadence)
        and (not need_area or (r.cycle is not None and r.cycle.assessment.need_area == need_area))
    ]
    kept.sort(key=_name_key)
    descending, key = sort.startswith("-"), sort.lstrip("-")
    if key == "name":
        return kept[::-1] if descending else kept
    if key == "touch":
        kept.sort(
            key=lambda r: math.inf if r.days_since_touch is None else r.days_since_touch,
            reverse=descending,
        )
        return kept
    if key == "revisit":
        dated = [r for r in kept if r.next_revisit is not None]
        dated.sort(key=lambda r: r.next_revisit.due_on, reverse=descending)
        return dated + [r for r in kept if r.next_revisit is None]
    if key == "state":
        kept.sort(
            key=lambda r: _STATE_RANK.get(r.cycle.state, 3) if r.cycle else 4, reverse=descending
        )
        return kept
    return kept


# --- Time: a coach's recent entries, totals and direct share --------------------------------


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    label: str
    minutes: int
    is_direct: bool


@dataclass(frozen=True)
class CoachTimePeriod:
    since: datetime.date
    until: datetime.date
    entries: list[TimeEntry]
    totals: list[CategoryTotal]

    @property
    def minutes_total(self) -> int:
        return sum(t.minutes for t in self.totals)

    @property
    def minutes_direct(self) -> int:
        return sum(t.minutes for t in self.totals if t.is_direct)

    @property
    def direct_share(self) -> float | None:
        return self.minutes_direct / self.minutes_total if self.minutes_total else None

    @property
    def direct_pct(self) -> int | None:
        share = self.direct_share
        return None if share is None else round(share * 100)


def coach_time_period(
    *, coach: User, days: int = 14, today: datetime.date | None = None
) -> CoachTimePeriod:
    """The coach's own time entries of the last ``days`` days (today included), newest first,
    with minutes per category and the direct share (direct coaching + observation over all)."""
    until = today or timezone.localdate()
    since = until - datetime.timedelta(days=days - 1)
    entries = TimeEntry.objects.filter(coach=coach, entry_date__range=(since, until))
    by_category = dict(
        entries.values("category").annotate(total=Sum("minutes")).values_list("category", "total")
    )
    rows = list(
        entries.select_related("cycle__teacher", "school", "session").order_by("-entry_date", "-id")
    )
    totals = [
        CategoryTotal(c.value, c.label, by_category.get(c.value) or 0, c in DIRECT_CATEGORIES)
        for c in TimeCategory
    ]
    return CoachTimePeriod(since=since, until=until, entries=rows, totals=totals)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryItem:
    when: datetime.datetime
    who: User | None
    action: str  # "Logged", "Corrected", "Deleted"
    changes: list[FieldChange]


_TIME_FIELDS = ("entry_date", "category", "minutes", "cycle", "note")
_TIME_FIELD_LABELS = {
    "entry_date": "Date",
    "category": "Category",
    "minutes": "Minutes",
    "cycle": "Cycle",
    "note": "Note",
}


def time_entry_changes(*, entry: TimeEntry) -> list[HistoryItem]:
    """The entry's change history, newest first: when, who, and each field's old -> new value
    (two queries, whatever the number of corrections)."""
    records = list(
        entry.history.select_related("history_user").order_by("history_date", "history_id")
    )
    cycle_ids = {r.cycle_id for r in records if r.cycle_id}
    cycles = {
        c.id: f"{c.teacher.full_name}, opened {c.opened_on:%d %b %Y}"
        for c in CoachingCycle.objects.filter(id__in=cycle_ids).select_related("teacher")
    }
    labels = dict(TimeCategory.choices)

    def shown(field: str, value) -> str:
        if value in (None, ""):
            return "—"
        if field == "category":
            return labels.get(value, value)
        if field == "cycle":
            return cycles.get(value, f"cycle {value}")
        if field == "entry_date":
            return value.strftime("%a %d %b %Y")
        return str(value)

    items: list[HistoryItem] = []
    previous = None
    for record in records:
        if previous is None:
            changes = [
                FieldChange(_TIME_FIELD_LABELS[f], "—", shown(f, getattr(record, _attname(f))))
                for f in _TIME_FIELDS
            ]
            action = "Logged"
        else:
            delta = record.diff_against(previous, included_fields=_TIME_FIELDS)
            changes = [
                FieldChange(
                    _TIME_FIELD_LABELS[c.field], shown(c.field, c.old), shown(c.field, c.new)
                )
                for c in sorted(delta.changes, key=lambda c: _TIME_FIELDS.index(c.field))
            ]
            action = "Deleted" if record.history_type == "-" else "Corrected"
        items.append(HistoryItem(record.history_date, record.history_user, action, changes))
        previous = record
    return items[::-1]


def _attname(field: str) -> str:
    return "cycle_id" if field == "cycle" else field


# --- Teacher page and time entries: rows for one user ------------------------------------


def teacher_open_problems(*, teacher: Teacher) -> list[PersistentProblem]:
    """The teacher's persistent problems still being worked on, newest first."""
    return list(
        teacher.persistent_problems.filter(resolved_on__isnull=True).order_by("-opened_on", "-id")
    )


def teacher_open_cycle(*, teacher: Teacher) -> CoachingCycle | None:
    """The teacher's cycle under way (at most one), with its assessment and agreed move."""
    return (
        teacher.cycles.filter(state__in=OPEN_STATES)
        .select_related("assessment", "agreed_move__move", "persistent_problem")
        .first()
    )


def time_entry_get_for_user(*, user: User, entry_id: int) -> TimeEntry:
    """One of the user's own time entries, or 404: a coach sees and corrects only their own."""
    return get_object_or_404(
        TimeEntry.objects.select_related("cycle__teacher", "school", "session", "observation"),
        pk=entry_id,
        coach_id=user.pk,
    )
