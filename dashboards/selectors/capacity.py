"""Capacity: the hours a caseload needs a month against the hours a coach has."""

import math
from dataclasses import dataclass
from decimal import Decimal

from dashboards.selectors.filters import CAPACITY_CYCLES_PER_MONTH, CAPACITY_OWN_MIN_CYCLES
from teachers.models import COACH_HOURS_PER_MONTH_DEFAULT


@dataclass(frozen=True)
class Capacity:
    """The hours a coach's caseload needs a month at its cadence against the hours the coach
    has: ``hours_needed = teachers x hours_per_cycle x cycles_per_month``. The inputs are kept
    so a page can show the arithmetic.

    ``hours_per_cycle_source``: "own" (the coach's logged minutes over their own completed
    cycles, ``own_cycles`` of them in the last CAPACITY_LOOKBACK_DAYS days) or "school" (the
    school's default hours per cycle, when the coach has fewer than CAPACITY_OWN_MIN_CYCLES).
    ``hours_available_source``: "coach" (the coach membership's hours per month) or "default"
    (COACH_HOURS_PER_MONTH_DEFAULT)."""

    teachers: int
    hours_per_cycle: float
    cycles_per_month: float
    hours_available: float
    hours_per_cycle_source: str = "school"
    own_cycles: int = 0
    hours_available_source: str = "default"

    @property
    def hours_needed(self) -> float:
        return round(self.teachers * self.hours_per_cycle * self.cycles_per_month, 2)

    @property
    def overloaded(self) -> bool:
        return self.hours_needed > self.hours_available

    @property
    def load(self) -> float | None:
        """Hours needed over hours available (above 1: overloaded)."""
        return self.hours_needed / self.hours_available if self.hours_available else None

    @property
    def hours_over(self) -> float:
        """Hours a month the caseload needs beyond those available (0 when it fits)."""
        return max(round(self.hours_needed - self.hours_available, 2), 0.0)

    @property
    def minutes_needed(self) -> int:
        """``hours_needed`` in minutes, for the one hours formatter (core.formatting.hours)."""
        return round(self.hours_needed * 60)

    @property
    def minutes_available(self) -> int:
        return round(self.hours_available * 60)

    @property
    def minutes_over(self) -> int:
        return round(self.hours_over * 60)

    @property
    def minutes_per_cycle(self) -> int:
        return round(self.hours_per_cycle * 60)

    @property
    def teachers_fewer_to_fit(self) -> int | None:
        """The fewest teachers to take off the caseload so it fits the hours available (0 when
        it fits; None when a teacher costs no hours)."""
        per_teacher = self.hours_per_cycle * self.cycles_per_month
        if not self.overloaded:
            return 0
        if per_teacher <= 0:
            return None
        return min(math.ceil(round(self.hours_over / per_teacher, 6)), self.teachers)

    @property
    def hours_more_to_fit(self) -> int:
        """Whole hours a month to add to the coach's so the caseload fits (0 when it fits)."""
        return math.ceil(round(self.hours_over, 6))

    @property
    def hours_per_cycle_to_fit(self) -> float | None:
        """The longest cycle (hours, down to a tenth) with which the caseload fits the hours
        available; None without teachers or cycles."""
        cycles = self.teachers * self.cycles_per_month
        if cycles <= 0:
            return None
        return math.floor(round(self.hours_available / cycles * 10, 6)) / 10

    @property
    def minutes_more_to_fit(self) -> int:
        return self.hours_more_to_fit * 60

    @property
    def minutes_per_cycle_to_fit(self) -> int | None:
        """``hours_per_cycle_to_fit`` in minutes; None when no cycle length would fit."""
        to_fit = self.hours_per_cycle_to_fit
        return round(to_fit * 60) if to_fit else None


def capacity_for(
    *,
    teachers: int,
    school_cycle_hours: float | Decimal,
    own_minutes: int = 0,
    own_cycles: int = 0,
    hours_per_month: float | Decimal | None = None,
    cycles_per_month: float = CAPACITY_CYCLES_PER_MONTH,
) -> Capacity:
    """A coach's capacity: hours per cycle are the coach's own (``own_minutes`` logged on
    ``own_cycles`` completed cycles, over 60) once they have CAPACITY_OWN_MIN_CYCLES such
    cycles, else the school's default; hours available are the membership's hours per month, or
    COACH_HOURS_PER_MONTH_DEFAULT. No query."""
    own = own_cycles >= CAPACITY_OWN_MIN_CYCLES
    return Capacity(
        teachers=teachers,
        hours_per_cycle=round(own_minutes / own_cycles / 60, 2)
        if own
        else float(school_cycle_hours),
        cycles_per_month=cycles_per_month,
        hours_available=float(
            COACH_HOURS_PER_MONTH_DEFAULT if hours_per_month is None else hours_per_month
        ),
        hours_per_cycle_source="own" if own else "school",
        own_cycles=own_cycles,
        hours_available_source="default" if hours_per_month is None else "coach",
    )
