"""``CycleBuilder``: one cycle of a demo teacher, played through the services in date order."""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandError
from django.utils import timezone

from coaching.models import (
    CoachingCycle,
    CoachingSession,
    CycleState,
    NeedArea,
    Outcome,
    PersistentProblem,
    SessionKind,
)
from coaching.services import (
    agreed_move_set,
    cycle_close,
    cycle_start,
    cycle_transition,
    debrief_record,
    revisit_complete,
    revisit_mark_missed,
    revisit_schedule,
    session_log,
)
from demo import data as demo
from demo.seeding.dates import days, minutes, school_days_ago
from my_move.services import reflection_submit
from observations.models import EvidenceKind, Observation, Phase
from observations.services import (
    observation_add_evidence,
    observation_add_note,
    observation_add_sweep,
    observation_finish,
    observation_schedule,
    observation_start,
)
from teachers.models import Teacher

if TYPE_CHECKING:
    from demo.seeding.seeder import DemoSeeder


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
