"""``TimeLogger``: eight weeks of a coach's logged time at one school, on its school days."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import TYPE_CHECKING

from django.core.management.base import CommandError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from coaching.models import (
    DIRECT_CATEGORIES,
    CoachingCycle,
    CoachingSession,
    TimeCategory,
    TimeEntry,
)
from coaching.services import time_entry_date_problem
from core import page_cache
from demo import data as demo
from demo.seeding.dates import days
from observations.models import Observation

if TYPE_CHECKING:
    from demo.seeding.seeder import DemoSeeder


TIME_WINDOW_DAYS = 56  # time entries cover the eight weeks before the anchor

# A coach's working day by category: (chance the category appears, minutes low, high).
DayProfile = dict[str, tuple[float, int, int]]


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
