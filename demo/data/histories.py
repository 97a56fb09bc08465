"""The shapes of a demo teacher's coaching history: ``TeacherSpec`` with its persistent
``ProblemSpec`` and ``CyclePlan`` cycles (a ``ReflectionSpec`` before a coming debrief). The
teachers themselves are in the ``teachers_*`` modules, gathered in ``teachers.TEACHERS``."""

from dataclasses import dataclass, field

from demo.data.people import SCHOOL, email_for

# --- Coaching histories -------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemSpec:
    statement: str
    category: str


@dataclass(frozen=True)
class ReflectionSpec:
    """The teacher's answers to the reflection prompts before the coming debrief."""

    students_did: str
    indicator_seen: str  # yes, partly, no, not_sure
    would_change: str
    engaged_count: int | None = None
    present_count: int | None = None


@dataclass(frozen=True)
class CyclePlan:
    """One coaching cycle of a demo teacher.

    ``rounds`` is the number of observe-then-debrief rounds already held (0: the move was tried
    and observed, the debrief is still ahead; ``reflection``: the teacher's answers to the
    reflection prompts before it, if already given). ``revisit`` is "future" or "overdue" for the
    scheduled revisit of an open cycle, or "job" to leave it to the revisit scheduling job
    (so a first run shows the worker scheduling it); closed cycles leave it empty.
    """

    need_area: str
    move: str  # a MoveSpec slug of the same need area
    state: str
    opened_days_ago: int  # calendar days in an ordinary week; counted as 5/7 school days
    evidence: str
    rationale: str
    next_day_action: str
    script: str
    success_indicator: str
    outcome: str = ""
    rounds: int = 1
    revisit: str = ""
    on_problem: bool = False
    shared_with_principal: bool = False
    # Already answered by the teacher before the coming debrief (an active cycle, rounds=0).
    reflection: ReflectionSpec | None = None


@dataclass(frozen=True)
class TeacherSpec:
    first_name: str
    last_name: str
    subject: str
    family: str  # which evidence pool fits the subject (a key of EVIDENCE)
    grade_band: str
    years_experience: int
    disposition: str
    orientation: str
    time_focus: str
    coach: str  # a coach's username
    has_login: bool = True
    problem: ProblemSpec | None = None
    cycles: tuple[CyclePlan, ...] = field(default_factory=tuple)
    school: str = SCHOOL.slug

    @property
    def email(self) -> str:
        return email_for(self.first_name, self.last_name)

    @property
    def username(self) -> str | None:
        if not self.has_login:
            return None
        return "teacher." + "".join(ch for ch in self.last_name.lower() if ch.isalnum())
