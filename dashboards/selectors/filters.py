"""The dashboards' filters: period, school, coach and need area, checked as a form checks them."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from coaching.access import LEADER_ROLES, schools_for
from coaching.models import NeedArea, Outcome
from coaching.selectors.school_dates import school_today
from teachers.models import Role

# --- Dashboards ----------------------------------------------------------------------------------
#
# Process figures for principals and district leaders, per coach and per school, over a period:
# never the content of coaching. school_dashboard() runs SCHOOL_DASHBOARD_QUERIES queries
# whatever the number of schools, coaches, teachers, cycles or weeks: each figure is grouped in
# the database by (school, coach, ...), and no query returns a row per visit, session, revisit or
# sweep. Times become dates in each school's own time zone in the database too (TruncDate per
# zone, or the instants at which a school's dates start). Cadence comes back as one row per
# teacher (a bitmask of the days touched), the caseload as one row per assignment.

DASHBOARD_DAYS = 90  # the default period: the last 90 days, today included
DASHBOARD_MAX_WEEKS = 105  # the cadence series keeps at most the last two years of weeks
DIRECT_TARGET_PCT = (60, 80)  # Deussen et al. (2007): 60-80% expected (Reading First saw 28%)
PROGRESS_OUTCOMES = (Outcome.MASTERED, Outcome.PROGRESSING)
# Capacity: hours a caseload needs a month = teachers x hours per cycle x cycles per month.
CAPACITY_CYCLES_PER_MONTH = 1.0  # monthly: the slow end of the 2-to-4-week cadence
CAPACITY_OWN_MIN_CYCLES = 3  # completed cycles with logged time before a coach's own average counts
CAPACITY_LOOKBACK_DAYS = 180
SCHOOL_DASHBOARD_QUERIES = 10
# Cadence kept: a touch in the last CADENCE_SCHOOL_DAYS school days (four school weeks, the far
# end of the revisit window), counted on the school's calendar so a break is not neglect.
CADENCE_SCHOOL_DAYS = 20


@dataclass(frozen=True)
class DashboardFilters:
    """What a dashboard counts: a period (``period_start`` to ``period_end``, both included),
    optionally one coach (a user id) and one need area.

    The need area narrows every figure that counts cycles (open, active, closed and their
    outcomes, moves mastered, need-area mix, overdue revisits, engagement change, minutes per
    completed cycle, the school's cycle states). Caseload, cadence, logged time and capacity are
    about teachers and coaches, not cycles: the need area leaves them alone."""

    period_start: datetime.date
    period_end: datetime.date
    coach_id: int | None = None
    need_area: str | None = None

    def __post_init__(self) -> None:
        if self.period_start > self.period_end:
            raise ValueError("The period must start on or before its end.")
        if self.need_area is not None and self.need_area not in NeedArea.values:
            raise ValueError(f"Unknown need area: {self.need_area!r}.")

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1

    @classmethod
    def default(
        cls,
        *,
        today: datetime.date,
        days: int = DASHBOARD_DAYS,
        coach_id: int | None = None,
        need_area: str | None = None,
    ) -> "DashboardFilters":
        """The last ``days`` days up to ``today`` (included)."""
        start = today - datetime.timedelta(days=days - 1)
        return cls(period_start=start, period_end=today, coach_id=coach_id, need_area=need_area)

    def week_ends(self) -> list[datetime.date]:
        """The ends of the weeks of the cadence series, oldest first: the period's last day and
        every seventh day before it that is still inside the period (at most
        DASHBOARD_MAX_WEEKS)."""
        ends = []
        day = self.period_end
        while day >= self.period_start and len(ends) < DASHBOARD_MAX_WEEKS:
            ends.append(day)
            day -= datetime.timedelta(days=7)
        return ends[::-1]


# The dashboards' filter dates: outside these years a date is a typing mistake (the filter form
# says so next to the field), and the figures' windows around it (a day either side, the cadence
# weeks before the period) must stay valid dates.
FILTER_EARLIEST = datetime.date(2000, 1, 1)
FILTER_LATEST = datetime.date(2099, 12, 31)


def _parse_date(value: str | None) -> datetime.date | None:
    """An ISO date of the dashboards' range; None for anything else (the default then)."""
    try:
        day = datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is not None and FILTER_EARLIEST <= day <= FILTER_LATEST else None


def dashboard_coaches(*, user: User) -> QuerySet[User]:
    """The coaches (active coach memberships) at the schools the user leads, by name: the
    choices of the dashboards' coach filter."""
    return (
        User.objects.filter(
            memberships__school__in=schools_for(user, LEADER_ROLES),
            memberships__role=Role.COACH,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


def dashboard_filters(
    *,
    user: User,
    params: Mapping[str, str] | None = None,
    today: datetime.date | None = None,
) -> DashboardFilters:
    """Filters from a page's query string: ``start`` and ``end`` (ISO dates), ``coach`` (a user
    id) and ``need_area``. Missing or invalid values fall back to the defaults: the last
    DASHBOARD_DAYS days up to today at the user's first school (by name). One query, none when
    ``today`` is given."""
    params = params or {}
    if today is None:
        first = schools_for(user, LEADER_ROLES).order_by("name").first()
        today = school_today(first) if first else timezone.localdate()
    end = _parse_date(params.get("end")) or today
    start = _parse_date(params.get("start")) or end - datetime.timedelta(days=DASHBOARD_DAYS - 1)
    if start > end:
        start = end - datetime.timedelta(days=DASHBOARD_DAYS - 1)
    coach = params.get("coach") or ""
    need_area = params.get("need_area") or None
    return DashboardFilters(
        period_start=start,
        period_end=end,
        coach_id=int(coach) if coach.isdigit() else None,
        need_area=need_area if need_area in NeedArea.values else None,
    )
