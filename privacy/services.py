"""Erasing a teacher: everything written about them replaced by "erased" or removed, the rows
themselves kept so that every count (cycles, visits, sweeps, minutes, outcomes) and so every
dashboard stays as it was. The rows are those privacy.graph finds (history tables included);
one record (privacy.models.Erasure) says who erased whom and when."""

from __future__ import annotations

import logging

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from core import page_cache
from core.validation import validated_save
from privacy.graph import account_rows, teacher_lookups, teacher_rows
from privacy.models import Erasure
from teachers.models import Teacher

logger = logging.getLogger(__name__)

ERASED = "erased"
# Rows removed rather than emptied: derived (a context brief is rebuilt from the rest) or
# nothing without their text and file (a clip, its comments with it). No figure counts them.
REMOVED = ("coaching.ContextBrief", "clips.Clip")
# Account records removed: sign-in addresses and links, calendar links, API tokens, the log
# of reminders sent to them (it keys each by their address).
ACCOUNT_REMOVED = (
    "account.EmailAddress",
    "socialaccount.SocialAccount",
    "accounts.CalendarFeed",
    "knox.AuthToken",
    "coaching.Reminder",
)


def _free_text_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields that hold what someone wrote: text without a fixed list of choices, and
    JSON. Choices (need area, state, outcome, kind...), numbers and dates are what figures
    count, and stay."""
    keys = {  # a field of a unique key is an identifier, not something written about anyone
        name
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        for name in constraint.fields
    } | {name for together in model._meta.unique_together for name in together}
    return [
        f
        for f in model._meta.concrete_fields
        if not f.is_relation
        and not f.choices
        and not f.unique
        and f.name not in keys
        and (isinstance(f, models.CharField | models.TextField | models.JSONField))
    ]


def _erase_rows(queryset) -> int:
    """Replace every non-empty free text of the rows by "erased" (an email by nothing, a JSON
    value by its empty default); return how many rows were changed."""
    model = queryset.model
    pks = list(queryset.values_list("pk", flat=True))
    if not pks:
        return 0
    rows = model._default_manager.filter(pk__in=pks)
    for field in _free_text_fields(model):
        if field.name == "history_change_reason":
            rows.update(history_change_reason=None)
        elif isinstance(field, models.JSONField):
            rows.update(**{field.name: field.get_default()})
        elif isinstance(field, models.EmailField):
            rows.update(**{field.name: ""})
        else:
            rows.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True}).update(
                **{field.name: ERASED}
            )
    for field in model._meta.concrete_fields:
        if isinstance(field, models.FileField):
            rows.update(**{field.name: ""})
    return len(pks)


def _forget_in_admin_log(model: type[models.Model], pks: list) -> None:
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    entries = LogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in pks]
    )
    entries.update(object_repr=ERASED, change_message="")


def _remove_files(model: type[models.Model], queryset) -> None:
    """Delete the stored files of the rows once the erasure is committed."""
    files = [
        (getattr(obj, field.name).storage, getattr(obj, field.name).name)
        for obj in queryset
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and getattr(obj, field.name)
    ]

    def remove() -> None:
        for storage, name in files:
            try:
                storage.delete(name)
            except Exception:  # a file already gone, or storage down: logged, never fatal
                logger.exception("Could not delete %s after an erasure", name)

    transaction.on_commit(remove)


def _erase_account(user: User, counts: dict[str, int]) -> str:
    username = user.username
    for label in ACCOUNT_REMOVED:
        model = apps.get_model(label)
        counts[label] = account_rows(model, user.pk).delete()[0]
    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
        model = apps.get_model(label)
        counts[label] = model.objects.filter(username=username).delete()[0]
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.sourced_id = None
    user.is_active = False
    user.set_unusable_password()
    user.save()  # bumps the user's data version: no cached copy signs them in again
    _forget_in_admin_log(User, [user.pk])
    counts["accounts.User"] = 1
    return username


@transaction.atomic
def teacher_erase(*, teacher: Teacher, by: User) -> Erasure:
    """Erase ``teacher``: see the module's docstring. Refused for a teacher erased before."""
    teacher = Teacher.objects.select_for_update().select_related("school").get(pk=teacher.pk)
    if Erasure.objects.filter(teacher=teacher).exists():
        raise ValidationError("This teacher's data was erased already.")
    counts: dict[str, int] = {}
    lookups = teacher_lookups()
    for label in REMOVED:
        model = apps.get_model(label)
        rows = teacher_rows(model, teacher.pk)
        _remove_files(model, rows)
        pks = list(rows.values_list("pk", flat=True))
        _forget_in_admin_log(model, pks)
        counts[label] = model._default_manager.filter(pk__in=pks).delete()[1].get(label, 0)
    for model in sorted(lookups, key=lambda m: m._meta.label):
        label = model._meta.label
        if label in REMOVED or model is Teacher:
            continue
        rows = teacher_rows(model, teacher.pk)
        _forget_in_admin_log(model, list(rows.values_list("pk", flat=True)))
        counts[label] = _erase_rows(rows)
    Teacher.objects.filter(pk=teacher.pk).update(
        first_name="Erased", last_name=f"teacher #{teacher.pk}", email="", subject=""
    )
    _forget_in_admin_log(Teacher, [teacher.pk])
    counts["teachers.Teacher"] = 1
    if teacher.user_id:
        _erase_account(User.objects.get(pk=teacher.user_id), counts)
    page_cache.data_versions_bump(
        scopes={page_cache.school_scope(teacher.school_id), page_cache.GLOBAL}
    )
    return validated_save(
        Erasure(
            teacher=teacher,
            district=teacher.school.district,
            erased_by=by,
            erased_by_username=by.username,
            erased_at=timezone.now(),
            rows={label: n for label, n in sorted(counts.items()) if n},
        )
    )
