"""``DemoSeeder``: the demo district, its schools and calendars, the move library and
framework, the people and caseloads, then each teacher's coaching content and each
coach's logged time."""

import datetime
import random
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management.base import CommandError
from django.utils import timezone

import frameworks
from accounts.models import User
from coaching.models import CoachingCycle, Move, PersistentProblem, TimeEntry
from coaching.services import persistent_problem_open
from demo import data as demo
from demo.seeding.cycles import CycleBuilder
from demo.seeding.dates import anchor_date, days, school_days_ago
from demo.seeding.time_entries import TimeLogger
from demo.seeding.upserts import upsert, upsert_user
from frameworks.models import Component, Framework
from frameworks.services import framework_import_csv
from observations.models import Observation
from teachers.models import District, Membership, NonSchoolDay, Role, School, Teacher
from teachers.school_days import SchoolDays, school_days_for
from teachers.services import caseload_assign, membership_grant, non_school_day_add, teacher_create

CASELOAD_STARTED_DAYS_AGO = 130


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
