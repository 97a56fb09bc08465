"""What the scale seed draws from: names, weighted dispositions, need areas and outcomes,
support sessions, weekly time, and the demo school's cycles, subjects and problems."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from coaching.models import NeedArea, Outcome, SessionKind, TimeCategory
from demo import data as demo
from teachers.models import Disposition

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
