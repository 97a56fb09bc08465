"""`manage.py seed_demo`: a realistic, idempotent demo district of three schools.

Everything is written through the service functions (teachers, coaching and observations
services); only users, the district, the schools and the move library, which have no services,
are upserted directly on their natural keys (username, slug) after `full_clean()`, and the
hundreds of hand-logged time entries go in with one insert per coach and school (checked as
`time_entry_log` checks them, history rows included) to keep seeding fast.

Running it again converges instead of duplicating: people and organisations are looked up by
natural key, the move library is upserted by slug, a holiday already in a school's calendar is
kept, a teacher who already has coaching content is skipped, and so is a coach who already has
time entries at a school. Dates are relative to the first demo school's creation date (the
anchor: "today" on a first run), so a re-run on a later day computes the same dates. Every date
is a school day of the teacher's school (``teachers.school_days``): the calendar's term break and
holidays are stepped over, revisits fall 10 to 20 school days after the last touch, and practice
(co-planning, rehearsal, a model lesson) comes before the first observation, the debrief the
school day after it. Content is deterministic (seeded random numbers).
"""

import datetime
import functools
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

import frameworks
from accounts.models import User
from coaching.models import (
    DIRECT_CATEGORIES,
    CoachingCycle,
    CoachingSession,
    CycleState,
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
from coaching.services import (
    agreed_move_set,
    cycle_close,
    cycle_start,
    cycle_transition,
    debrief_record,
    persistent_problem_open,
    revisit_complete,
    revisit_mark_missed,
    revisit_schedule,
    session_log,
    time_entry_date_problem,
)
from core import page_cache
from demo import data as demo
from frameworks.models import Component, Framework
from frameworks.services import framework_import_csv
from my_move.services import reflection_submit
from observations.models import EngagementSample, EvidenceKind, Observation, Phase
from observations.services import (
    observation_add_evidence,
    observation_add_note,
    observation_add_sweep,
    observation_finish,
    observation_schedule,
    observation_start,
)
from teachers.models import District, Membership, NonSchoolDay, Role, School, Teacher
from teachers.school_days import SchoolDays, school_days_for
from teachers.services import (
    caseload_assign,
    membership_grant,
    non_school_day_add,
    teacher_create,
)

M = TypeVar("M", bound=models.Model)

TIME_WINDOW_DAYS = 56  # time entries cover the eight weeks before the anchor
CASELOAD_STARTED_DAYS_AGO = 130
# Revisits are due 10 to 20 school days after the last touch; the demo uses the short end.
REVISIT_GAP_SCHOOL_DAYS = 10
REVISIT_WINDOW_SCHOOL_DAYS = (10, 20)
OVERDUE_AT_MOST_DAYS = 10  # an overdue demo revisit is this late at most (not yet missed)
CLASS_PERIODS = ((8, 10), (9, 5), (10, 0), (10, 55), (12, 40), (13, 35))
PLANNING_PERIOD = (11, 50)
AFTER_SCHOOL = (15, 30)

# Engagement change from the sweep before the move to the sweep after it, by outcome.
ENGAGEMENT_GAIN: dict[str, tuple[float, float]] = {
    Outcome.MASTERED: (0.16, 0.30),
    Outcome.PROGRESSING: (0.06, 0.18),
    Outcome.NOT_YET: (-0.05, 0.05),
    Outcome.ABANDONED: (-0.06, 0.03),
    "": (0.04, 0.22),  # open cycles
}

# A coach's working day by category: (chance the category appears, minutes low, high).
DayProfile = dict[str, tuple[float, int, int]]


# --- Dates --------------------------------------------------------------------------------


def school_days_ago(calendar_days: int) -> int:
    """The demo's "days ago" (calendar days in an ordinary week) as school days (5 in 7), so a
    cycle's shape in school days is the same whatever the weekday and wherever the breaks."""
    return max(1, round(calendar_days * 5 / 7))


def days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def minutes(count: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=count)


# --- Upserts for the models without services ----------------------------------------------


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[M, bool]:
    """Get by natural key or create; set ``values``; validate and save only when changed."""
    obj = model._default_manager.filter(**lookup).first()
    created = obj is None
    if obj is None:
        obj = model(**lookup)
    changed = created
    for name, value in values.items():
        if _current(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.full_clean()
        obj.save()
    return obj, created


def _current(obj: models.Model, name: str) -> Any:
    """A field's value; None for a relation not set yet (a new row)."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


@functools.cache
def _demo_password_hash() -> str:
    """Hash the shared demo password once per run: each hash costs a third of a second."""
    return make_password(demo.DEMO_PASSWORD)


def upsert_user(person: demo.PersonSpec, *, superuser: bool = False) -> tuple[User, bool]:
    """Users by username. A new account gets the demo password, names and email; an existing
    one keeps its password and only has blank names or email filled in."""
    user = User.objects.filter(username=person.username).first()
    created = user is None
    if user is None:
        user = User(username=person.username)
        user.password = _demo_password_hash()
    changed = created
    profile = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
    }
    for name, value in profile.items():
        if not getattr(user, name):
            setattr(user, name, value)
            changed = True
    if superuser and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        changed = True
    if changed:
        user.full_clean()
        user.save()
    return user, created


# --- The seeder ---------------------------------------------------------------------------


@dataclass
class SeedReport:
    school: School  # the anchor school
    anchor: datetime.date
    schools: list[School] = field(default_factory=list)
    users_created: int = 0
    closures_created: int = 0
    teachers_created: int = 0
    teachers_seeded: int = 0
    teachers_skipped: int = 0
    coaches_timed: int = 0
    coaches_time_skipped: int = 0


class DemoSeeder:
    """Builds the demo district. Call `run()` inside a transaction."""

    school: School  # the anchor school (the first of demo.SCHOOLS)
    tz: ZoneInfo
    anchor: datetime.date
    report: SeedReport

    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.moves: dict[str, Move] = {}
        self.components: dict[str, Component] = {}
        self.schools: dict[str, School] = {}
        self.calendars: dict[str, SchoolDays] = {}

    # Organisation and people

    def run(self) -> SeedReport:
        district, _ = upsert(District, {"slug": demo.DISTRICT.slug}, {"name": demo.DISTRICT.name})
        for spec in demo.SCHOOLS:
            self.schools[spec.slug], _ = upsert(
                School,
                {"slug": spec.slug},
                {
                    "district": district,
                    "name": spec.name,
                    "time_zone": demo.SCHOOL_TIME_ZONE,
                    "is_active": True,
                },
            )
        school = self.schools[demo.SCHOOL.slug]
        self.school = school
        self.tz = ZoneInfo(school.time_zone)
        self.anchor = anchor_date(school)
        self.report = SeedReport(school=school, anchor=self.anchor)
        self.report.schools = list(self.schools.values())
        self._seed_calendars()
        self._seed_moves()
        self._seed_framework(district)
        self._seed_leaders(district)
        teachers = self._seed_teachers()
        for spec, teacher in teachers:
            self._seed_teacher_content(spec, teacher)
        for coach in demo.COACHES:
            for slug, _hours in demo.COACH_SCHOOLS[coach.username]:
                self._seed_time(self.users[coach.username], slug)
        return self.report

    def _user(self, person: demo.PersonSpec, *, superuser: bool = False) -> User:
        user, created = upsert_user(person, superuser=superuser)
        self.users[person.username] = user
        self.report.users_created += int(created)
        return user

    def _seed_calendars(self) -> None:
        """The district's term break and coming holidays in each school's calendar, and its winter
        breaks on their real dates (kept when a school already has a holiday of that name), then
        every school's SchoolDays."""
        week_start = self.anchor - days(self.anchor.weekday())
        for spec in demo.CALENDAR:
            starts_on = week_start + days(7 * spec.weeks + spec.weekday - 1)
            for slug in spec.schools or tuple(self.schools):
                school = self.schools[slug]
                if NonSchoolDay.objects.filter(school=school, name=spec.name).exists():
                    continue
                non_school_day_add(
                    school=school,
                    starts_on=starts_on,
                    ends_on=starts_on + days(spec.days - 1),
                    name=spec.name,
                )
                self.report.closures_created += 1
        for spec in demo.YEARLY_CALENDAR:
            for year in (self.anchor.year - 1, self.anchor.year):
                starts_on = datetime.date(year, *spec.starts)
                ends_on = datetime.date(year + int(spec.ends < spec.starts), *spec.ends)
                name = f"{spec.name} {starts_on.year}-{ends_on:%y}"
                for school in self.schools.values():
                    if NonSchoolDay.objects.filter(school=school, name=name).exists():
                        continue
                    non_school_day_add(
                        school=school, starts_on=starts_on, ends_on=ends_on, name=name
                    )
                    self.report.closures_created += 1
        for slug, school in self.schools.items():
            self.calendars[slug] = school_days_for(school=school)

    def _seed_moves(self) -> None:
        for spec in demo.MOVES:
            move, _ = upsert(
                Move,
                {"slug": spec.slug},
                {
                    "name": spec.name,
                    "need_area": spec.need_area,
                    "problem": spec.problem,
                    "looks_like": spec.looks_like,
                    "script_stems": spec.script_stems,
                    "common_errors": spec.common_errors,
                    "is_active": True,
                },
            )
            self.moves[spec.slug] = move

    def _seed_framework(self, district: District) -> None:
        """The sample framework, active for the district (loaded once) unless the district
        already coaches against another, and the library moves tagged with its components
        (only when it is the active one)."""
        framework = Framework.objects.filter(district=district, name=demo.FRAMEWORK_NAME).first()
        if framework is None:
            path = Path(frameworks.__file__).resolve().parent / "sample" / demo.FRAMEWORK_SAMPLE
            with path.open("rb") as handle:
                framework = framework_import_csv(
                    district=district,
                    name=demo.FRAMEWORK_NAME,
                    file=handle,
                    activate=not Framework.objects.filter(
                        district=district, is_active=True
                    ).exists(),
                )
        if not framework.is_active:
            # The district coaches against another framework: tagging with this one's
            # components would be refused (evidence) or show nowhere (moves).
            self.components = {}
            return
        self.components = {c.code: c for c in Component.objects.filter(domain__framework=framework)}
        for slug, codes in demo.MOVE_COMPONENTS.items():
            if slug in self.moves:
                self.moves[slug].components.set(
                    [self.components[code] for code in codes if code in self.components]
                )

    def _seed_leaders(self, district: District) -> None:
        admin = self._user(demo.ADMIN, superuser=True)
        membership_grant(user=admin, role=Role.ADMINISTRATOR, district=district)
        leader = self._user(demo.DISTRICT_LEADER)
        membership_grant(user=leader, role=Role.DISTRICT_LEADER, district=district)
        for slug, person in demo.PRINCIPALS.items():
            principal = self._user(person)
            membership_grant(user=principal, role=Role.PRINCIPAL, school=self.schools[slug])
        for person in demo.COACHES:
            coach = self._user(person)
            for slug, hours in demo.COACH_SCHOOLS[person.username]:
                membership = membership_grant(
                    user=coach, role=Role.COACH, school=self.schools[slug]
                )
                if hours is not None and membership.hours_per_month is None:
                    upsert(Membership, {"pk": membership.pk}, {"hours_per_month": hours})

    def _seed_teachers(self) -> list[tuple[demo.TeacherSpec, Teacher]]:
        seeded = []
        for spec in demo.TEACHERS:
            started_on = self.calendars[spec.school].on_or_before(
                self.anchor - days(CASELOAD_STARTED_DAYS_AGO)
            )
            teacher = self._teacher(spec)
            caseload_assign(coach=self.users[spec.coach], teacher=teacher, started_on=started_on)
            seeded.append((spec, teacher))
        return seeded

    def _teacher(self, spec: demo.TeacherSpec) -> Teacher:
        school = self.schools[spec.school]
        user = None
        if spec.username:
            person = demo.PersonSpec(spec.username, spec.first_name, spec.last_name, "")
            user = self._user(person)
            membership_grant(user=user, role=Role.TEACHER, school=school)
        teacher = Teacher.objects.filter(school=school, email=spec.email).first()
        if teacher is not None:
            return teacher
        self.report.teachers_created += 1
        return teacher_create(
            school=school,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=spec.email,
            user=user,
            subject=spec.subject,
            grade_band=spec.grade_band,
            years_experience=spec.years_experience,
            disposition=spec.disposition,
            orientation=spec.orientation,
            time_focus=spec.time_focus,
        )

    # Coaching content per teacher

    def _seed_teacher_content(self, spec: demo.TeacherSpec, teacher: Teacher) -> None:
        if not spec.cycles:
            return  # new on the caseload: no assessment yet
        has_content = (
            CoachingCycle.objects.filter(teacher=teacher).exists()
            or PersistentProblem.objects.filter(teacher=teacher).exists()
            or Observation.objects.filter(teacher=teacher).exists()
        )
        if has_content:
            self.report.teachers_skipped += 1
            return
        self.report.teachers_seeded += 1
        rng = random.Random(f"{demo.SEED}:{spec.email}")  # nosec B311  # repeatable demo data
        problem = self._problem(spec, teacher)
        previous_close: datetime.date | None = None
        for plan in spec.cycles:
            builder = CycleBuilder(self, spec, teacher, plan, rng, problem)
            if previous_close is not None and builder.opened_on <= previous_close:
                raise CommandError(
                    f"Demo data: {spec.last_name}'s {plan.move} cycle opens before the "
                    "previous one closes."
                )
            previous_close = builder.build()

    def _problem(self, spec: demo.TeacherSpec, teacher: Teacher) -> PersistentProblem | None:
        linked = [plan for plan in spec.cycles if plan.on_problem]
        if spec.problem is None or not linked:
            return None
        first = max(plan.opened_days_ago for plan in linked)
        return persistent_problem_open(
            teacher=teacher,
            statement=spec.problem.statement,
            category=spec.problem.category,
            opened_on=self.calendars[spec.school].add(self.anchor, -school_days_ago(first + 2)),
        )

    # Time entries per coach and school

    def _seed_time(self, coach: User, slug: str) -> None:
        school = self.schools[slug]
        # Sessions and observations log their own time; only hand-logged entries count here.
        logged_by_hand = TimeEntry.objects.filter(
            coach=coach, school=school, session__isnull=True, observation__isnull=True
        )
        if logged_by_hand.exists():
            self.report.coaches_time_skipped += 1
            return
        self.report.coaches_timed += 1
        TimeLogger(self, coach, slug).log_window()

    # Helpers shared by the builders

    def at(self, day: datetime.date, hour_minute: tuple[int, int]) -> datetime.datetime:
        naive = datetime.datetime.combine(day, datetime.time(*hour_minute))
        return timezone.make_aware(naive, self.tz)

    def next_slot(self, rng, calendar: SchoolDays) -> datetime.datetime:
        """A meeting time in school hours at least an hour from now, on the next school day
        that has one left (today when it is a school day and the afternoon is still ahead), so
        the brief sweep sees it on the first run of a school day."""
        now = timezone.now()
        today = timezone.localtime(now, self.tz).date()
        first = calendar.on_or_after(today)
        slots = [
            self.at(day, hour_minute)
            for day in (first, calendar.add(first, 1))
            for hour_minute in ((11, 50), (12, 20), (15, 30), (16, 0))
        ]
        upcoming = [slot for slot in slots if slot >= now + datetime.timedelta(hours=1)]
        return rng.choice(upcoming[:2])

    def past(self, day: datetime.date, what: str) -> datetime.date:
        if day >= self.anchor:
            raise CommandError(f"Demo data: {what} on {day} is not before {self.anchor}.")
        return day


def anchor_date(school: School) -> datetime.date:
    """The day the demo school was created, in its own time zone: every date hangs on it."""
    return timezone.localtime(school.created_at, ZoneInfo(school.time_zone)).date()


class CycleBuilder:
    """One cycle of a demo teacher, played through the services in date order.

    Shape, in school days of the teacher's school: assessment (day 0), practice (co-planning,
    rehearsal or a model lesson, day 1), the move tried and observed (day 2, the agreed move's
    due date), debrief the next school day; then ``REVISIT_GAP_SCHOOL_DAYS`` after the last
    touch a revisit with a new observation and debrief, for ``plan.rounds`` rounds. The tail
    depends on the state the plan asks for. A cycle whose debrief is still ahead (active, no
    round held) is placed backward from that debrief: tried the school day before it.
    """

    cycle: CoachingCycle

    def __init__(
        self,
        seeder: DemoSeeder,
        spec: demo.TeacherSpec,
        teacher: Teacher,
        plan: demo.CyclePlan,
        rng: random.Random,
        problem: PersistentProblem | None,
    ) -> None:
        self.seeder = seeder
        self.spec = spec
        self.teacher = teacher
        self.plan = plan
        self.rng = rng
        self.problem = problem if plan.on_problem else None
        self.coach = seeder.users[spec.coach]
        self.move = seeder.moves[plan.move]
        self.anchor = seeder.anchor
        self.sd = seeder.calendars[spec.school]
        self.debrief_at: datetime.datetime | None = None
        self.first_visit: datetime.date | None = None
        if plan.state == CycleState.ACTIVE and plan.rounds == 0:
            # Tried the school day before the coming debrief (at most two school days).
            self.debrief_at = seeder.next_slot(rng, self.sd)
            debrief_day = timezone.localtime(self.debrief_at, seeder.tz).date()
            self.first_visit = min(
                self.sd.add(debrief_day, -1), self.sd.on_or_before(self.anchor - days(1))
            )
            self.opened_on = self.sd.add(self.first_visit, -2)
        else:
            self.opened_on = self.sd.add(self.anchor, -school_days_ago(plan.opened_days_ago))
        self.base_share = rng.uniform(0.45, 0.66)

    def build(self) -> datetime.date | None:
        """Create the cycle and its history; return the closing date (None if still open)."""
        plan = self.plan
        self.seeder.past(self.opened_on, f"{self.spec.last_name}: assessment")
        self.cycle = cycle_start(
            teacher=self.teacher,
            coach=self.coach,
            evidence=plan.evidence,
            need_area=plan.need_area,
            rationale=plan.rationale,
            assessed_on=self.opened_on,
            persistent_problem=self.problem,
        )
        if plan.state == CycleState.PLANNED:
            self._planned()
            return None
        due_on = self.first_visit or self.sd.add(self.opened_on, 2)
        self._agree(due_on)
        self._prepare(self.sd.add(self.opened_on, 1))
        self._transition(CycleState.ACTIVE)
        last_touch, next_visit = self._rounds(due_on)
        return self._tail(last_touch, next_visit)

    # Steps

    def _agree(self, due_on: datetime.date) -> None:
        plan = self.plan
        agreed_move_set(
            cycle=self.cycle,
            move=self.move,
            next_day_action=plan.next_day_action,
            script=plan.script,
            success_indicator=plan.success_indicator,
            due_on=due_on,
            agreed_on=self.cycle.opened_on,
        )

    def _transition(self, state: str) -> None:
        self.cycle = cycle_transition(cycle=self.cycle, to_state=state)

    def _reload(self) -> None:
        self.cycle.refresh_from_db()

    def _planned(self) -> None:
        """Move agreed at the assessment conversation; practice, the first visit, its debrief
        and the revisit are all still ahead, in that order."""
        self._session(
            SessionKind.CO_PLANNING,
            self.opened_on,
            AFTER_SCHOOL,
            30,
            notes="Assessment conversation: looked at the evidence together, agreed the move "
            "and when to practise it.",
        )
        first_day = self.sd.add(self.anchor, 1)
        due_on = self.sd.add(first_day, 1)
        self._agree(due_on)
        kind = {
            NeedArea.PLANNING: SessionKind.CO_PLANNING,
            NeedArea.DELIVERY: SessionKind.REHEARSAL,
            NeedArea.PROGRESS_MONITORING: SessionKind.DATA_REVIEW,
        }[self.plan.need_area]
        session_log(
            cycle=self.cycle,
            kind=kind,
            scheduled_for=self.seeder.at(first_day, AFTER_SCHOOL),
            duration_minutes=30,
            notes="Agenda: walk through the script, rehearse it twice, agree the count that "
            "will tell us the move worked.",
        )
        self._schedule_visit(due_on)
        debrief_day = self.sd.add(due_on, 1)
        session_log(
            cycle=self.cycle,
            kind=SessionKind.DEBRIEF,
            scheduled_for=self.seeder.at(debrief_day, PLANNING_PERIOD),
            duration_minutes=30,
        )
        self._schedule_revisit(
            self.opened_on, self.sd.add(debrief_day, REVISIT_GAP_SCHOOL_DAYS), "future"
        )

    def _prepare(self, day: datetime.date) -> None:
        """The support trajectory of the need area, the day before the first try."""
        self.seeder.past(day, f"{self.spec.last_name}: preparation")
        area = self.plan.need_area
        if area == NeedArea.PLANNING:
            questions, anticipated = demo.CO_PLANNING[self.spec.family]
            self._session(
                SessionKind.CO_PLANNING,
                day,
                AFTER_SCHOOL,
                45,
                notes="Planned tomorrow's lesson together around the move; teacher wrote the "
                "plan, coach asked questions.",
                questions_scripted=questions,
                anticipated_responses=anticipated,
            )
        elif area == NeedArea.PROGRESS_MONITORING:
            self._data_review(day, first=True)
        elif self.spec.years_experience < 3 or self.spec.disposition == "skeptical":
            self._session(
                SessionKind.MODEL_LESSON,
                day,
                self.rng.choice(CLASS_PERIODS),
                45,
                notes=self.rng.choice(demo.MODEL_LESSON_NOTES),
            )
        self._rehearsal(day)

    def _rehearsal(self, day: datetime.date) -> None:
        first_line = self.plan.script.splitlines()[0]
        self._session(
            SessionKind.REHEARSAL,
            day,
            (16, 20),
            self.rng.choice((15, 20)),
            practised=f"{self.move.name}: tomorrow's script, the coach playing students "
            f"(one who gets it wrong). Opening line: {first_line}",
            rounds=self.rng.randint(2, 4),
            feedback_given=self.rng.choice(demo.REHEARSAL_FEEDBACK[self.plan.need_area]),
        )

    def _data_review(self, day: datetime.date, *, first: bool) -> None:
        misconceptions, next_step = demo.DATA_REVIEW[self.spec.family]
        low, high = (30, 55) if first else (55, 85)
        if not first and self.plan.outcome == Outcome.NOT_YET:
            low, high = (35, 55)
        self._session(
            SessionKind.DATA_REVIEW,
            day,
            AFTER_SCHOOL,
            40,
            notes="Sorted the latest exit slips together against one criterion.",
            exit_slips_meeting_pct=self.rng.randint(low, high),
            misconceptions=misconceptions,
            next_instructional_step=next_step,
        )

    def _session(
        self,
        kind: str,
        day: datetime.date,
        hour_minute: tuple[int, int],
        duration: int,
        **details: Any,
    ) -> CoachingSession:
        self.seeder.past(day, f"{self.spec.last_name}: {kind}")
        when = self.seeder.at(day, hour_minute)
        return session_log(
            cycle=self.cycle,
            kind=kind,
            scheduled_for=when,
            held_at=when,
            duration_minutes=duration,
            **details,
        )

    def _rounds(self, first_visit: datetime.date) -> tuple[datetime.date, datetime.date]:
        """Observe (and debrief) ``plan.rounds`` times; return the last touch and next visit."""
        visit = first_visit
        last_touch = visit
        for index in range(max(self.plan.rounds, 1)):
            if index > 0:
                revisit = revisit_schedule(
                    cycle=self.cycle, due_on=visit, reason=self._reason(last_touch, visit)
                )
                revisit_complete(revisit=revisit, completed_on=visit)
                self._transition(CycleState.ACTIVE)
            final = index == max(self.plan.rounds, 1) - 1
            sweeps = self._observe(visit, index)
            last_touch = visit
            if index < self.plan.rounds:
                last_touch = self.sd.add(visit, 1)
                self._debrief(last_touch, sweeps, final=final)
            visit = self.sd.add(last_touch, REVISIT_GAP_SCHOOL_DAYS)
        return last_touch, visit

    def _observe(self, day: datetime.date, index: int) -> tuple[int, int, int]:
        """A visit: notes, sweeps before and after the move, student evidence."""
        self.seeder.past(day, f"{self.spec.last_name}: observation")
        start = self.seeder.at(day, self.rng.choice(CLASS_PERIODS))
        length = self.rng.choice((40, 45, 50))
        observation = observation_schedule(
            teacher=self.teacher,
            observer=self.coach,
            scheduled_for=start,
            cycle_id=self.cycle.pk,
            focus=self.plan.success_indicator[:200],
        )
        observation_start(observation=observation, started_at=start)
        for offset, text in zip(
            sorted(self.rng.sample(range(3, length - 2), 4)),
            self.rng.sample(demo.OBSERVATION_NOTES[self.plan.need_area], 4),
            strict=True,
        ):
            observation_add_note(
                observation=observation, text=text, noted_at=start + minutes(offset)
            )
        sweeps = self._sweeps(observation, start, index)
        self._evidence(observation, start)
        if self.plan.need_area == NeedArea.DELIVERY:
            self._session(
                SessionKind.REAL_TIME_COACHING,
                day,
                (start.hour, start.minute),
                15,
                notes=self.rng.choice(demo.REAL_TIME_PROMPTS),
            )
        observation_finish(observation=observation, ended_at=start + minutes(length))
        return sweeps

    def _sweeps(
        self, observation: Observation, start: datetime.datetime, index: int
    ) -> tuple[int, int, int]:
        """Pause, measure, try the move, measure again: two sweeps before, two after."""
        present = self.rng.randint(20, 32)
        before = min(self.base_share + 0.05 * index, 0.8)
        low, high = ENGAGEMENT_GAIN[self.plan.outcome]
        after = min(before + self.rng.uniform(low, high), 0.97)
        counts = []
        for offset, phase, share in (
            (6, Phase.BEFORE_MOVE, before - 0.04),
            (12, Phase.BEFORE_MOVE, before + 0.02),
            (24, Phase.AFTER_MOVE, after - 0.02),
            (34, Phase.AFTER_MOVE, after + 0.02),
        ):
            engaged = round(present * (share + self.rng.uniform(-0.04, 0.04)))
            engaged = max(0, min(present, engaged))
            counts.append(engaged)
            observation_add_sweep(
                observation=observation,
                phase=phase,
                engaged_count=engaged,
                present_count=present,
                taken_at=start + minutes(offset),
            )
        return counts[1], counts[3], present

    def _evidence(self, observation: Observation, start: datetime.datetime) -> None:
        pool = demo.EVIDENCE[self.spec.family]
        picks = [
            (EvidenceKind.SAID, 16),
            (EvidenceKind.PRODUCED, 28),
            (EvidenceKind.UNDERSTOOD, 36),
        ]
        if self.rng.random() < 0.5:
            picks.insert(1, (EvidenceKind.SAID, 22))
        used: set[str] = set()
        for kind, offset in picks:
            text = self.rng.choice([item for item in pool[kind] if item not in used])
            used.add(text)
            component = self.seeder.components.get(demo.EVIDENCE_COMPONENTS.get(kind, ""))
            observation_add_evidence(
                observation=observation,
                kind=kind,
                description=text,
                noted_at=start + minutes(offset),
                components=[component] if component else None,
            )

    def _debrief(self, day: datetime.date, sweeps: tuple[int, int, int], *, final: bool) -> None:
        before, after, present = sweeps
        session = self._session(
            SessionKind.DEBRIEF,
            day,
            PLANNING_PERIOD,
            self.rng.choice((25, 30)),
            notes=self.rng.choice(demo.DEBRIEF_NOTES),
        )
        evidence = demo.EVIDENCE[self.spec.family]
        debrief_record(
            session=session,
            students_showed=f"Engagement {before}/{present} before the move and "
            f"{after}/{present} after it. Produced: "
            f"{self.rng.choice(evidence[EvidenceKind.PRODUCED])} Understood: "
            f"{self.rng.choice(evidence[EvidenceKind.UNDERSTOOD])}",
            next_step=self.rng.choice(demo.NEXT_STEPS[self.plan.need_area]),
            indicator_met=self._indicator_met(final),
            teacher_reflection=self.rng.choice(demo.REFLECTIONS[self.spec.disposition]),
        )
        self._reload()

    def _indicator_met(self, final: bool) -> bool | None:
        outcome = self.plan.outcome
        if outcome == Outcome.NOT_YET:
            return False
        if not final:
            return None
        if outcome == Outcome.MASTERED:
            return True
        if outcome == Outcome.PROGRESSING:
            return None
        return self.rng.choice((True, None))

    # Tails by state

    def _tail(self, last_touch: datetime.date, next_visit: datetime.date) -> datetime.date | None:
        state = self.plan.state
        if state == CycleState.CLOSED:
            return self._close(last_touch, next_visit)
        if state == CycleState.ACTIVE:
            if self.plan.rounds == 0:
                # Within the next day, in school hours, so the worker assembles its brief on
                # the first run.
                session_log(
                    cycle=self.cycle,
                    kind=SessionKind.DEBRIEF,
                    scheduled_for=self.debrief_at,
                    duration_minutes=30,
                )
                self._reflect()
            else:
                self._transition(CycleState.ACTIVE)  # trying the debrief's next step
        if self.plan.revisit == "job":
            return None  # the revisit scheduling job gives it its revisit
        due_on = self._schedule_revisit(last_touch, next_visit, self.plan.revisit)
        if due_on > self.anchor:
            self._schedule_visit(due_on)
        return None

    def _reflect(self) -> None:
        """The teacher's answers to the reflection prompts before the coming debrief."""
        spec = self.plan.reflection
        if spec is None or self.teacher.user is None:
            return
        reflection_submit(
            user=self.teacher.user,
            cycle=self.cycle,
            students_did=spec.students_did,
            indicator_seen=spec.indicator_seen,
            would_change=spec.would_change,
            engaged_count=spec.engaged_count,
            present_count=spec.present_count,
        )

    def _reason(self, last_touch: datetime.date, due_on: datetime.date) -> str:
        return (
            f"{self.sd.count(last_touch, due_on)} school days after the last touch on "
            f"{last_touch:%d %b} (revisits: 2 to 4 school weeks)."
        )

    def _schedule_revisit(
        self, last_touch: datetime.date, due_on: datetime.date, kind: str
    ) -> datetime.date:
        """The open cycle's revisit: ``future`` (moved later, inside the window, when the
        usual gap has already passed) or ``overdue`` (a few days late, not yet missed)."""
        who = f"Demo data: {self.spec.last_name}'s revisit"
        low, high = REVISIT_WINDOW_SCHOOL_DAYS
        if kind == "future":
            due_on = max(due_on, self.sd.add(self.anchor, 1))
        elif due_on >= self.anchor:
            raise CommandError(f"{who} on {due_on} is not overdue.")
        elif (self.anchor - due_on).days > OVERDUE_AT_MOST_DAYS:
            raise CommandError(f"{who} on {due_on} is late by over {OVERDUE_AT_MOST_DAYS} days.")
        if not low <= self.sd.count(last_touch, due_on) <= high:
            raise CommandError(
                f"{who} on {due_on} is not {low} to {high} school days after {last_touch}."
            )
        revisit_schedule(cycle=self.cycle, due_on=due_on, reason=self._reason(last_touch, due_on))
        return due_on

    def _schedule_visit(self, day: datetime.date) -> None:
        observation_schedule(
            teacher=self.teacher,
            observer=self.coach,
            scheduled_for=self.seeder.at(day, self.rng.choice(CLASS_PERIODS)),
            cycle_id=self.cycle.pk,
            focus=self.plan.success_indicator[:200],
        )

    def _close(self, last_touch: datetime.date, next_visit: datetime.date) -> datetime.date:
        outcome = self.plan.outcome
        reason = self._reason(last_touch, next_visit)
        revisit = revisit_schedule(cycle=self.cycle, due_on=next_visit, reason=reason)
        if outcome == Outcome.NOT_YET:
            # Agreed at the debrief to change moves; the service cancels the pending revisit.
            closed_on = last_touch
        elif outcome == Outcome.ABANDONED:
            revisit_mark_missed(revisit=revisit)
            closed_on = self.sd.add(next_visit, 4)
        else:
            closed_on = next_visit
            self.seeder.past(closed_on, f"{self.spec.last_name}: closing revisit")
            revisit_complete(revisit=revisit, completed_on=closed_on)
            if self.plan.need_area == NeedArea.PROGRESS_MONITORING:
                self._data_review(closed_on, first=False)
            else:
                self._transition(CycleState.ACTIVE)
                self._observe(closed_on, self.plan.rounds)
        self.seeder.past(closed_on, f"{self.spec.last_name}: closing")
        self.cycle = cycle_close(cycle=self.cycle, outcome=outcome, closed_on=closed_on)
        if self.plan.shared_with_principal:
            self.cycle.shared_with_principal = True
            self.cycle.full_clean()
            self.cycle.save(update_fields=["shared_with_principal", "updated_at"])
        return closed_on


class TimeLogger:
    """Eight weeks of a coach's logged time at one school, on its school days: the coaching
    that happened, then the rest. A coach at two schools works at each on alternate days."""

    PROFILES: dict[str, str] = {demo.RIVERA: "steady", demo.OKAFOR: "drifting"}

    def __init__(self, seeder: DemoSeeder, coach: User, slug: str) -> None:
        self.seeder = seeder
        self.coach = coach
        self.school = seeder.schools[slug]
        self.calendar = seeder.calendars[slug]
        schools = [s for s, _ in demo.COACH_SCHOOLS[coach.username]]
        self.share = (schools.index(slug), len(schools))
        seed = f"{demo.SEED}:time:{coach.username}:{slug}"
        self.rng = random.Random(seed)  # nosec B311  # demo data
        self.profile = self.PROFILES.get(coach.username, "steady")
        self.first_day = seeder.anchor - days(TIME_WINDOW_DAYS)
        self.activity = self._activity_minutes()
        self.entries: list[TimeEntry] = []

    def _activity_minutes(self) -> dict[datetime.date, list[tuple[str, int, CoachingCycle]]]:
        """Sessions held and visits made by this coach, by local day."""
        by_day: dict[datetime.date, list[tuple[str, int, CoachingCycle]]] = defaultdict(list)
        school = self.school
        sessions = CoachingSession.objects.filter(
            cycle__coach=self.coach, cycle__teacher__school=school, held_at__isnull=False
        ).select_related("cycle")
        for session in sessions:
            day = timezone.localtime(session.held_at, self.seeder.tz).date()
            by_day[day].append(
                (TimeCategory.DIRECT_COACHING, session.duration_minutes or 30, session.cycle)
            )
        visits = Observation.objects.filter(
            observer=self.coach, teacher__school=school, ended_at__isnull=False, cycle__isnull=False
        ).select_related("cycle")
        for visit in visits:
            day = timezone.localtime(visit.started_at, self.seeder.tz).date()
            length = int((visit.ended_at - visit.started_at).total_seconds() // 60)
            by_day[day].append((TimeCategory.OBSERVATION, length, visit.cycle))
        return by_day

    def log_window(self) -> None:
        day = self.first_day
        index, count = self.share
        while day < self.seeder.anchor:
            if self.calendar.is_school_day(day) and day.toordinal() % count == index:
                self._log_day(day)
            day += days(1)
        self._save()

    def _save(self) -> None:
        """The hand-logged entries in one insert, with their history rows (time_entry_log's
        checks and versions, without a query per constraint for hundreds of rows: seeding
        stays fast)."""
        for entry in self.entries:
            problem = time_entry_date_problem(entry.entry_date)
            if problem:
                raise CommandError(f"Demo data: time entry on {entry.entry_date}: {problem}")
            entry.full_clean(exclude=["coach", "school", "cycle"], validate_constraints=False)
        if self.entries:
            self.entries[0].full_clean()  # one with every check, constraints included
        bulk_create_with_history(
            self.entries, TimeEntry, default_change_reason="Demo data (seed_demo)."
        )
        page_cache.data_versions_bump(scopes=[page_cache.school_scope(self.school.pk)])

    def _profile(self, day: datetime.date) -> DayProfile:
        """Minutes by category; the drifting coach slides into admin and coverage."""
        if self.profile == "steady":
            return {
                TimeCategory.DIRECT_COACHING: (1.0, 110, 170),
                TimeCategory.OBSERVATION: (0.85, 50, 90),
                TimeCategory.PREPARATION: (0.9, 30, 55),
                TimeCategory.DOCUMENTATION: (0.9, 25, 45),
                TimeCategory.ADMIN: (0.6, 10, 30),
                TimeCategory.MEETINGS: (1.0 if day.weekday() == 2 else 0.15, 30, 60),
                TimeCategory.COVERAGE: (0.08, 45, 50),
            }
        drift = (day - self.first_day).days / TIME_WINDOW_DAYS
        return {
            TimeCategory.DIRECT_COACHING: (
                1 - 0.4 * drift,
                int(70 - 35 * drift),
                int(110 - 60 * drift),
            ),
            TimeCategory.OBSERVATION: (0.5 - 0.3 * drift, 30, 60),
            TimeCategory.PREPARATION: (0.7, 20, 40),
            TimeCategory.DOCUMENTATION: (0.8, 30, 50),
            TimeCategory.ADMIN: (1.0, int(70 + 40 * drift), int(110 + 60 * drift)),
            TimeCategory.MEETINGS: (1.0 if day.weekday() == 2 else 0.4, 30, 60),
            TimeCategory.COVERAGE: (0.2 + 0.5 * drift, 45, 120),
        }

    def _log_day(self, day: datetime.date) -> None:
        logged: dict[str, int] = defaultdict(int)
        for category, length, cycle in self.activity.get(day, []):
            self._entry(day, category, length, cycle, _activity_note(category))
            logged[category] += length
        for category, (chance, low, high) in self._profile(day).items():
            if self.rng.random() >= chance:
                continue
            wanted = self.rng.randint(low, max(low, high))
            remaining = wanted - logged[category]
            if remaining < 10:
                continue
            cycle = self._open_cycle(day) if category in DIRECT_CATEGORIES else None
            note = self.rng.choice(demo.TIME_NOTES[category])
            self._entry(day, category, 5 * round(remaining / 5), cycle, note)

    def _entry(
        self,
        day: datetime.date,
        category: str,
        length: int,
        cycle: CoachingCycle | None,
        note: str,
    ) -> None:
        self.entries.append(
            TimeEntry(
                coach=self.coach,
                school=self.school,
                minutes=max(5, length),
                category=category,
                entry_date=day,
                cycle=cycle,
                note=note,
            )
        )

    def _open_cycle(self, day: datetime.date) -> CoachingCycle | None:
        candidates = [
            cycle
            for entries in self.activity.values()
            for _, _, cycle in entries
            if cycle.opened_on <= day and (cycle.closed_on is None or cycle.closed_on >= day)
        ]
        unique = sorted({cycle.pk: cycle for cycle in candidates}.values(), key=lambda c: c.pk)
        return self.rng.choice(unique) if unique else None


def _activity_note(category: str) -> str:
    return "Classroom visit (cycle)" if category == TimeCategory.OBSERVATION else "Coaching session"


# --- Output -------------------------------------------------------------------------------


def summary_lines(report: SeedReport) -> list[str]:
    school = report.school
    schools = report.schools or [school]
    today = timezone.localdate(timezone=ZoneInfo(school.time_zone))
    cycles = CoachingCycle.objects.filter(teacher__school__in=schools)
    states = dict(cycles.order_by().values_list("state").annotate(n=Count("id")))
    closed = cycles.filter(state=CycleState.CLOSED).order_by()
    outcomes = dict(closed.values_list("outcome").annotate(n=Count("id")))
    revisits = Revisit.objects.filter(cycle__teacher__school__in=schools)
    statuses = dict(revisits.order_by().values_list("status").annotate(n=Count("id")))
    overdue = revisits.filter(status=RevisitStatus.SCHEDULED, due_on__lt=today).count()
    observations = Observation.objects.filter(teacher__school__in=schools)
    sweeps = EngagementSample.objects.filter(observation__teacher__school__in=schools)
    teachers = Teacher.objects.filter(school__in=schools)
    per_school = dict(teachers.order_by().values_list("school__name").annotate(n=Count("id")))
    closures = NonSchoolDay.objects.filter(school__in=schools).order_by("starts_on", "school")
    calendar = sorted({(c.starts_on, c.ends_on, c.name) for c in closures})
    lines = [
        f"District: {school.district.name} (anchor {report.anchor:%Y-%m-%d}, {school.time_zone})",
        "Schools: " + ", ".join(f"{name} ({n} teachers)" for name, n in per_school.items()),
        "Calendar: "
        + "; ".join(
            f"{name} {first:%a %d %b}" + (f" to {last:%a %d %b}" if last != first else "")
            for first, last, name in calendar
        ),
        f"Moves in the library: {Move.objects.count()}"
        f" | demo accounts: {User.objects.filter(username__in=demo_usernames()).count()}"
        f" ({report.users_created} new)",
        f"Teachers: {teachers.count()} "
        f"({report.teachers_created} new; coaching content seeded for "
        f"{report.teachers_seeded}, kept for {report.teachers_skipped})",
        "Cycles: "
        + ", ".join(f"{state} {states.get(state, 0)}" for state in CycleState.values)
        + " | outcomes: "
        + ", ".join(f"{outcome} {outcomes.get(outcome, 0)}" for outcome in Outcome.values),
        f"Sessions: {CoachingSession.objects.filter(cycle__teacher__school__in=schools).count()}"
        f" | observations: {observations.count()}"
        f" ({observations.filter(started_at__isnull=True).count()} upcoming)"
        f" | sweeps: {sweeps.count()}",
        "Revisits: "
        + ", ".join(f"{status} {statuses.get(status, 0)}" for status in RevisitStatus.values)
        + f" | overdue today: {overdue}",
    ]
    lines.append(
        f"Time entries: logged for {report.coaches_timed} coach(es) and school(s), "
        f"kept for {report.coaches_time_skipped}"
    )
    for person in demo.COACHES:
        entries = TimeEntry.objects.filter(coach__username=person.username, school__in=schools)
        totals = entries.aggregate(
            total=Sum("minutes"), direct=Sum("minutes", filter=Q(category__in=DIRECT_CATEGORIES))
        )
        total = totals["total"] or 0
        share = f"{100 * (totals['direct'] or 0) / total:.0f}% direct" if total else "no time"
        lines.append(
            f"Time, {person.username}: {entries.count()} entries, {total / 60:.0f} h, {share}"
        )
    return lines


def demo_usernames() -> list[str]:
    people = [demo.ADMIN, demo.DISTRICT_LEADER, *demo.PRINCIPALS.values(), *demo.COACHES]
    teachers = [spec.username for spec in demo.TEACHERS if spec.username]
    return [person.username for person in people] + teachers


# Demo teachers worth signing in as, and what each shows (the README's table says the same).
SHOWCASE_TEACHERS: dict[str, str] = {
    "Porter": "my move after a debrief: the agreed next step and the coming revisit",
    "Lee": "my move: exit ticket, its script, the next visit; reflect before the debrief",
    "Goldberg": "a planned cycle: the move to try, the co-planning before it",
}


def signin_rows() -> list[tuple[str, str, str, str]]:
    rows = [
        ("administrator", demo.ADMIN.username, demo.ADMIN.sees),
        ("district leader", demo.DISTRICT_LEADER.username, demo.DISTRICT_LEADER.sees),
    ]
    rows += [("principal", p.username, p.sees) for p in demo.PRINCIPALS.values()]
    rows += [("coach", coach.username, coach.sees) for coach in demo.COACHES]
    with_login = {spec.last_name: spec for spec in demo.TEACHERS if spec.username}
    for last_name, sees in SHOWCASE_TEACHERS.items():
        rows.append(("teacher", with_login[last_name].username or "", sees))
    others = len(with_login) - len(SHOWCASE_TEACHERS)
    rows.append(("teacher", f"teacher.<lastname> ({others} more)", "their own move and visits"))
    return [(role, username, demo.DEMO_PASSWORD, sees) for role, username, sees in rows]


def table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


class Command(BaseCommand):
    help = (
        "Create (or complete) the demo district, its three schools and their calendars, people, "
        "move library and coaching history. Safe to run again: it converges instead of "
        "duplicating."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print only the demo sign-ins.")

    def handle(self, *args: Any, quiet: bool = False, **options: Any) -> None:
        started = time.monotonic()
        with transaction.atomic():
            report = DemoSeeder().run()
        elapsed = time.monotonic() - started
        if not quiet:
            self.stdout.write(self.style.SUCCESS(f"Demo district ready in {elapsed:.1f} s."))
            for line in summary_lines(report):
                self.stdout.write(f"  {line}")
            self.stdout.write("")
        self._write_signins(quiet)

    def _write_signins(self, quiet: bool) -> None:
        header = ("role", "username", "password", "what they will see")
        lines = table([header, *signin_rows()])
        self.stdout.write(self.style.MIGRATE_HEADING(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)
        if not quiet:
            self.stdout.write(
                "Passwords are set when an account is created; re-runs leave them unchanged."
            )
