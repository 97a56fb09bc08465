"""The lists behind the dashboard figures: the teachers and cycles a number counts."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from caseload.selectors import CADENCE_DAYS
from coaching.access import LEADER_ROLES, READ, cycles_for, schools_for
from coaching.models import OPEN_STATES, CoachingCycle, CycleState, Outcome, Revisit, RevisitStatus
from coaching.selectors.school_dates import school_today
from dashboards.selectors.filters import DashboardFilters
from dashboards.selectors.school import (
    _cadence_since,
    _touch_dates,
    _touched_within,
    coach_q,
    need_q,
)
from teachers.models import CaseloadAssignment, Membership, Role
from teachers.school_days import school_days_for

# --- Dashboards: the lists behind the figures ----------------------------------------------------

DASHBOARD_LISTS = {
    "caseload": "Teachers on the caseload",
    "off_cadence": "Teachers not seen in the 4 school weeks up to the period's end",
    "open_cycles": "Open cycles (planned, active or debriefed)",
    "active_cycles": "Active cycles",
    "closed": "Cycles closed in the period",
    "mastered": "Cycles closed as mastered in the period",
    "overdue_revisits": "Overdue revisits",
}


@dataclass(frozen=True)
class DashboardRow:
    """One row behind a dashboard figure: process fields only (names, states, dates, need area,
    outcome). ``may_read`` says whether the user may open the cycle's content (a principal: only
    a cycle the teacher shared)."""

    teacher_id: int
    teacher: str
    coach_id: int
    coach: str
    cycle_id: int | None = None
    state: str = ""
    outcome: str = ""
    need_area: str = ""
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    revisit_due_on: datetime.date | None = None
    school_days_overdue: int | None = None
    revisit_off_rule_reason: str = ""
    last_touch: datetime.date | None = None
    may_read: bool = False


def dashboard_list(
    *,
    user: User,
    school_id: int,
    figure: str,
    filters: DashboardFilters,
    today: datetime.date | None = None,
) -> list[DashboardRow]:
    """The rows behind one figure (a key of DASHBOARD_LISTS) at one school the user leads,
    narrowed by the same filters as the figure (``filters.coach_id`` for one coach's figure),
    by teacher name. Raises Http404 for a school outside the user's scope or an unknown figure.
    Cadence and overdue revisits follow the school's calendar, as on the dashboard. At most six
    queries, whatever the number of rows."""
    if figure not in DASHBOARD_LISTS:
        raise Http404("No such list.")
    school = get_object_or_404(schools_for(user, LEADER_ROLES), pk=school_id)
    today = today or school_today(school)
    uses_calendar = figure in ("off_cadence", "overdue_revisits")
    calendar = school_days_for(school=school) if uses_calendar else None
    coaches = Membership.objects.filter(school=school, role=Role.COACH, is_active=True).values(
        "user_id"
    )
    readable = Exists(cycles_for(user, READ).filter(pk=OuterRef("pk")))
    coach_id, need_area = filters.coach_id, filters.need_area

    if figure in ("caseload", "off_cadence"):
        # The caseload now; for cadence, the caseload on the period's last day (as the figure).
        current = (
            Q(ended_on__isnull=True)
            if figure == "caseload"
            else Q(started_on__lte=filters.period_end)
            & (Q(ended_on__isnull=True) | Q(ended_on__gte=filters.period_end))
        )
        assignments = list(
            CaseloadAssignment.objects.filter(current, teacher__school=school, coach_id__in=coaches)
            .filter(coach_q("coach_id", coach_id))
            .select_related("teacher", "coach")
        )
        since = (
            _cadence_since(calendar, filters.period_end)
            if calendar
            else filters.period_end - datetime.timedelta(days=CADENCE_DAYS)
        )
        touches = _touch_dates(
            school_ids=[school.id],
            zones={school.id: zoneinfo.ZoneInfo(school.time_zone)},
            start=since,
            end=filters.period_end,
        )
        open_cycles = {
            c.teacher_id: c
            for c in CoachingCycle.objects.filter(teacher__school=school, state__in=OPEN_STATES)
            .select_related("assessment")
            .annotate(may_read=readable)
        }
        rows = []
        for a in assignments:
            days = touches.get(a.teacher_id, [])
            if figure == "off_cadence" and _touched_within(days, since, filters.period_end):
                continue
            cycle = open_cycles.get(a.teacher_id)
            rows.append(
                DashboardRow(
                    teacher_id=a.teacher_id,
                    teacher=a.teacher.full_name,
                    coach_id=a.coach_id,
                    coach=a.coach.display_name,
                    cycle_id=cycle.id if cycle else None,
                    state=cycle.state if cycle else "",
                    need_area=cycle.assessment.need_area if cycle else "",
                    opened_on=cycle.opened_on if cycle else None,
                    last_touch=days[-1] if days else None,
                    may_read=bool(cycle and cycle.may_read),
                )
            )
        return sorted(rows, key=lambda r: (r.teacher.lower(), r.teacher_id))

    base = CoachingCycle.objects.filter(teacher__school=school, coach_id__in=coaches).filter(
        coach_q("coach_id", coach_id), need_q("assessment__need_area", need_area)
    )
    cycles = base.select_related("teacher", "coach", "assessment").annotate(may_read=readable)
    due: dict[int, tuple[datetime.date, str]] = {}
    if figure == "open_cycles":
        cycles = cycles.filter(state__in=OPEN_STATES)
    elif figure == "active_cycles":
        cycles = cycles.filter(state=CycleState.ACTIVE)
    elif figure in ("closed", "mastered"):
        cycles = cycles.filter(
            state=CycleState.CLOSED,
            closed_on__range=(filters.period_start, filters.period_end),
        )
        if figure == "mastered":
            cycles = cycles.filter(outcome=Outcome.MASTERED)
    else:  # overdue_revisits: due before the last school day up to today, as on the dashboard
        overdue = Revisit.objects.filter(
            cycle__in=base, status=RevisitStatus.SCHEDULED, due_on__lt=calendar.on_or_before(today)
        )
        # With the coach's reason when they set a date outside the revisit window.
        due = {
            cycle_id: (due_on, reason)
            for cycle_id, due_on, reason in overdue.values_list(
                "cycle_id", "due_on", "off_rule_reason"
            )
        }
        cycles = cycles.filter(id__in=overdue.values("cycle_id"))
    rows = [
        DashboardRow(
            teacher_id=c.teacher_id,
            teacher=c.teacher.full_name,
            coach_id=c.coach_id,
            coach=c.coach.display_name,
            cycle_id=c.id,
            state=c.state,
            outcome=c.outcome,
            need_area=c.assessment.need_area,
            opened_on=c.opened_on,
            closed_on=c.closed_on,
            revisit_due_on=due[c.id][0] if c.id in due else None,
            school_days_overdue=calendar.count(due[c.id][0], today) if c.id in due else None,
            revisit_off_rule_reason=due[c.id][1] if c.id in due else "",
            may_read=c.may_read,
        )
        for c in cycles
    ]

    return sorted(rows, key=lambda r: (r.teacher.lower(), r.teacher_id, r.cycle_id or 0))
