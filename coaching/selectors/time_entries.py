"""A coach's time: recent entries, totals per category and the direct share."""

import datetime
import uuid
from collections import Counter
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from coaching.models import DIRECT_CATEGORIES, TimeCategory, TimeEntry
from coaching.selectors.percentages import percent
from core.formatting import week_as_written, week_start

# --- Time: a coach's recent entries, totals and direct share -------------------------------------


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
        return percent(self.direct_share)


def coach_time_period(
    *, coach: User, days: int = 14, today: datetime.date | None = None
) -> CoachTimePeriod:
    """The coach's minutes per category over the last ``days`` days (today included) and the
    direct share (direct coaching + observation over all). One query."""
    until = today or timezone.localdate()
    since = until - datetime.timedelta(days=days - 1)
    entries = TimeEntry.objects.filter(
        coach=coach, entry_date__range=(since, until), archived_at__isnull=True
    )
    by_category = dict(
        entries.values("category").annotate(total=Sum("minutes")).values_list("category", "total")
    )
    totals = [
        CategoryTotal(c.value, c.label, by_category.get(c.value) or 0, c in DIRECT_CATEGORIES)
        for c in TimeCategory
    ]
    return CoachTimePeriod(since=since, until=until, totals=totals)


@dataclass(frozen=True)
class TimeWeek:
    """One week (Monday to Sunday) of a coach's entries on one page of the time page:
    ``minutes_total`` is the whole week's, also when the week runs over two pages
    (``continued``: it began on the page before)."""

    start: datetime.date
    minutes_total: int
    entries: list[TimeEntry]
    continued: bool = False

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=6)

    @property
    def label(self) -> str:
        return week_as_written(self.start, self.end)


@dataclass(frozen=True)
class CoachTimeWeeks:
    page: Page  # of the coach's entries, newest first
    weeks: list[TimeWeek]

    @property
    def page_links(self) -> list[int | None]:
        """The page numbers to link, None where some are left out: [1, 2, 3, None, 9]."""
        paginator = self.page.paginator
        return [
            n if isinstance(n, int) else None
            for n in paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        ]


TIME_ENTRIES_PER_PAGE = 25


def coach_time_weeks(
    *, coach: User, page: int | str | None = 1, per_page: int = TIME_ENTRIES_PER_PAGE
) -> CoachTimeWeeks:
    """The coach's own time entries (not archived), newest first, ``per_page`` a page and the
    page's entries grouped by week (Monday first) with each week's total. A page number that
    is not a page gives the nearest page. Three queries (count, the page, the weeks' totals),
    four after the first page (whether its first week began on the page before)."""
    entries = TimeEntry.objects.filter(coach=coach, archived_at__isnull=True)
    newest_first = entries.order_by("-entry_date", "-id")
    paginator = Paginator(newest_first.select_related("cycle__teacher", "school"), per_page)
    shown = paginator.get_page(page)
    rows = list(shown.object_list)
    if not rows:
        return CoachTimeWeeks(page=shown, weeks=[])
    first_week = week_start(rows[-1].entry_date)
    last_day = week_start(rows[0].entry_date) + datetime.timedelta(days=6)
    per_day = (
        entries.filter(entry_date__range=(first_week, last_day))
        .values("entry_date")
        .annotate(total=Sum("minutes"))
        .order_by()
        .values_list("entry_date", "total")
    )
    totals: Counter[datetime.date] = Counter()
    for day, total in per_day:
        totals[week_start(day)] += total
    grouped: dict[datetime.date, list[TimeEntry]] = {}
    for entry in rows:
        grouped.setdefault(week_start(entry.entry_date), []).append(entry)
    # The page's first week began on the page before when that page ended in the same week.
    continued = shown.has_previous() and week_start(
        newest_first.values_list("entry_date", flat=True)[shown.start_index() - 2]
    ) == week_start(rows[0].entry_date)
    weeks = [
        TimeWeek(start, totals[start], week, continued=index == 0 and continued)
        for index, (start, week) in enumerate(grouped.items())
    ]
    return CoachTimeWeeks(page=shown, weeks=weeks)


def time_entry_by_client_id(*, client_id: uuid.UUID) -> TimeEntry | None:
    """The entry logged with the time page form's key (see services.time_entry_log)."""
    return TimeEntry.objects.filter(client_id=client_id).first()
