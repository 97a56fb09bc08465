"""The teacher page: open persistent problems, the open cycle, and the teacher's student evidence
grouped by framework component (only from observations the user may READ)."""

from dataclasses import dataclass, field

from accounts.models import User
from coaching.access import READ, observations_for
from coaching.models import OPEN_STATES, CoachingCycle, PersistentProblem
from frameworks.models import Component
from observations.models import StudentEvidence
from teachers.models import Teacher

# --- Teacher page --------------------------------------------------------------------------------


def teacher_open_problems(*, teacher: Teacher) -> list[PersistentProblem]:
    """The teacher's persistent problems still being worked on, newest first (one query)."""
    return list(
        teacher.persistent_problems.filter(resolved_on__isnull=True).order_by("-opened_on", "-id")
    )


def teacher_open_cycle(*, teacher: Teacher) -> CoachingCycle | None:
    """The teacher's cycle under way (at most one), with its assessment and agreed move (one
    query)."""
    return (
        teacher.cycles.filter(state__in=OPEN_STATES)
        .select_related("assessment", "agreed_move__move", "persistent_problem")
        .first()
    )


# --- Student evidence by framework component -----------------------------------------------------

EvidenceTag = StudentEvidence.components.through
ITEMS_SHOWN = 5  # evidence items listed under each component on the teacher page


@dataclass
class EvidenceGroup:
    """One component and the teacher's evidence tagged with it (newest first)."""

    component: Component
    count: int = 0
    items: list[StudentEvidence] = field(default_factory=list)


def teacher_evidence_by_component(*, user: User, teacher: Teacher) -> list[EvidenceGroup]:
    """The teacher's tagged evidence grouped by component, in the framework's order, counting
    only the observations ``user`` may READ. One query."""
    tags = (
        EvidenceTag.objects.filter(
            studentevidence__observation__teacher=teacher,
            studentevidence__observation__in=observations_for(user, READ),
        )
        .select_related("component__domain", "studentevidence")
        .order_by("-studentevidence__noted_at", "-studentevidence_id")
    )
    groups: dict[int, EvidenceGroup] = {}
    for tag in tags:
        group = groups.setdefault(tag.component_id, EvidenceGroup(component=tag.component))
        group.count += 1
        if len(group.items) < ITEMS_SHOWN:
            group.items.append(tag.studentevidence)
    return sorted(
        groups.values(),
        key=lambda g: (
            g.component.domain.framework_id,
            g.component.domain.position,
            g.component.position,
            g.component.code,
        ),
    )
