"""Erasing: a teacher (everything written about them), or, by the district's retention
setting, the cycles closed longer ago than it keeps. Texts become "erased" or their rows are
removed; the rows that carry counts stay, so every count (cycles, visits, sweeps, minutes,
outcomes) and so every dashboard stays as it was. The rows are those privacy.graph finds
(history tables included); a record says what was erased, when, and (for a teacher) by whom."""

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
from privacy.graph import account_rows, cycle_lookups, cycle_rows, teacher_lookups, teacher_rows
from privacy.models import CycleErasure, Erasure
from teachers.models import District, Teacher

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
    "notifications.Reminder",
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


# --- Retention -----------------------------------------------------------------------------------


@transaction.atomic
def district_retention_set(*, district: District, years: int | None) -> District:
    """How many years of coaching content ``district`` keeps (None: for ever)."""
    district = District.objects.select_for_update().get(pk=district.pk)
    district.retention_years = years
    return validated_save(district)


@transaction.atomic
def cycle_content_erase(*, cycle_id: int) -> CycleErasure | None:
    """Erase what was written in one cycle (its rows found by privacy.graph.cycle_lookups, and
    its assessment), keep its counts, and record it. Idempotent: a cycle erased before, or gone,
    is left alone (None)."""
    cycle_model = apps.get_model("coaching", "CoachingCycle")
    cycle = (
        cycle_model.objects.select_for_update()
        .select_related("teacher__school")
        .filter(pk=cycle_id)
        .first()
    )
    if cycle is None or CycleErasure.objects.filter(cycle_id=cycle_id).exists():
        return None
    counts: dict[str, int] = {}
    for label in REMOVED:
        model = apps.get_model(label)
        rows = cycle_rows(model, [cycle_id])
        _remove_files(model, rows)
        pks = list(rows.values_list("pk", flat=True))
        _forget_in_admin_log(model, pks)
        counts[label] = model._default_manager.filter(pk__in=pks).delete()[1].get(label, 0)
    for model in sorted(cycle_lookups(), key=lambda m: m._meta.label):
        if model._meta.label in REMOVED:
            continue
        counts[model._meta.label] = _erase_rows(cycle_rows(model, [cycle_id]))
    assessment = apps.get_model("coaching", "Assessment")
    if (
        cycle.assessment_id
        and not cycle_model.objects.filter(
            assessment_id=cycle.assessment_id, content_erasure__isnull=True
        )
        .exclude(pk=cycle_id)
        .exists()
    ):
        counts["coaching.Assessment"] = _erase_rows(
            assessment.objects.filter(pk=cycle.assessment_id)
        )
        counts["coaching.HistoricalAssessment"] = _erase_rows(
            assessment.history.model.objects.filter(id=cycle.assessment_id)
        )
    page_cache.data_versions_bump(
        scopes={page_cache.school_scope(cycle.teacher.school_id), page_cache.GLOBAL}
    )
    return CycleErasure.objects.create(
        cycle=cycle,
        district_id=cycle.teacher.school.district_id,
        erased_at=timezone.now(),
        rows={label: n for label, n in sorted(counts.items()) if n},
    )


def retention_apply(*, today=None, limit: int = 500) -> dict[str, int]:
    """The retention job (every 6 hours): in every district that keeps content for a number
    of years, erase the texts of the cycles closed before that (at most ``limit`` cycles a run;
    the rest at the next). Returns the cycles erased by district slug."""
    from privacy.selectors import cycles_past_retention

    done: dict[str, int] = {}
    for district in District.objects.filter(retention_years__isnull=False).order_by("pk"):
        ids = list(
            cycles_past_retention(district=district, today=today).values_list("pk", flat=True)[
                : max(limit - sum(done.values()), 0)
            ]
        )
        erased = sum(1 for pk in ids if cycle_content_erase(cycle_id=pk) is not None)
        if erased:
            done[district.slug] = erased
    return done
