"""The scale seed's cycles with their assessments, agreed moves, problems, sessions,
debriefs and revisits."""

from __future__ import annotations

import datetime
from collections import defaultdict

from coaching.models import (
    AgreedMove,
    Assessment,
    CoachingCycle,
    CoachingSession,
    CycleState,
    Debrief,
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
from demo.scale_data.common import HISTORY_DAYS, MAX_CYCLES_PER_TEACHER, UPCOMING_DEBRIEF_SHARE
from demo.scale_data.helpers import _weighted, allocate
from demo.scale_data.plans import _CyclePlan, _ProblemPlan, _Rows, _TeacherPlan
from demo.scale_data.pools import NEED_AREAS, OUTCOMES, SUPPORT_SESSIONS
from observations.models import EvidenceKind


class _CyclesSeeder:
    """Part of ``_ScaleSeeder``: cycles, sessions, debriefs, revisits."""

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
