"""Reads for the coaching pages. Each selector runs a fixed number of queries, whatever the
number of teachers, cycles or coaches (prefetching and grouped aggregates, no query per row)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone

from accounts.models import User
from coaching.access import LEADER_ROLES, READ, cycles_for, schools_for, teachers_for
from coaching.models import (
    DIRECT_CATEGORIES,
    OPEN_STATES,
    CoachingCycle,
    CoachingSession,
    CycleState,
    Outcome,
    Revisit,
    RevisitStatus,
    TimeEntry,
)
from observations.models import Observation
from teachers.models import CaseloadAssignment, Membership, Role, School, Teacher

CADENCE_DAYS = 28  # a teacher untouched for longer has fallen off the 2-to-4-week cadence


@dataclass(frozen=True)
class CaseloadRow:
    teacher: Teacher
    cycle: CoachingCycle | None
    next_revisit: Revisit | None
    last_touch: datetime.date | None
    today: datetime.date

    @property
    def days_since_touch(self) -> int | None:
        return (self.today - self.last_touch).days if self.last_touch else None

    @property
    def overdue(self) -> bool:
        return self.next_revisit is not None and self.next_revisit.due_on < self.today

    @property
    def no_active_cycle(self) -> bool:
        return self.cycle is None

    @property
    def off_cadence(self) -> bool:
        return self.days_since_touch is None or self.days_since_touch > CADENCE_DAYS


def _open_cycles_prefetch() -> Prefetch:
    scheduled = Revisit.objects.filter(status=RevisitStatus.SCHEDULED).order_by("due_on")
    return Prefetch(
        "cycles",
        queryset=CoachingCycle.objects.filter(state__in=OPEN_STATES)
        .select_related("assessment", "agreed_move__move", "persistent_problem")
        .prefetch_related(Prefetch("revisits", queryset=scheduled, to_attr="scheduled_revisits")),
        to_attr="open_cycles",
    )


def _latest(qs, field_name: str) -> Subquery:
    return Subquery(qs.order_by(f"-{field_name}").values(field_name)[:1])


def caseload_rows(*, coach: User, today: datetime.date | None = None) -> list[CaseloadRow]:
    """The coach's caseload with each teacher's open cycle, next revisit and last touch."""
    today = today or timezone.localdate()
    observed = Observation.objects.filter(teacher=OuterRef("pk"), started_at__isnull=False)
    met = CoachingSession.objects.filter(cycle__teacher=OuterRef("pk"), held_at__isnull=False)
    caseload = CaseloadAssignment.objects.filter(coach=coach, ended_on__isnull=True)
    teachers = (
        teachers_for(coach, READ)
        .filter(id__in=caseload.values("teacher_id"))
        .annotate(last_observed=_latest(observed, "started_at"), last_met=_latest(met, "held_at"))
        .prefetch_related(_open_cycles_prefetch())
        .order_by("last_name", "first_name")
    )
    rows = []
    for teacher in teachers:
        cycle = teacher.open_cycles[0] if teacher.open_cycles else None
        touches = [t for t in (teacher.last_observed, teacher.last_met) if t is not None]
        last_touch = timezone.localtime(max(touches)).date() if touches else None
        revisit = cycle.scheduled_revisits[0] if cycle and cycle.scheduled_revisits else None
        rows.append(CaseloadRow(teacher, cycle, revisit, last_touch, today))
    return rows


@dataclass
class CoachFigures:
    coach: User
    caseload: int = 0
    open_cycles: int = 0
    overdue_revisits: int = 0
    closed: dict[str, int] = field(default_factory=dict)
    minutes_total: int = 0
    minutes_direct: int = 0

    @property
    def closed_total(self) -> int:
        return sum(self.closed.values())

    @property
    def closed_by_outcome(self) -> list[tuple[str, int]]:
        """(label, count) in the outcomes' own order, e.g. [("Mastered", 2), ("Not yet", 1)]."""
        return [(o.label, self.closed[o.value]) for o in Outcome if self.closed.get(o.value)]

    @property
    def direct_share(self) -> float | None:
        return self.minutes_direct / self.minutes_total if self.minutes_total else None


@dataclass
class SchoolFigures:
    school: School
    coaches: list[CoachFigures]
    states: dict[str, int]

    @property
    def overdue_revisits(self) -> int:
        return sum(c.overdue_revisits for c in self.coaches)


def school_dashboard(
    *, user: User, period_days: int = 90, today: datetime.date | None = None
) -> list[SchoolFigures]:
    """Process figures per school and coach for a principal or district leader. Aggregates
    only: no coaching notes or evidence."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=period_days)
    schools = list(schools_for(user, LEADER_ROLES).order_by("name"))
    school_ids = [s.id for s in schools]
    memberships = (
        Membership.objects.filter(school_id__in=school_ids, role=Role.COACH, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    figures: dict[tuple[int, int], CoachFigures] = {
        (m.school_id, m.user_id): CoachFigures(coach=m.user) for m in memberships
    }

    def bucket(school_id: int, coach_id: int) -> CoachFigures | None:
        return figures.get((school_id, coach_id))

    for row in (
        CaseloadAssignment.objects.filter(teacher__school_id__in=school_ids, ended_on__isnull=True)
        .values("teacher__school_id", "coach_id")
        .annotate(n=Count("id"))
    ):
        if b := bucket(row["teacher__school_id"], row["coach_id"]):
            b.caseload = row["n"]

    cycles = CoachingCycle.objects.filter(teacher__school_id__in=school_ids)
    states: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CycleState.values, 0))
    for row in cycles.values("teacher__school_id", "coach_id", "state", "outcome").annotate(
        n=Count("id"), recent=Count("id", filter=Q(closed_on__gte=since))
    ):
        school_id, state = row["teacher__school_id"], row["state"]
        states[school_id][state] += row["n"]
        b = bucket(school_id, row["coach_id"])
        if b is None:
            continue
        if state in OPEN_STATES:
            b.open_cycles += row["n"]
        elif row["recent"]:
            b.closed[row["outcome"]] = b.closed.get(row["outcome"], 0) + row["recent"]

    for row in (
        Revisit.objects.filter(
            cycle__teacher__school_id__in=school_ids,
            status=RevisitStatus.SCHEDULED,
            due_on__lt=today,
        )
        .values("cycle__teacher__school_id", "cycle__coach_id")
        .annotate(n=Count("id"))
    ):
        if b := bucket(row["cycle__teacher__school_id"], row["cycle__coach_id"]):
            b.overdue_revisits = row["n"]

    for row in (
        TimeEntry.objects.filter(school_id__in=school_ids, entry_date__gte=since)
        .values("school_id", "coach_id")
        .annotate(
            total=Sum("minutes"), direct=Sum("minutes", filter=Q(category__in=DIRECT_CATEGORIES))
        )
    ):
        if b := bucket(row["school_id"], row["coach_id"]):
            b.minutes_total, b.minutes_direct = row["total"] or 0, row["direct"] or 0

    return [
        SchoolFigures(
            school=school,
            coaches=[f for (sid, _), f in figures.items() if sid == school.id],
            states=states[school.id]
            if school.id in states
            else dict.fromkeys(CycleState.values, 0),
        )
        for school in schools
    ]


@dataclass(frozen=True)
class MyMove:
    teacher: Teacher
    cycle: CoachingCycle | None
    next_revisit: Revisit | None
    next_observation: Observation | None
    earlier_cycles: list[CoachingCycle]


def my_move(*, user: User) -> MyMove | None:
    """The signed-in teacher's agreed move, next visit and earlier cycles."""
    teacher = teachers_for(user, READ).filter(user=user).select_related("school").first()
    if teacher is None:
        return None
    cycles = list(
        cycles_for(user, READ)
        .filter(teacher=teacher)
        .select_related("assessment", "agreed_move__move", "persistent_problem")
        .order_by("-opened_on", "-id")
    )
    current = next((c for c in cycles if c.state in OPEN_STATES), None)
    now = timezone.now()
    next_revisit = (
        Revisit.objects.filter(cycle=current, status=RevisitStatus.SCHEDULED).first()
        if current
        else None
    )
    next_observation = (
        Observation.objects.filter(teacher=teacher, started_at__isnull=True, scheduled_for__gte=now)
        .order_by("scheduled_for")
        .first()
    )
    earlier = [c for c in cycles if c.state == CycleState.CLOSED]
    return MyMove(teacher, current, next_revisit, next_observation, earlier)
