"""Which rows are about a teacher, found from the models themselves.

A row is about a teacher when a chain of foreign keys leads from it to the teacher's profile
(``teachers.Teacher``): their cycles, assessments, problems, moves, sessions, debriefs,
reflections, revisits, briefs, time entries, observations with their notes, sweeps and
evidence, clips and comments, and the history of each. The chain is read from the models, so a
model added later is covered without editing this file. The teacher's account (``accounts.User``)
is about them too, with the rows listed in ``ACCOUNT_MODELS``; every other model that refers to
an account is listed in ``NOT_ABOUT_THE_TEACHER`` with the reason (a test checks that the two
lists cover every such model). A model referring to a teacher is left out only when listed in
``NOT_TEACHER_DATA`` with the reason.
"""

from __future__ import annotations

from collections import deque
from functools import cache

from django.apps import apps
from django.db.models import Model, Q

# Models referring to an account whose rows are about that person: exported with their
# account, and removed or emptied when they are erased.
ACCOUNT_MODELS = {
    "teachers.Membership": "their roles",
    "account.EmailAddress": "their email addresses for signing in",
    "socialaccount.SocialAccount": "their single sign-on link",
    "accounts.CalendarFeed": "their calendar link (the secret itself is never stored)",
    "knox.AuthToken": "their API tokens (the secret itself is never stored)",
    "notifications.Reminder": "the reminders sent to them",
}
# Models referring to an account whose rows are not about that person as a teacher.
NOT_ABOUT_THE_TEACHER = {
    "admin.LogEntry": "what they changed in the admin as staff",
    "rosters.RosterImport": "bundles they uploaded as an administrator",
    "teachers.CaseloadAssignment": "the coach of an assignment (the teacher's side is exported)",
    "observations.Observation": "visits they made as an observer (their own visits are exported)",
    "coaching.Assessment": "assessments they made as a coach (of them: exported)",
    "coaching.CoachingCycle": "cycles they coached (their own: exported)",
    "coaching.TimeEntry": "time they logged as a coach (time about them: exported)",
    "clips.Clip": "clips they uploaded of another teacher (clips of them: exported)",
    "clips.ClipComment": "comments on another teacher's clip (on theirs: exported)",
    "privacy.Erasure": "erasures they made as an administrator",
}
# Models referring to a teacher whose rows are not about what the teacher did or what was
# written about them.
NOT_TEACHER_DATA = {
    "privacy.Erasure": "the district's record that a teacher was erased (their id only)",
    "privacy.CycleErasure": "the district's record that a cycle's texts were erased after "
    "its retention period (counts only)",
}
# Fields never exported: secrets and stored files' bytes.
SECRET_FIELDS = {"password", "token_hash", "digest", "token_key", "upload_key", "file_data"}


def _is_history(model: type[Model]) -> bool:
    return model.__name__.startswith("Historical")


def _foreign_keys(model: type[Model]):
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not None and (f.many_to_one or f.one_to_one)
    ]


@cache
def teacher_lookups() -> dict[type[Model], tuple[str, ...]]:
    """Each model whose rows can be about a teacher, with the lookups from it to the
    teacher's id (one per foreign key that leads there, shortest chain first)."""
    return lookups_to("teachers.Teacher")


@cache
def cycle_lookups() -> dict[type[Model], tuple[str, ...]]:
    """Each model whose rows belong to a coaching cycle (its move, sessions, debriefs,
    reflections, revisits, brief, time, visits and clips, history included), with the lookups
    to the cycle's id."""
    return lookups_to("coaching.CoachingCycle")


def lookups_to(root_label: str) -> dict[type[Model], tuple[str, ...]]:
    root = apps.get_model(root_label)
    found: dict[type[Model], tuple[str, ...]] = {root: ("pk",)}
    queue = deque([root])
    models = apps.get_models()
    while queue:
        queue.popleft()
        for model in models:
            if model in found or model._meta.label in NOT_TEACHER_DATA:
                continue
            lookups = tuple(
                f"{f.name}__{found[f.related_model][0]}"
                for f in _foreign_keys(model)
                if f.related_model in found and f.related_model is not model
            )
            if lookups:
                found[model] = lookups
                queue.append(model)
    return found


def teacher_rows(model: type[Model], teacher_id: int):
    """The rows of ``model`` about the teacher."""
    return _rows(model, teacher_lookups()[model], [teacher_id])


def cycle_rows(model: type[Model], cycle_ids):
    """The rows of ``model`` that belong to the cycles ``cycle_ids`` (ids or a subquery)."""
    return _rows(model, cycle_lookups()[model], cycle_ids)


def _rows(model: type[Model], lookups: tuple[str, ...], ids):
    q = Q()
    for lookup in lookups:
        q |= Q(**{f"{lookup}__in": ids})
    return model._default_manager.filter(q).distinct().order_by("pk")


def account_rows(model: type[Model], user_id: int):
    fields = [
        f.name for f in _foreign_keys(model) if f.related_model._meta.label == "accounts.User"
    ]
    q = Q()
    for name in fields:
        q |= Q(**{name: user_id})
    return model._default_manager.filter(q).order_by("pk")


def account_models() -> list[type[Model]]:
    return [apps.get_model(label) for label in ACCOUNT_MODELS]


def models_referring_to_accounts() -> set[str]:
    """Every model (history aside) with a foreign key to an account."""
    return {
        model._meta.label
        for model in apps.get_models()
        if not _is_history(model)
        and model._meta.label != "teachers.Teacher"
        and any(f.related_model._meta.label == "accounts.User" for f in _foreign_keys(model))
    }
