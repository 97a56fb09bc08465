"""A teacher's reflections: whether one is possible now, the current one, as the brief shows it."""

from django.db.models import Q

from coaching.models import CoachingCycle, CycleState, Reflection
from coaching.selectors.school_dates import school_date_or_none, school_today
from teachers.models import School


def _reflection_current_q() -> Q:
    """A reflection that still prepares a debrief: waiting for one, or for one not yet held."""
    return Q(session__isnull=True) | Q(session__held_at__isnull=True)


def reflection_possible(*, cycle: CoachingCycle, school: School) -> bool:
    """Whether the teacher may reflect on the cycle now: it is open, its move is agreed and
    has been tried (the cycle is past planning, or the move's first day has come at
    ``school``, the teacher's school). No query when the move was selected with the cycle."""
    agreed = getattr(cycle, "agreed_move", None)
    if not cycle.is_open or agreed is None:
        return False
    return cycle.state != CycleState.PLANNED or agreed.due_on <= school_today(school)


def reflection_current(*, cycle: CoachingCycle) -> Reflection | None:
    """The cycle's reflection that prepares the coming debrief (editable), if the teacher has
    written one: waiting for a debrief, or attached to one not yet held."""
    return (
        Reflection.objects.filter(cycle=cycle)
        .filter(_reflection_current_q())
        .select_related("session")
        .order_by("-submitted_at", "-id")
        .first()
    )


def cycle_reflections(*, cycle: CoachingCycle) -> list[Reflection]:
    """Every reflection of a cycle, newest first, with the debrief each prepared."""
    return list(
        Reflection.objects.filter(cycle=cycle)
        .select_related("session")
        .order_by("-submitted_at", "-id")
    )


def reflection_as_brief(reflection: Reflection | None, school: School) -> dict | None:
    """A reflection as plain JSON for the context brief (school dates)."""
    if reflection is None:
        return None
    return {
        "submitted_on": school_date_or_none(reflection.updated_at, school).isoformat(),
        "for_debrief": (
            reflection.session.scheduled_for.isoformat()
            if reflection.session and reflection.session.scheduled_for
            else None
        ),
        "students_did": reflection.students_did,
        "indicator_seen": reflection.indicator_seen,
        "indicator_seen_label": reflection.get_indicator_seen_display(),
        "would_change": reflection.would_change,
        "engaged_count": reflection.engaged_count,
        "present_count": reflection.present_count,
        "engagement_pct": reflection.engagement_pct,
    }
