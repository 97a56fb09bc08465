"""The district view: every school's figures, the summary above them and the plots' data."""

import datetime
import math
from dataclasses import dataclass

from accounts.models import User
from coaching.models import DIRECT_CATEGORIES, NeedArea, TimeCategory
from coaching.selectors.percentages import pct
from dashboards.selectors.filters import DIRECT_TARGET_PCT, DashboardFilters
from dashboards.selectors.school import CoachFigures, SchoolFigures, school_dashboard


@dataclass(frozen=True)
class CaseloadPoint:
    """One coach on the "caseload size against outcomes" plot: ``caseload`` now, the cycles
    closed in the period (``closed``), the share of them mastered or progressing, and the
    cadence kept (shares 0 to 1, None without closed cycles or caseload)."""

    school_id: int
    school: str
    coach_id: int
    coach: str
    caseload: int
    closed: int
    progressed_share: float | None
    cadence_kept: float | None


def _pearson(pairs: list[tuple[float, float]]) -> float | None:
    if len(pairs) < 3:
        return None
    n = len(pairs)
    mx = sum(x for x, _ in pairs) / n
    my = sum(y for _, y in pairs) / n
    sxy = sum((x - mx) * (y - my) for x, y in pairs)
    sxx = sum((x - mx) ** 2 for x, _ in pairs)
    syy = sum((y - my) ** 2 for _, y in pairs)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else None


@dataclass
class DistrictFigures:
    """Schools side by side (each with its ``totals`` and coaches) and one CaseloadPoint per
    coach."""

    schools: list[SchoolFigures]
    points: list[CaseloadPoint]

    @property
    def caseload_outcome_correlation(self) -> float | None:
        """Pearson's r between caseload size and the share of closed cycles mastered or
        progressing, over the coaches with closed cycles in the period; None under three."""
        return _pearson(
            [
                (p.caseload, p.progressed_share)
                for p in self.points
                if p.progressed_share is not None
            ]
        )


def district_dashboard(
    *,
    user: User,
    filters: DashboardFilters | None = None,
    today: datetime.date | None = None,
) -> DistrictFigures:
    """The schools the user leads side by side (a district leader or administrator: the
    district's schools; a principal: their own school(s) only), and caseload size against
    outcomes per coach. The queries of school_dashboard(), no more."""
    schools = school_dashboard(user=user, filters=filters, today=today)
    points = [
        CaseloadPoint(
            school_id=sf.school.id,
            school=sf.school.name,
            coach_id=c.coach.pk,
            coach=c.coach.display_name,
            caseload=c.caseload,
            closed=c.closed_total,
            progressed_share=c.progressed_share,
            cadence_kept=c.cadence_kept,
        )
        for sf in schools
        for c in sf.coaches
    ]
    return DistrictFigures(schools=schools, points=points)


@dataclass(frozen=True)
class OverloadedCoach:
    """A coach whose caseload needs more hours a month than they have, and what would make it
    fit (each alone): ``teachers_fewer`` teachers fewer, ``more_minutes`` more a month, or
    cycles of ``cycle_minutes_to_fit`` instead of ``cycle_minutes``. Times in minutes, for the
    one hours formatter."""

    coach: str
    school: str
    needed_minutes: int
    available_minutes: int
    over_minutes: int
    teachers: int
    teachers_fewer: int | None
    more_minutes: int
    cycle_minutes: int
    cycle_minutes_to_fit: int | None


@dataclass(frozen=True)
class CoachCount:
    """A coach and a count of theirs (overdue revisits) or a share (direct time, percent)."""

    coach: str
    school: str
    n: int


@dataclass(frozen=True)
class DashboardSummary:
    """What needs a leader's attention across the schools shown, as data the page words in
    sentences: overloaded coaches (most hours over first), overdue revisits (how many, the
    oldest in school days, per coach), cadence kept (teachers seen in the last
    CADENCE_SCHOOL_DAYS school days of all on the caseloads, ``cadence_since`` the first day
    counted at a school when only one is shown) and coaches whose direct time is below
    DIRECT_TARGET_PCT (lowest first). ``several_schools``: name the school next to a coach."""

    several_schools: bool
    overloaded: list[OverloadedCoach]
    overdue_revisits: int
    overdue_oldest_school_days: int | None
    overdue_by_coach: list[CoachCount]
    cadence_touched: int
    cadence_caseload: int
    cadence_since: datetime.date | None
    below_direct: list[CoachCount]

    @property
    def all_clear(self) -> bool:
        return not (self.overloaded or self.overdue_revisits or self.below_direct)


def dashboard_summary(*, schools: list[SchoolFigures]) -> DashboardSummary:
    """The summary on top of the dashboard, from the figures already read. No query."""
    rows = [(sf, c) for sf in schools for c in sf.coaches]
    overloaded = []
    for sf, c in rows:
        cap = c.capacity
        if not (cap and cap.overloaded):
            continue
        overloaded.append(
            OverloadedCoach(
                coach=c.coach.display_name,
                school=sf.school.name,
                needed_minutes=cap.minutes_needed,
                available_minutes=cap.minutes_available,
                over_minutes=cap.minutes_over,
                teachers=cap.teachers,
                teachers_fewer=cap.teachers_fewer_to_fit,
                more_minutes=cap.minutes_more_to_fit,
                cycle_minutes=cap.minutes_per_cycle,
                cycle_minutes_to_fit=cap.minutes_per_cycle_to_fit,
            )
        )
    overloaded.sort(key=lambda o: (-o.over_minutes, o.coach))
    oldest = [c.overdue_oldest_school_days for _, c in rows if c.overdue_revisits]
    below = [
        CoachCount(coach=c.coach.display_name, school=sf.school.name, n=c.direct_pct)
        for sf, c in rows
        if c.direct_status == "below"
    ]
    return DashboardSummary(
        several_schools=len(schools) > 1,
        overloaded=overloaded,
        overdue_revisits=sum(c.overdue_revisits for _, c in rows),
        overdue_oldest_school_days=max((d for d in oldest if d is not None), default=None),
        overdue_by_coach=sorted(
            (
                CoachCount(coach=c.coach.display_name, school=sf.school.name, n=c.overdue_revisits)
                for sf, c in rows
                if c.overdue_revisits
            ),
            key=lambda o: (-o.n, o.coach),
        ),
        cadence_touched=sum(c.cadence_touched for _, c in rows),
        cadence_caseload=sum(c.cadence_caseload for _, c in rows),
        cadence_since=schools[0].cadence_since if len(schools) == 1 else None,
        below_direct=sorted(below, key=lambda o: (o.n, o.coach)),
    )


def _day_label(day: datetime.date, *, with_year: bool) -> str:
    """A chart's date as a person writes it: "7 Dec", or "7 Dec 2026" when the series spans
    more than one year."""
    return f"{day.day} {day:%b %Y}" if with_year else f"{day.day} {day:%b}"


def dashboard_plot_data(*, schools: list[SchoolFigures]) -> dict:
    """The plots' data, plain lists and numbers for ``json_script``: cadence kept per week
    (percent), time by category (minutes), open cycles by need area and engagement change
    (percentage points), one row per coach (``coach_id`` None for a school's totals). No
    query."""
    weeks = schools[0].weeks if schools else []

    def rows(sf: SchoolFigures) -> list[tuple[int | None, str, CoachFigures]]:
        return [(c.coach.pk, c.coach.display_name, c) for c in sf.coaches] + [
            (None, "All coaches", sf.totals)
        ]

    def head(sf: SchoolFigures, coach_id: int | None, name: str) -> dict:
        return {
            "school_id": sf.school.id,
            "school": sf.school.name,
            "coach_id": coach_id,
            "coach": name,
        }

    cadence, time, need, engagement = [], [], [], []
    for sf in schools:
        for coach_id, name, c in rows(sf):
            h = head(sf, coach_id, name)
            cadence.append(h | {"pct": [pct(s) for s in c.cadence_weekly]})
            time.append(
                h | {"minutes": [c.minutes_by_category.get(t.value, 0) for t in TimeCategory]}
            )
            need.append(h | {"open_cycles": [n for _, _, n in c.need_area_mix]})
            change = c.engagement_change
            engagement.append(
                h
                | {
                    "change_points": None if change is None else round(change, 1),
                    "observations": c.engagement_observations,
                }
            )
    several_years = len({w.year for w in weeks}) > 1
    return {
        "weeks": [w.isoformat() for w in weeks],
        "week_labels": [_day_label(w, with_year=several_years) for w in weeks],
        "direct_target_pct": list(DIRECT_TARGET_PCT),
        "categories": [
            {"value": t.value, "label": t.label, "direct": t in DIRECT_CATEGORIES}
            for t in TimeCategory
        ],
        "need_areas": [{"value": a.value, "label": a.label} for a in NeedArea],
        "cadence": cadence,
        "time": time,
        "need_area_mix": need,
        "engagement": engagement,
    }
