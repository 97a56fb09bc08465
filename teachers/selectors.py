"""Reads about schools, people and roles."""

from dataclasses import dataclass

from django.db.models import Q

from accounts.models import User
from teachers.models import Disposition, Membership, Orientation, School, Teacher, TimeFocus

_ROLES_ATTR = "_coaching_roles"


def user_roles(*, user: User) -> frozenset[str]:
    """The roles this user holds through active memberships (memoised on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _ROLES_ATTR, None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True)
        )
        setattr(user, _ROLES_ATTR, cached)
    return cached


def user_time_zone(*, user: User) -> str | None:
    """The time zone of the user's school: the teacher's own school, else the first school of
    an active membership (district-wide roles: the first school of the district)."""
    own = School.objects.filter(teachers__user=user)
    member = School.objects.filter(
        Q(memberships__user=user, memberships__is_active=True)
        | Q(district__memberships__user=user, district__memberships__is_active=True)
    )
    for schools in (own, member):
        name = schools.order_by("name").values_list("time_zone", flat=True).first()
        if name:
            return name
    return None


@dataclass(frozen=True)
class Stance:
    """The coaching stance suggested by a teacher's profile, and why."""

    kind: str  # "inquiry" or "advocacy"
    reasons: tuple[str, ...]
    framing: str

    @property
    def label(self) -> str:
        return self.kind.capitalize()


_DISPOSITION_RULES: dict[str, tuple[str, str]] = {
    Disposition.OVERWHELMED: (
        "advocacy",
        "Overwhelmed: name one small, concrete step and model it; open questions add load.",
    ),
    Disposition.SKEPTICAL: (
        "inquiry",
        "Skeptical: ask questions anchored in student evidence so the conclusion is theirs.",
    ),
    Disposition.PERFECTIONIST: (
        "advocacy",
        "Perfectionist: set a bounded, good-enough target with a clear finish line.",
    ),
    Disposition.AVOIDS_VULNERABILITY: (
        "inquiry",
        "Avoids vulnerability: low-stakes questions about students, not about the teacher; "
        "let them choose what to look at.",
    ),
}
_FRAMING = {
    TimeFocus.PAST: "Connect the move to what already worked in their classroom.",
    TimeFocus.PRESENT: "Keep the conversation on tomorrow's lesson and today's students.",
    TimeFocus.FUTURE: "Tie the move to the goals they have for the unit and the year.",
}


def teacher_suggested_stance(*, teacher: Teacher) -> Stance:
    """Inquiry (the teacher leads the thinking) or advocacy (the coach names the move).

    Rule: the disposition decides, except for a teacher who is ready, where the orientation
    decides (learning -> inquiry, performance -> advocacy). The time focus sets the framing.
    """
    reasons: list[str] = []
    if teacher.disposition in _DISPOSITION_RULES:
        kind, reason = _DISPOSITION_RULES[teacher.disposition]
        reasons.append(reason)
    elif teacher.orientation == Orientation.LEARNING:
        kind = "inquiry"
        reasons.append("Ready and learning-oriented: let them lead the analysis of the evidence.")
    else:
        kind = "advocacy"
        reasons.append(
            "Ready but performance-oriented: give clear success criteria and a model to match."
        )
    if teacher.orientation == Orientation.PERFORMANCE and teacher.disposition != Disposition.READY:
        reasons.append(
            "Performance-oriented: talk about student results, never a judgement of the teacher."
        )
    return Stance(kind=kind, reasons=tuple(reasons), framing=_FRAMING[teacher.time_focus])
