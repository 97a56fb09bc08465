"""Writes of classroom evidence. Each entry is saved on its own as the coach makes it."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.validation import validated_save
from observations.models import (
    EngagementSample,
    Observation,
    ObservationNote,
    StudentEvidence,
)
from teachers.models import Teacher


@transaction.atomic
def observation_schedule(
    *,
    teacher: Teacher,
    observer: User,
    scheduled_for: datetime.datetime,
    cycle_id: int | None = None,
    focus: str = "",
) -> Observation:
    return validated_save(
        Observation(
            teacher=teacher,
            observer=observer,
            scheduled_for=scheduled_for,
            cycle_id=cycle_id,
            focus=focus,
        )
    )


@transaction.atomic
def observation_start(
    *, observation: Observation, started_at: datetime.datetime | None = None
) -> Observation:
    if observation.started_at is None:
        observation.started_at = started_at or timezone.now()
        validated_save(observation)
    return observation


@transaction.atomic
def observation_finish(
    *, observation: Observation, ended_at: datetime.datetime | None = None
) -> Observation:
    observation.ended_at = ended_at or timezone.now()
    return validated_save(observation)


@transaction.atomic
def observation_add_note(
    *, observation: Observation, text: str, noted_at: datetime.datetime | None = None
) -> ObservationNote:
    return validated_save(
        ObservationNote(observation=observation, text=text, noted_at=noted_at or timezone.now())
    )


@transaction.atomic
def observation_add_sweep(
    *,
    observation: Observation,
    phase: str,
    engaged_count: int,
    present_count: int,
    taken_at: datetime.datetime | None = None,
) -> EngagementSample:
    """Record an engagement sweep: ``engaged_count`` of ``present_count`` students."""
    return validated_save(
        EngagementSample(
            observation=observation,
            phase=phase,
            engaged_count=engaged_count,
            present_count=present_count,
            taken_at=taken_at or timezone.now(),
        )
    )


@transaction.atomic
def observation_add_evidence(
    *,
    observation: Observation,
    kind: str,
    description: str,
    noted_at: datetime.datetime | None = None,
) -> StudentEvidence:
    return validated_save(
        StudentEvidence(
            observation=observation,
            kind=kind,
            description=description,
            noted_at=noted_at or timezone.now(),
        )
    )
