"""Shared write helper: validate fully, then save, turning a lost race into a validation error."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction


def validated_save(instance: models.Model, *, exclude: list[str] | None = None) -> models.Model:
    """full_clean() (fields, clean(), unique and check constraints), then save.

    A constraint can still fail at the database when two requests race; that is reported as the
    same ValidationError a form shows, never as a 500.
    """
    instance.full_clean(exclude=exclude)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(
            "This change conflicts with another that was just saved; reload and try again."
        ) from exc
    return instance
