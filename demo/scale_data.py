"""District-scale seed data for benchmarks (`manage.py seed_scale`, `bench/`).

One district with many schools, principals, coaches (each with a caseload), teachers, cycles in
every state, sessions, debriefs, revisits, time entries and a long tail of observations. Rows are
written with ``bulk_create`` in batches: no per-row ``save()``, so no simple-history rows and no
service calls (the services validate one row at a time, far too slow for 100,000 visits). Every
database constraint still holds; the generator keeps the rules ``full_clean`` checks too (an
agreed move has its cycle's need area, a caseload coach is a coach at the teacher's school,
observations and time entries belong to the cycle's teacher and school).

Deterministic: the same sizes and seed give the same rows (a ``random.Random(seed)`` drives
every choice); dates are relative to the day it runs. It is meant for an empty database, or at
least one without this district: it refuses to write into a district slug that already exists
(drop the database to reseed; ``bench/briefs.py`` does). Choose another ``district_slug`` to add a
second scale district next to the first.
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import models, reset_queries, transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from coaching.models import (
    OPEN_STATES,
    AgreedMove,
    Assessment,
    CoachingCycle,
    CoachingSession,
    CycleState,
    Debrief,
    Move,
    NeedArea,
    Outcome,
    PersistentProblem,
    Revisit,
    RevisitStatus,
    SessionKind,
    TimeCategory,
    TimeEntry,
)
from demo import data as demo
from observations.models import (
    EngagementSample,
    EvidenceKind,
    Observation,
    ObservationNote,
    Phase,
    StudentEvidence,
)
from teachers.models import (
    CaseloadAssignment,
    Disposition,
    District,
    Membership,
    Orientation,
    Role,
    School,
    Teacher,
    TimeFocus,
)

# Every scale account; the hash is computed once. Benchmark data, never a real account.
SCALE_PASSWORD = "scale-bench-2026"  # nosec B105  # benchmark accounts only
TIME_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "Europe/London",
)
BATCH_SIZE = 5000
HISTORY_DAYS = 700  # about two school years of history before today
FEW_OBSERVATIONS = 3  # the light reference teacher has exactly this many visits
MANY_OBSERVATIONS = 320  # the heavy reference teacher (at least MANY_OBSERVATIONS_MIN)
MANY_OBSERVATIONS_MIN = 300
MAX_CYCLES_PER_TEACHER = 18
UPCOMING_DEBRIEF_SHARE = 0.85  # of active and debriefed cycles
SCHOOL_DAY = (8, 15)  # visits and sessions start between these local hours


class ScaleSeedError(Exception):
    """The seed cannot run (the district exists, or the sizes make no sense)."""


class Progress(Protocol):
    """Where the seeder reports how far it got: one phase after another, each with a total."""

    def phase(self, name: str, total: int, unit: str) -> None: ...

    def advance(self, n: int = 1) -> None: ...


class _Silent:
    def phase(self, name: str, total: int, unit: str) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


@dataclass(frozen=True)
class ScaleSizes:
    schools: int = 50
    coaches: int = 150
    teachers: int = 3000
    observations: int = 100_000
    seed: int = 1
    district_slug: str = "scale"

    def check(self) -> None:
        if self.schools < 1 or self.coaches < 1 or self.teachers < 1:
            raise ScaleSeedError("Give at least one school, one coach and one teacher.")
        if self.observations < 0:
            raise ScaleSeedError("The number of observations cannot be negative.")
        if not self.district_slug:
            raise ScaleSeedError("Give a district slug.")


@dataclass(frozen=True)
class ScaleResult:
    district_id: int
    sizes: ScaleSizes
    rows: dict[str, int]  # model label -> rows created
    cycles_by_state: dict[str, int]
    outcomes: dict[str, int]
    upcoming_debriefs: int  # debrief sessions scheduled 1-14 days ahead, not held, cycle open
    few_observations_teacher_id: int | None  # exactly FEW_OBSERVATIONS visits, open cycle
    many_observations_teacher_id: int | None  # at least MANY_OBSERVATIONS_MIN visits, open cycle
    many_observations: int
    seconds: float


# --- Pools ------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Aisha", "Ben", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Imani", "Jonas",
    "Keisha", "Liam", "Maya", "Nikhil", "Olivia", "Pablo", "Quinn", "Rosa", "Samir", "Tara",
    "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chloe", "Diego",
    "Esther", "Felix", "Gabriela", "Hassan", "Ines", "Jamal", "Kira", "Leon", "Mina", "Noah",
)  # fmt: skip
LAST_NAMES = (
    "Abbott", "Baptiste", "Chen", "Dlamini", "Evans", "Fischer", "Garcia", "Haddad", "Ibrahim",
    "Jensen", "Kowalski", "Lopez", "Mensah", "Nakamura", "Oyelaran", "Patel", "Quintero",
    "Rossi", "Silva", "Tanaka", "Umarov", "Vasquez", "Walsh", "Xu", "Yilmaz", "Zimmerman",
    "Adeyemi", "Brennan", "Castillo", "Duarte", "Eriksen", "Fontaine", "Goldman", "Hughes",
    "Iyer", "Johansson", "Kim", "Larsen", "Moreau", "Novak",
)  # fmt: skip

DISPOSITIONS = (
    (Disposition.READY, 0.32),
    (Disposition.OVERWHELMED, 0.2),
    (Disposition.SKEPTICAL, 0.18),
    (Disposition.PERFECTIONIST, 0.15),
    (Disposition.AVOIDS_VULNERABILITY, 0.15),
)
NEED_AREAS = (
    (NeedArea.PLANNING, 0.35),
    (NeedArea.DELIVERY, 0.4),
    (NeedArea.PROGRESS_MONITORING, 0.25),
)
OUTCOMES = (
    (Outcome.MASTERED, 0.35),
    (Outcome.PROGRESSING, 0.3),
    (Outcome.NOT_YET, 0.2),
    (Outcome.ABANDONED, 0.15),
)
SUPPORT_SESSIONS: dict[str, tuple[str, ...]] = {
    NeedArea.PLANNING: (SessionKind.CO_PLANNING,),
    NeedArea.DELIVERY: (SessionKind.REHEARSAL, SessionKind.MODEL_LESSON),
    NeedArea.PROGRESS_MONITORING: (SessionKind.DATA_REVIEW,),
}
# Weekly minutes a coach logs outside sessions and visits: (chance a week has it, low, high).
WEEKLY_TIME: dict[str, tuple[float, int, int]] = {
    TimeCategory.DIRECT_COACHING: (0.6, 30, 120),
    TimeCategory.PREPARATION: (0.9, 60, 180),
    TimeCategory.DOCUMENTATION: (0.9, 45, 150),
    TimeCategory.ADMIN: (0.8, 40, 200),
    TimeCategory.MEETINGS: (0.9, 45, 120),
    TimeCategory.COVERAGE: (0.2, 45, 240),
}


@dataclass(frozen=True)
class _CycleTemplate:
    need_area: str
    move_slug: str
    evidence: str
    rationale: str
    next_day_action: str
    script: str
    success_indicator: str


def _cycle_templates() -> dict[str, list[_CycleTemplate]]:
    """The demo school's cycles, as wording to reuse (by need area)."""
    templates: dict[str, list[_CycleTemplate]] = defaultdict(list)
    for spec in demo.TEACHERS:
        for plan in spec.cycles:
            templates[plan.need_area].append(
                _CycleTemplate(
                    need_area=plan.need_area,
                    move_slug=plan.move,
                    evidence=plan.evidence,
                    rationale=plan.rationale,
                    next_day_action=plan.next_day_action,
                    script=plan.script,
                    success_indicator=plan.success_indicator,
                )
            )
    return templates


def _subjects() -> list[tuple[str, str, str]]:
    """(subject, evidence family, grade band) as the demo teachers have them."""
    return sorted({(spec.subject, spec.family, spec.grade_band) for spec in demo.TEACHERS})


def _problems() -> list[tuple[str, str]]:
    return sorted(
        {(spec.problem.statement, spec.problem.category) for spec in demo.TEACHERS if spec.problem}
    )


# --- Helpers ----------------------------------------------------------------------------------


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainder)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    short = total - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[:short]:
        parts[i] += 1
    return parts


def allocate_capped(total: int, weights: list[float], cap: int) -> list[int]:
    """``allocate`` with no part above ``cap``: the excess goes to the parts below it."""
    if cap * len(weights) < total:
        raise ScaleSeedError(f"Cannot split {total} into {len(weights)} parts of at most {cap}.")
    parts = allocate(total, weights)
    while True:
        excess = sum(max(0, p - cap) for p in parts)
        if not excess:
            return parts
        parts = [min(p, cap) for p in parts]
        room = [i for i, p in enumerate(parts) if p < cap]
        extra = allocate(excess, [weights[i] or 1e-9 for i in room])
        for i, add in zip(room, extra, strict=True):
            parts[i] += add


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


def _batches(items: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- Plans ------------------------------------------------------------------------------------


@dataclass
class _TeacherPlan:
    index: int
    school: int  # index into schools
    coach: int  # index into coaches
    subject: tuple[str, str, str]  # subject, evidence family, grade band
    disposition: str
    observations: int
    reference: str = ""  # "few", "many" or ""
    teacher: Teacher | None = None

    @property
    def family(self) -> str:
        return self.subject[1]


@dataclass
class _CyclePlan:
    teacher: _TeacherPlan
    need_area: str
    template: _CycleTemplate
    move: Move
    state: str
    opened_ago: int
    closed_ago: int | None = None
    outcome: str = ""
    observations: int = 0
    problem: int | None = None  # index into the teacher's problems
    shared: bool = False
    upcoming_debrief: bool = False
    cycle: CoachingCycle | None = None

    @property
    def window(self) -> tuple[int, int]:
        """Days ago of the first and last day visits and held sessions may fall on."""
        newest = max(2, self.closed_ago or 0)
        return max(newest, self.opened_ago - 1), newest


@dataclass
class _ProblemPlan:
    teacher: _TeacherPlan
    statement: str
    category: str
    opened_ago: int
    resolved_ago: int | None
    problem: PersistentProblem | None = None


@dataclass
class _Rows:
    """Rows waiting for one bulk insert, by model."""

    by_model: dict[type[models.Model], list[models.Model]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, row: models.Model) -> models.Model:
        self.by_model[type(row)].append(row)
        return row


class _ScaleSeeder:
    def __init__(self, sizes: ScaleSizes, progress: Progress) -> None:
        self.sizes = sizes
        self.progress = progress
        self.rng = random.Random(sizes.seed)  # nosec B311  # repeatable made-up data
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate(self.now)
        self.rows: Counter[str] = Counter()
        self.templates = _cycle_templates()
        self.subjects = _subjects()
        self.problem_pool = _problems()
        self.zones = {name: ZoneInfo(name) for name in TIME_ZONES}

    # Writing

    def _insert(self, model: type[models.Model], objs: list) -> list:
        for batch in _batches(objs):
            model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            reset_queries()  # with DEBUG on, the query log would keep every batch's SQL
        self.rows[model._meta.label] += len(objs)
        return objs

    # Dates

    def day(self, ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=ago)

    def at(self, ago: int, zone: str, *, hour: int | None = None) -> datetime.datetime:
        """A time of the school day ``ago`` days before today (negative: ahead), school time.
        Past times use ago >= 2, so they are before now in every school's time zone."""
        hour = self.rng.randint(*SCHOOL_DAY) if hour is None else hour
        local = datetime.datetime.combine(
            self.day(ago), datetime.time(hour, self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
        )
        return local.replace(tzinfo=self.zones[zone])

    def local_date(self, moment: datetime.datetime, zone: str) -> datetime.date:
        return moment.astimezone(self.zones[zone]).date()

    # Run

    def run(self) -> ScaleResult:
        started = time.monotonic()
        sizes = self.sizes
        sizes.check()
        if District.objects.filter(slug=sizes.district_slug).exists():
            raise ScaleSeedError(
                f"District “{sizes.district_slug}” already exists. seed_scale writes into an "
                "empty district only: drop the database (or use another --district-slug)."
            )
        with transaction.atomic():
            self._organisation()
            self._moves()
            self._teachers()
            self._cycles()
            self._observations()
            self._coach_time()
        few = next((t for t in self.teacher_plans if t.reference == "few"), None)
        many = next((t for t in self.teacher_plans if t.reference == "many"), None)
        cycles = CoachingCycle.objects.filter(teacher__school__district=self.district)
        states = dict(cycles.order_by().values_list("state").annotate(n=Count("id")))
        outcomes = dict(
            cycles.filter(state=CycleState.CLOSED)
            .order_by()
            .values_list("outcome")
            .annotate(n=Count("id"))
        )
        return ScaleResult(
            district_id=self.district.pk,
            sizes=sizes,
            rows=dict(sorted(self.rows.items())),
            cycles_by_state={state: states.get(state, 0) for state in CycleState.values},
            outcomes={outcome: outcomes.get(outcome, 0) for outcome in Outcome.values},
            upcoming_debriefs=upcoming_debriefs(district=self.district).count(),
            few_observations_teacher_id=few.teacher.pk if few and few.teacher else None,
            many_observations_teacher_id=many.teacher.pk if many and many.teacher else None,
            many_observations=many.observations if many else 0,
            seconds=time.monotonic() - started,
        )

    # Schools and people

    def _organisation(self) -> None:
        sizes, rng, slug = self.sizes, self.rng, self.sizes.district_slug
        self.progress.phase("schools and people", 5, "steps")
        self.password = make_password(SCALE_PASSWORD)
        self.district = District.objects.create(
            name=f"{slug.replace('-', ' ').title()} District", slug=slug
        )
        self.rows[District._meta.label] += 1
        self.schools = self._insert(
            School,
            [
                School(
                    district=self.district,
                    name=f"{slug.replace('-', ' ').title()} School {n + 1:03d}",
                    slug=f"{slug}-school-{n + 1:03d}",
                    time_zone=TIME_ZONES[n % len(TIME_ZONES)],
                    default_cycle_hours=Decimal(rng.choice(("2.0", "2.5", "2.5", "3.0"))),
                )
                for n in range(sizes.schools)
            ],
        )
        self.progress.advance()
        principals = [self._user(f"principal{n + 1:03d}") for n in range(sizes.schools)]
        self.coaches = [self._user(f"coach{n + 1:03d}") for n in range(sizes.coaches)]
        leader = self._user("district")
        self._insert(User, [*principals, *self.coaches, leader])
        self.progress.advance()
        # Coach j works at school j % schools; a school left without one borrows a coach.
        self.school_coaches: list[list[int]] = [[] for _ in self.schools]
        for j in range(sizes.coaches):
            self.school_coaches[j % sizes.schools].append(j)
        for s, coaches in enumerate(self.school_coaches):
            if not coaches:
                coaches.append(s % sizes.coaches)
        memberships = [
            Membership(user=principal, role=Role.PRINCIPAL, school=school)
            for principal, school in zip(principals, self.schools, strict=True)
        ]
        memberships += [
            Membership(user=self.coaches[j], role=Role.COACH, school=self.schools[s])
            for s, coaches in enumerate(self.school_coaches)
            for j in coaches
        ]
        memberships.append(
            Membership(user=leader, role=Role.DISTRICT_LEADER, district=self.district)
        )
        self._insert(Membership, memberships)
        self.progress.advance()

    def _user(self, name: str, first: str = "", last: str = "") -> User:
        username = f"{self.sizes.district_slug}.{name}"
        return User(
            username=username,
            email=f"{username}@scale.example.org",
            first_name=first or name.rstrip("0123456789").capitalize(),
            last_name=last or name[len(name.rstrip("0123456789")) :],
            password=self.password,
        )

    def _moves(self) -> None:
        """The demo library for any need area that has no active move yet."""
        missing = [
            area
            for area in NeedArea.values
            if not Move.objects.filter(need_area=area, is_active=True).exists()
        ]
        taken = set(Move.objects.values_list("slug", flat=True))
        new = [
            Move(
                slug=spec.slug,
                name=spec.name,
                need_area=spec.need_area,
                problem=spec.problem,
                looks_like=spec.looks_like,
                script_stems=spec.script_stems,
                common_errors=spec.common_errors,
            )
            for spec in demo.MOVES
            if spec.need_area in missing and spec.slug not in taken
        ]
        for area in missing:
            if not any(move.need_area == area for move in new):
                new.append(
                    Move(
                        slug=f"scale-{area.replace('_', '-')}-{self.sizes.district_slug}",
                        name=f"Scale move ({area})",
                        need_area=area,
                        looks_like="A move used by the scale seed.",
                        script_stems="Try it tomorrow.",
                    )
                )
        self._insert(Move, new)
        self.moves: dict[str, list[Move]] = defaultdict(list)
        for move in Move.objects.filter(is_active=True).order_by("slug"):
            self.moves[move.need_area].append(move)
        self.moves_by_slug = {m.slug: m for moves in self.moves.values() for m in moves}
        self.progress.advance()

    # Teachers and caseloads

    def _teachers(self) -> None:
        sizes, rng = self.sizes, self.rng
        per_school = allocate(sizes.teachers, [rng.uniform(0.7, 1.3) for _ in self.schools])
        counts = self._observation_counts()
        plans: list[_TeacherPlan] = []
        for s, n in enumerate(per_school):
            coaches = self.school_coaches[s]
            for k in range(n):
                index = len(plans)
                plans.append(
                    _TeacherPlan(
                        index=index,
                        school=s,
                        coach=coaches[k % len(coaches)],
                        subject=self.subjects[rng.randrange(len(self.subjects))],
                        disposition=_weighted(rng, DISPOSITIONS),
                        observations=counts[index],
                        reference=self.references.get(index, ""),
                    )
                )
        self.teacher_plans = plans
        users, memberships = [], []
        for plan in plans:
            first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
            last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
            user = None
            if rng.random() < 0.3:
                user = self._user(f"teacher{plan.index + 1:05d}", first, last)
                users.append(user)
                memberships.append(
                    Membership(user=user, role=Role.TEACHER, school=self.schools[plan.school])
                )
            subject, _, grade_band = plan.subject
            plan.teacher = Teacher(
                school=self.schools[plan.school],
                user=user,
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.{plan.index + 1}@scale.example.org".lower(),
                subject=subject,
                grade_band=grade_band,
                years_experience=min(40, int(rng.expovariate(1 / 8))),
                disposition=plan.disposition,
                orientation=rng.choice(Orientation.values),
                time_focus=rng.choice(TimeFocus.values),
            )
        self._insert(User, users)
        self._insert(Membership, memberships)
        self._insert(Teacher, [plan.teacher for plan in plans])
        self._insert(
            CaseloadAssignment,
            [
                CaseloadAssignment(
                    coach=self.coaches[plan.coach],
                    teacher=plan.teacher,
                    started_on=self.day(HISTORY_DAYS + rng.randint(5, 40)),
                )
                for plan in plans
            ],
        )
        self.progress.advance()

    def _observation_counts(self) -> list[int]:
        """Visits per teacher: a long tail (many with a handful, some near 300), plus one
        teacher with exactly FEW_OBSERVATIONS and one with MANY_OBSERVATIONS (when the sizes
        leave room for them)."""
        sizes, rng = self.sizes, self.rng
        total, teachers = sizes.observations, sizes.teachers
        counts = [0] * teachers
        self.references: dict[int, str] = {}
        if teachers >= 2:
            few, many = rng.sample(range(teachers), 2)
            if total >= FEW_OBSERVATIONS + MANY_OBSERVATIONS_MIN:
                self.references[many] = "many"
                counts[many] = min(MANY_OBSERVATIONS, total - FEW_OBSERVATIONS)
            if total >= FEW_OBSERVATIONS:
                self.references[few] = "few"
                counts[few] = FEW_OBSERVATIONS
        others = [i for i in range(teachers) if i not in self.references]
        remaining = total - sum(counts)
        weights = [
            rng.uniform(0.02, 0.15) if rng.random() < 0.4 else rng.lognormvariate(0, 0.9)
            for _ in others
        ]
        if others:
            cap = max(MANY_OBSERVATIONS, math.ceil(remaining / len(others)))
            for i, n in zip(others, allocate_capped(remaining, weights, cap), strict=True):
                counts[i] = n
        else:  # two teachers, both references: the heavy one takes the rest
            counts[many] += remaining
        return counts

    # Cycles, sessions, debriefs, revisits

    def _cycles(self) -> None:
        rng = self.rng
        cycle_plans: list[_CyclePlan] = []
        problem_plans: list[_ProblemPlan] = []
        for plan in self.teacher_plans:
            cycles, problems = self._plan_teacher(plan)
            cycle_plans += cycles
            problem_plans += problems
        self.cycle_plans = cycle_plans
        self.progress.phase("cycles and sessions", 9, "steps")
        problems_by_teacher: dict[int, list[_ProblemPlan]] = defaultdict(list)
        for problem in problem_plans:
            problem.problem = PersistentProblem(
                teacher=problem.teacher.teacher,
                statement=problem.statement,
                category=problem.category,
                opened_on=self.day(problem.opened_ago),
                resolved_on=None
                if problem.resolved_ago is None
                else self.day(problem.resolved_ago),
            )
            problems_by_teacher[problem.teacher.index].append(problem)
        self._insert(PersistentProblem, [p.problem for p in problem_plans])
        self.progress.advance()
        assessments = []
        for cp in cycle_plans:
            assessments.append(
                Assessment(
                    teacher=cp.teacher.teacher,
                    coach=self.coaches[cp.teacher.coach],
                    assessed_on=self.day(cp.opened_ago + rng.randint(0, 3)),
                    evidence=cp.template.evidence,
                    need_area=cp.need_area,
                    rationale=cp.template.rationale,
                )
            )
        self._insert(Assessment, assessments)
        self.progress.advance()
        for cp, assessment in zip(cycle_plans, assessments, strict=True):
            problems = problems_by_teacher[cp.teacher.index]
            cp.cycle = CoachingCycle(
                teacher=cp.teacher.teacher,
                coach=self.coaches[cp.teacher.coach],
                assessment=assessment,
                persistent_problem=problems[cp.problem].problem if cp.problem is not None else None,
                state=cp.state,
                outcome=cp.outcome,
                opened_on=self.day(cp.opened_ago),
                closed_on=None if cp.closed_ago is None else self.day(cp.closed_ago),
                shared_with_principal=cp.shared,
            )
        self._insert(CoachingCycle, [cp.cycle for cp in cycle_plans])
        self.progress.advance()
        self._insert(
            AgreedMove,
            [
                AgreedMove(
                    cycle=cp.cycle,
                    move=cp.move,
                    next_day_action=cp.template.next_day_action,
                    script=cp.template.script,
                    success_indicator=cp.template.success_indicator,
                    due_on=self.day(cp.opened_ago - rng.randint(1, 5)),
                )
                for cp in cycle_plans
            ],
        )
        self.progress.advance()
        sessions = _Rows()
        debriefs: list[tuple[CoachingSession, Debrief]] = []
        revisits: list[Revisit] = []
        for cp in cycle_plans:
            self._plan_sessions(cp, sessions, debriefs)
            revisits += self._plan_revisits(cp)
        session_rows = sessions.by_model[CoachingSession]
        self._insert(CoachingSession, session_rows)
        self.progress.advance()
        for session, debrief in debriefs:
            debrief.session = session
        self._insert(Debrief, [debrief for _, debrief in debriefs])
        self.progress.advance()
        self._insert(Revisit, revisits)
        self.progress.advance()
        plan_of = {id(cp.cycle): cp for cp in cycle_plans}
        entries = []
        for session in session_rows:
            if session.held_at is None or not session.duration_minutes:
                continue
            cp = plan_of[id(session.cycle)]
            zone = self.schools[cp.teacher.school].time_zone
            entries.append(
                TimeEntry(
                    coach=cp.cycle.coach,
                    school=self.schools[cp.teacher.school],
                    entry_date=self.local_date(session.held_at, zone),
                    minutes=session.duration_minutes,
                    category=TimeCategory.DIRECT_COACHING,
                    cycle=cp.cycle,
                    session=session,
                    note=f"{session.get_kind_display()} with {cp.teacher.teacher.full_name}"[:200],
                )
            )
        self._insert(TimeEntry, entries)
        self.progress.advance(2)

    def _plan_teacher(self, plan: _TeacherPlan) -> tuple[list[_CyclePlan], list[_ProblemPlan]]:
        """Consecutive cycles ending today; the last one open for most teachers."""
        rng = self.rng
        n = plan.observations
        if n == 0:
            count = rng.choice((0, 1))
        else:
            count = max(1, min(MAX_CYCLES_PER_TEACHER, round(n / rng.uniform(8, 14))))
        if count == 0:
            return [], []
        span = min(HISTORY_DAYS, rng.randint(20 * count, 40 * count) + 10)
        shares = [rng.uniform(0.6, 1.4) for _ in range(count)]
        lengths = [max(10, int(span * s / sum(shares))) for s in shares]
        opened = [sum(lengths[i:]) for i in range(count)]  # days ago, oldest first
        if plan.reference or n == 0:
            last_state = CycleState.PLANNED if n == 0 else None
        else:
            last_state = None
            r = rng.random()
            if r < 0.12:
                last_state = CycleState.CLOSED
            elif r < 0.24 and count >= 2:
                last_state = CycleState.PLANNED
        if last_state is None:
            last_state = rng.choice((CycleState.ACTIVE, CycleState.DEBRIEFED))
        if last_state == CycleState.PLANNED:
            opened[-1] = min(opened[-1], rng.randint(0, 6))
        cycles = []
        for i in range(count):
            area = _weighted(rng, NEED_AREAS)
            template = rng.choice(self.templates[area])
            move = self.moves_by_slug.get(template.move_slug)
            if move is None or move.need_area != area:
                move = rng.choice(self.moves[area])
            cp = _CyclePlan(
                teacher=plan,
                need_area=area,
                template=template,
                move=move,
                state=last_state if i == count - 1 else CycleState.CLOSED,
                opened_ago=opened[i],
                shared=rng.random() < 0.15,
            )
            if cp.state == CycleState.CLOSED:
                cp.outcome = _weighted(rng, OUTCOMES)
                if i == count - 1:
                    cp.closed_ago = rng.randint(1, max(1, min(20, cp.opened_ago - 5)))
                else:
                    cp.closed_ago = max(1, min(opened[i + 1] + rng.randint(0, 3), opened[i] - 7))
            elif cp.state != CycleState.PLANNED:
                cp.upcoming_debrief = bool(plan.reference) or rng.random() < UPCOMING_DEBRIEF_SHARE
            cycles.append(cp)
        visited = [cp for cp in cycles if cp.state != CycleState.PLANNED]
        weights = [
            (cp.window[0] - cp.window[1] + 1) * (0.3 if cp.outcome == Outcome.ABANDONED else 1)
            for cp in visited
        ]
        for cp, k in zip(visited, allocate(n, weights), strict=True):
            cp.observations = k
        problems = []
        if rng.random() < 0.7:
            statement, category = rng.choice(self.problem_pool)
            last = cycles[-1]
            resolved = last.closed_ago if last.outcome == Outcome.MASTERED else None
            problems.append(_ProblemPlan(plan, statement, category, cycles[0].opened_ago, resolved))
            for cp in cycles:
                if rng.random() < 0.8:
                    cp.problem = 0
        return cycles, problems

    def _plan_sessions(
        self,
        cp: _CyclePlan,
        rows: _Rows,
        debriefs: list[tuple[CoachingSession, Debrief]],
    ) -> None:
        rng = self.rng
        zone = self.schools[cp.teacher.school].time_zone
        family = cp.teacher.family
        oldest, newest = cp.window
        if cp.state == CycleState.PLANNED:
            kind = SUPPORT_SESSIONS[cp.need_area][0]
            rows.add(
                self._session(
                    cp, kind, scheduled_for=self.at(-rng.randint(1, 10), zone), family=family
                )
            )
            return
        first_days = [max(newest, oldest - rng.randint(1, 3))]
        kinds = list(SUPPORT_SESSIONS[cp.need_area][:1])
        if cp.need_area == NeedArea.DELIVERY and rng.random() < 0.6:
            kinds.append(rng.choice((SessionKind.MODEL_LESSON, SessionKind.REAL_TIME_COACHING)))
            first_days.append(max(newest, first_days[0] - rng.randint(1, 5)))
        for kind, ago in zip(kinds, first_days, strict=True):
            held = self.at(ago, zone)
            rows.add(self._session(cp, kind, held_at=held, family=family))
        if cp.state == CycleState.CLOSED:
            held_debriefs = rng.randint(0, 1) if cp.outcome == Outcome.ABANDONED else 1
            held_debriefs += min(4, cp.observations // 8)
        elif cp.state == CycleState.DEBRIEFED:
            held_debriefs = 1 + min(5, cp.observations // 8)
        else:
            held_debriefs = min(4, cp.observations // 10)
        days = sorted((rng.randint(newest, oldest) for _ in range(held_debriefs)), reverse=True)
        for k, ago in enumerate(days):
            last = k == len(days) - 1
            session = rows.add(
                self._session(cp, SessionKind.DEBRIEF, held_at=self.at(ago, zone), family=family)
            )
            debriefs.append((session, self._debrief(cp, last=last)))
        if cp.upcoming_debrief:
            rows.add(
                self._session(
                    cp,
                    SessionKind.DEBRIEF,
                    scheduled_for=self.at(-rng.randint(1, 14), zone),
                    family=family,
                )
            )

    def _session(
        self,
        cp: _CyclePlan,
        kind: str,
        *,
        family: str,
        held_at: datetime.datetime | None = None,
        scheduled_for: datetime.datetime | None = None,
    ) -> CoachingSession:
        rng = self.rng
        session = CoachingSession(
            cycle=cp.cycle,
            kind=kind,
            scheduled_for=scheduled_for or held_at,
            held_at=held_at,
            duration_minutes=rng.choice((20, 25, 30, 40, 45, 60)),
        )
        if held_at is None:
            return session
        if kind == SessionKind.CO_PLANNING:
            session.questions_scripted, session.anticipated_responses = demo.CO_PLANNING[family]
        elif kind == SessionKind.REHEARSAL:
            session.practised = cp.template.script
            session.rounds = rng.randint(2, 5)
            session.feedback_given = rng.choice(demo.REHEARSAL_FEEDBACK[cp.need_area])
        elif kind == SessionKind.DATA_REVIEW:
            session.misconceptions, session.next_instructional_step = demo.DATA_REVIEW[family]
            session.exit_slips_meeting_pct = rng.randint(25, 95)
        elif kind == SessionKind.MODEL_LESSON:
            session.notes = rng.choice(demo.MODEL_LESSON_NOTES)
        elif kind == SessionKind.REAL_TIME_COACHING:
            session.notes = rng.choice(demo.REAL_TIME_PROMPTS)
        else:
            session.notes = rng.choice(demo.DEBRIEF_NOTES)
        return session

    def _debrief(self, cp: _CyclePlan, *, last: bool) -> Debrief:
        rng = self.rng
        if last and cp.outcome == Outcome.MASTERED:
            met = True
        elif last and cp.outcome == Outcome.NOT_YET:
            met = False
        else:
            met = rng.choice((True, False, None))
        evidence = demo.EVIDENCE[cp.teacher.family]
        reflection = (
            rng.choice(demo.REFLECTIONS[cp.teacher.disposition]) if rng.random() < 0.85 else ""
        )
        return Debrief(
            students_showed=f"Said: {rng.choice(evidence[EvidenceKind.SAID])} Produced: "
            f"{rng.choice(evidence[EvidenceKind.PRODUCED])}",
            indicator_met=met,
            next_step=rng.choice(demo.NEXT_STEPS[cp.need_area]),
            teacher_reflection=reflection,
        )

    def _plan_revisits(self, cp: _CyclePlan) -> list[Revisit]:
        rng = self.rng
        reason = "14 to 28 days after the last touch (2-4 week cadence)."
        revisits = []
        oldest, newest = cp.window
        if oldest - newest > 40:  # a long cycle had a revisit along the way
            done = rng.randint(newest + 1, oldest - 14)
            revisits.append(
                Revisit(
                    cycle=cp.cycle,
                    due_on=self.day(done + rng.randint(0, 3)),
                    status=RevisitStatus.DONE,
                    completed_on=self.day(done),
                    reason=reason,
                )
            )
        if cp.state == CycleState.CLOSED:
            closed = cp.closed_ago or 0
            if cp.outcome == Outcome.ABANDONED:
                status, completed = RevisitStatus.MISSED, None
            elif cp.outcome == Outcome.NOT_YET:
                status, completed = RevisitStatus.CANCELLED, None
            else:
                status, completed = RevisitStatus.DONE, self.day(closed)
            revisits.append(
                Revisit(
                    cycle=cp.cycle,
                    due_on=self.day(closed + rng.randint(0, 4)),
                    status=status,
                    completed_on=completed,
                    reason=reason,
                )
            )
        elif cp.state == CycleState.DEBRIEFED or (
            cp.state == CycleState.ACTIVE and rng.random() < 0.6
        ):
            revisits.append(
                Revisit(
                    cycle=cp.cycle,
                    due_on=self.day(-rng.randint(-10, 21)),  # some of them overdue
                    status=RevisitStatus.SCHEDULED,
                    reason=reason,
                )
            )
        return revisits

    # Observations

    def _observations(self) -> None:
        self.progress.phase("observations", self.sizes.observations, "visits")
        for batch in _batches(self._observation_rows()):
            self._observation_batch(batch)
            self.progress.advance(len(batch))

    def _observation_rows(self) -> Iterator[tuple[_CyclePlan, Observation]]:
        rng = self.rng
        for cp in self.cycle_plans:
            zone = self.schools[cp.teacher.school].time_zone
            oldest, newest = cp.window
            for _ in range(cp.observations):
                started = self.at(rng.randint(newest, oldest), zone)
                yield (
                    cp,
                    Observation(
                        teacher=cp.teacher.teacher,
                        cycle=cp.cycle,
                        observer=cp.cycle.coach,
                        scheduled_for=started,
                        started_at=started,
                        ended_at=started + datetime.timedelta(minutes=rng.randint(15, 55)),
                        focus=cp.template.success_indicator[:200],
                    ),
                )

    def _observation_batch(self, batch: list[tuple[_CyclePlan, Observation]]) -> None:
        rng = self.rng
        self._insert(Observation, [obs for _, obs in batch])
        samples, evidence, notes, entries = [], [], [], []
        for cp, obs in batch:
            start = obs.started_at
            present = rng.randint(14, 32)
            before = rng.randint(present // 3, present)
            phases = [Phase.BEFORE_MOVE, Phase.AFTER_MOVE]
            if rng.random() < 0.3:
                phases = [rng.choice(phases)]
            for k, phase in enumerate(phases):
                engaged = before if phase == Phase.BEFORE_MOVE else rng.randint(before, present)
                samples.append(
                    EngagementSample(
                        observation=obs,
                        taken_at=start + datetime.timedelta(minutes=5 + 15 * k),
                        phase=phase,
                        engaged_count=engaged,
                        present_count=present,
                    )
                )
            pool = demo.EVIDENCE[cp.teacher.family]
            for k in range(rng.choice((0, 1, 1, 2))):
                kind = rng.choice(EvidenceKind.values)
                evidence.append(
                    StudentEvidence(
                        observation=obs,
                        kind=kind,
                        description=rng.choice(pool[kind]),
                        noted_at=start + datetime.timedelta(minutes=8 + 6 * k),
                    )
                )
            if rng.random() < 0.5:
                notes.append(
                    ObservationNote(
                        observation=obs,
                        noted_at=start + datetime.timedelta(minutes=3),
                        text=rng.choice(demo.OBSERVATION_NOTES[cp.need_area]),
                    )
                )
            school = self.schools[cp.teacher.school]
            minutes = math.ceil((obs.ended_at - start).total_seconds() / 60)
            entries.append(
                TimeEntry(
                    coach=obs.observer,
                    school=school,
                    entry_date=self.local_date(start, school.time_zone),
                    minutes=minutes,
                    category=TimeCategory.OBSERVATION,
                    cycle=cp.cycle,
                    observation=obs,
                    note=f"Observation of {cp.teacher.teacher.full_name}"[:200],
                )
            )
        self._insert(EngagementSample, samples)
        self._insert(StudentEvidence, evidence)
        self._insert(ObservationNote, notes)
        self._insert(TimeEntry, entries)

    # The rest of the coaches' time

    def _coach_time(self) -> None:
        """Weekly entries outside sessions and visits; a quarter of the coaches drift into
        admin and coverage over the last months."""
        rng = self.rng
        weeks = HISTORY_DAYS // 7
        self.progress.phase("coach time", len(self.coaches), "coaches")
        home = {j: s for s, coaches in enumerate(self.school_coaches) for j in coaches}
        entries = []
        for j, coach in enumerate(self.coaches):
            school = self.schools[home.get(j, j % len(self.schools))]
            drifting = rng.random() < 0.25
            for week in range(weeks):
                drift = max(0.0, 1 - week / 20) if drifting else 0.0  # week 0 = this week
                for category, (chance, low, high) in WEEKLY_TIME.items():
                    if category in (TimeCategory.ADMIN, TimeCategory.COVERAGE):
                        chance = min(1.0, chance + drift)
                        high = int(high * (1 + 1.5 * drift))
                    if rng.random() >= chance:
                        continue
                    entries.append(
                        TimeEntry(
                            coach=coach,
                            school=school,
                            entry_date=self.day(1 + 7 * week + rng.randint(0, 4)),
                            minutes=5 * (rng.randint(low, high) // 5),
                            category=category,
                            note=rng.choice(demo.TIME_NOTES[category]),
                        )
                    )
            self.progress.advance()
        self._insert(TimeEntry, entries)


# --- Entry points -------------------------------------------------------------------------------


def scale_district_seed(*, sizes: ScaleSizes, progress: Progress | None = None) -> ScaleResult:
    """Build one district at the given sizes (see the module docstring). Raises
    ScaleSeedError if the district slug is taken."""
    return _ScaleSeeder(sizes, progress or _Silent()).run()


def upcoming_debriefs(*, district: District) -> models.QuerySet[CoachingSession]:
    """Debrief sessions not yet held, scheduled from now on, in open cycles of the district."""
    return CoachingSession.objects.filter(
        kind=SessionKind.DEBRIEF,
        held_at__isnull=True,
        scheduled_for__gt=timezone.now(),
        cycle__state__in=OPEN_STATES,
        cycle__teacher__school__district=district,
    )


@dataclass(frozen=True)
class ReferenceTeacher:
    teacher: Teacher
    observations: int
    cycle: CoachingCycle
    session: CoachingSession | None  # the upcoming debrief of the open cycle


def scale_reference_teachers(
    *, district: District
) -> tuple[ReferenceTeacher | None, ReferenceTeacher | None]:
    """The light (exactly FEW_OBSERVATIONS visits) and the heaviest (at least
    MANY_OBSERVATIONS_MIN) teacher of the district with an open cycle and an upcoming
    debrief, found again from the data (so a reused database works too)."""
    upcoming = upcoming_debriefs(district=district).filter(cycle__teacher=OuterRef("pk"))
    counts = (
        Observation.objects.filter(teacher=OuterRef("pk"))
        .order_by()
        .values("teacher")
        .annotate(n=Count("id"))
        .values("n")
    )
    teachers = (
        Teacher.objects.filter(school__district=district)
        .filter(Exists(upcoming))
        .annotate(n_obs=Subquery(counts))
    )
    few = teachers.filter(n_obs=FEW_OBSERVATIONS).order_by("pk").first()
    many = teachers.filter(n_obs__gte=MANY_OBSERVATIONS_MIN).order_by("-n_obs", "pk").first()

    def reference(teacher: Teacher | None) -> ReferenceTeacher | None:
        if teacher is None:
            return None
        cycle = CoachingCycle.objects.select_related("teacher__school", "assessment").get(
            teacher=teacher, state__in=OPEN_STATES
        )
        session = (
            upcoming_debriefs(district=district)
            .filter(cycle=cycle)
            .order_by("scheduled_for", "pk")
            .first()
        )
        return ReferenceTeacher(teacher, teacher.n_obs, cycle, session)

    return reference(few), reference(many)
