"""Writes of classroom evidence. Each entry is saved on its own as the coach makes it."""

import datetime
import logging
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from core.validation import validated_save
from frameworks.models import Component
from frameworks.selectors import active_components
from observations.models import (
    EngagementSample,
    Observation,
    ObservationNote,
    StudentEvidence,
)
from teachers.models import Teacher

logger = logging.getLogger(__name__)


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


def _already_saved(
    model: type[models.Model], observation: Observation, client_id: uuid.UUID | None
) -> models.Model | None:
    """The entry a client already sent under this id (a retry after a dropped connection)."""
    if client_id is None:
        return None
    existing = model.objects.filter(client_id=client_id).first()
    if existing is not None and existing.observation_id != observation.pk:
        raise ValidationError("This entry id belongs to another observation.")
    return existing


def _save_once(entry: models.Model, observation: Observation) -> models.Model:
    """Save a new entry; when a resend of it under the same client id was saved meanwhile (two
    tabs, or a retry racing the first request: the unique client id refuses this copy), the
    entry saved first, so every resend answers with the stored entry."""
    try:
        return validated_save(entry)
    except ValidationError:
        if entry.client_id is not None and (
            existing := _already_saved(type(entry), observation, entry.client_id)
        ):
            return existing
        raise


@transaction.atomic
def observation_add_note(
    *,
    observation: Observation,
    text: str,
    noted_at: datetime.datetime | None = None,
    client_id: uuid.UUID | None = None,
) -> ObservationNote:
    """A timestamped note. With ``client_id``, sending the same note again stores it once."""
    if existing := _already_saved(ObservationNote, observation, client_id):
        return existing
    return _save_once(
        ObservationNote(
            observation=observation,
            text=text,
            noted_at=noted_at or timezone.now(),
            client_id=client_id,
        ),
        observation,
    )


@transaction.atomic
def observation_add_sweep(
    *,
    observation: Observation,
    phase: str,
    engaged_count: int,
    present_count: int,
    taken_at: datetime.datetime | None = None,
    client_id: uuid.UUID | None = None,
) -> EngagementSample:
    """Record an engagement sweep: ``engaged_count`` of ``present_count`` students."""
    if existing := _already_saved(EngagementSample, observation, client_id):
        return existing
    return _save_once(
        EngagementSample(
            observation=observation,
            phase=phase,
            engaged_count=engaged_count,
            present_count=present_count,
            taken_at=taken_at or timezone.now(),
            client_id=client_id,
        ),
        observation,
    )


def _checked_components(
    observation: Observation,
    components: Iterable[Component | int] | None,
    *,
    drop_invalid: bool = False,
) -> list[Component]:
    """The components, each of the teacher's district's active framework; else a field error
    (or, with ``drop_invalid``, the others are left out and logged)."""
    wanted = {c.pk if isinstance(c, Component) else int(c) for c in components or ()}
    if not wanted:
        return []
    district_id = (
        Teacher.objects.filter(pk=observation.teacher_id)
        .values_list("school__district_id", flat=True)
        .first()
    )
    allowed = list(active_components(district_id=district_id).filter(pk__in=wanted))
    if len(allowed) != len(wanted) and drop_invalid:
        logger.warning(
            "Evidence for observation %s saved without components %s: not of the district's "
            "active framework (changed since the entry was made).",
            observation.pk,
            sorted(wanted - {c.pk for c in allowed}),
        )
    elif len(allowed) != len(wanted):
        raise ValidationError(
            {
                "components": "Tag with components of your district's active framework only "
                "(reload the page if the framework changed)."
            }
        )
    return allowed


@transaction.atomic
def observation_add_evidence(
    *,
    observation: Observation,
    kind: str,
    description: str,
    noted_at: datetime.datetime | None = None,
    client_id: uuid.UUID | None = None,
    components: Iterable[Component | int] | None = None,
) -> StudentEvidence:
    """What students said, produced or understood, optionally tagged with components of the
    teacher's district's active framework.

    An entry with ``client_id`` may have been made offline and sent after the district switched
    frameworks: evidence is never lost for a tag, so components no longer valid are left out
    (and logged) and the evidence is saved. A fresh entry without an id gets a field error."""
    if existing := _already_saved(StudentEvidence, observation, client_id):
        return existing
    tags = _checked_components(observation, components, drop_invalid=client_id is not None)
    evidence = _save_once(
        StudentEvidence(
            observation=observation,
            kind=kind,
            description=description,
            noted_at=noted_at or timezone.now(),
            client_id=client_id,
        ),
        observation,
    )
    if tags:
        evidence.components.set(tags)
    return evidence


@transaction.atomic
def student_evidence_set_components(
    *, evidence: StudentEvidence, components: Iterable[Component | int]
) -> StudentEvidence:
    """Replace the evidence's component tags (the change is kept in its history)."""
    tags = _checked_components(evidence.observation, components)
    evidence.components.set(tags)
    return evidence
