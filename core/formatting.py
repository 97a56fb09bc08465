"""How figures and dates read on every page: hours, minutes, days and weeks as a person writes
them. One helper each, shared by views, templates (core.templatetags.formatting) and messages."""

import datetime
from decimal import ROUND_HALF_UP, Decimal


def hours(minutes: int | None) -> str:
    """Minutes as hours, to a tenth of an hour: 1620 -> "27 h", 90 -> "1.5 h", 0 -> "0 h";
    a little time that rounds to nothing reads "< 0.1 h" (it is not none)."""
    if minutes is None:
        return "—"
    tenths = (Decimal(minutes) / 6).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if tenths == 0 and minutes > 0:
        return "< 0.1 h"
    whole, tenth = divmod(int(tenths), 10)
    return f"{whole} h" if tenth == 0 else f"{whole}.{tenth} h"


def minutes(count: int) -> str:
    """ "1 minute", "45 minutes"."""
    return f"{count} minute" if count == 1 else f"{count} minutes"


def day_as_written(day: datetime.date) -> str:
    """ "7 Dec 2026" (no leading zero)."""
    return f"{day.day} {day:%b %Y}"


DASH = "\u2013"  # an en dash, as in "7 to 13 Dec" written "7 [dash] 13 Dec"


def week_as_written(first: datetime.date, last: datetime.date) -> str:
    """A run of days as a person writes it, the year once: "30 Nov [dash] 6 Dec 2026",
    "7 [dash] 13 Dec 2026", "29 Dec 2025 [dash] 4 Jan 2026" (DASH, an en dash)."""
    if first.year != last.year:
        return f"{day_as_written(first)} {DASH} {day_as_written(last)}"
    if first.month != last.month:
        return f"{first.day} {first:%b} {DASH} {day_as_written(last)}"
    return f"{first.day} {DASH} {day_as_written(last)}"


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())
