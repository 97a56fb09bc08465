"""The scale seed's plans: a teacher's, a cycle's and a problem's rows before they are
written, and rows waiting for one bulk insert."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from coaching.models import CoachingCycle, Move, PersistentProblem
from demo.scale_data.pools import _CycleTemplate
from teachers.models import Teacher

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
