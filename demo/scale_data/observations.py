"""The scale seed's observations (sweeps, student evidence, notes and their time entries),
then the rest of the coaches' time."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator

from coaching.models import TimeCategory, TimeEntry
from demo import data as demo
from demo.scale_data.common import HISTORY_DAYS
from demo.scale_data.helpers import _batches
from demo.scale_data.plans import _CyclePlan
from demo.scale_data.pools import WEEKLY_TIME
from observations.models import (
    EngagementSample,
    EvidenceKind,
    Observation,
    ObservationNote,
    Phase,
    StudentEvidence,
)


class _ObservationsSeeder:
    """Part of ``_ScaleSeeder``: observations and the rest of the coaches' time."""

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
