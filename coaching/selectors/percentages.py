"""Shares and whole percentages as the pages show them (never from a zero whole)."""

from fractions import Fraction

from django.db.models import IntegerField, Sum, Value
from django.db.models.functions import Cast, Mod, NullIf, Sign


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percent(share: float | None) -> int | None:
    """The app's one rule for a share shown as a percentage: the nearest whole percent, an
    exact half to the even one (Python's round). From counts, use percent_of (exact)."""
    return None if share is None else round(share * 100)


def percent_of(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` as a whole percent by the same rule, computed exactly from the
    counts (no floating point), so percentOf() in static/js/live_observation.js and the
    dashboard's SQL (percent_of_sql) give the same figure: 197 of 500 -> 39."""
    return round(Fraction(100 * part, whole)) if whole else None


def percent_points(before: int | None, after: int | None) -> int | None:
    """The change between two shown percentages in percentage points: their difference, so
    39.4% -> 78.6% reads 39% -> 79%, +40 points (not the +39 of the unrounded shares).
    pointsBetween() in live_observation.js is the same."""
    if before is None or after is None:
        return None
    return after - before


def percent_of_sql(engaged: Sum, present: Sum):
    """percent_of in SQL (SQLite and PostgreSQL), on integers only: floor((200 e + p) / 2p) is
    the nearest whole percent with an exact half rounded up; an exact half (the division has
    no remainder) that came out odd goes down to the even one. NULL when ``present`` is 0."""
    present = NullIf(present, Value(0))
    twice, double = engaged * 200 + present, present * 2
    up = twice / double  # integer division
    exact_half = 1 - Sign(Mod(twice, double))  # 1 when the remainder is 0
    return Cast(up - exact_half * Mod(up, 2), IntegerField())


def pct(share: float | None) -> int | None:
    return percent(share)
