"""Finding the scale data again (a reused database too): the upcoming debriefs of a
district and its two reference teachers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from coaching.models import OPEN_STATES, CoachingCycle, CoachingSession, SessionKind
from demo.scale_data.common import FEW_OBSERVATIONS, MANY_OBSERVATIONS_MIN
from observations.models import Observation
from teachers.models import District, Teacher


def upcoming_debriefs(*, district: District) -> models.QuerySet[CoachingSession]:
    """Debrief sessions not yet held, scheduled from now on, in open cycles of the district."""
    return CoachingSession.objects.filter(
        kind=SessionKind.DEBRIEF,
        held_at__isnull=True,
        scheduled_for__gt=timezone.now(),
        cycle__state__in=OPEN_STATES,
        cycle__teacher__school__district=district,
    )


@dataclass(frozen=True)
class ReferenceTeacher:
    teacher: Teacher
    observations: int
    cycle: CoachingCycle
    session: CoachingSession | None  # the upcoming debrief of the open cycle


def scale_reference_teachers(
    *, district: District
) -> tuple[ReferenceTeacher | None, ReferenceTeacher | None]:
    """The light (exactly FEW_OBSERVATIONS visits) and the heaviest (at least
    MANY_OBSERVATIONS_MIN) teacher of the district with an open cycle and an upcoming
    debrief, found again from the data (so a reused database works too)."""
    upcoming = upcoming_debriefs(district=district).filter(cycle__teacher=OuterRef("pk"))
    counts = (
        Observation.objects.filter(teacher=OuterRef("pk"))
        .order_by()
        .values("teacher")
        .annotate(n=Count("id"))
        .values("n")
    )
    teachers = (
        Teacher.objects.filter(school__district=district)
        .filter(Exists(upcoming))
        .annotate(n_obs=Subquery(counts))
    )
    few = teachers.filter(n_obs=FEW_OBSERVATIONS).order_by("pk").first()
    many = teachers.filter(n_obs__gte=MANY_OBSERVATIONS_MIN).order_by("-n_obs", "pk").first()

    def reference(teacher: Teacher | None) -> ReferenceTeacher | None:
        if teacher is None:
            return None
        cycle = CoachingCycle.objects.select_related("teacher__school", "assessment").get(
            teacher=teacher, state__in=OPEN_STATES
        )
        session = (
            upcoming_debriefs(district=district)
            .filter(cycle=cycle)
            .order_by("scheduled_for", "pk")
            .first()
        )
        return ReferenceTeacher(teacher, teacher.n_obs, cycle, session)

    return reference(few), reference(many)
