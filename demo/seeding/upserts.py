"""Upserts for the models without services (users, the district, schools, moves): by
natural key, validated, saved only when changed."""

import functools
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from accounts.models import User
from demo import data as demo

M = TypeVar("M", bound=models.Model)


# --- Upserts for the models without services ----------------------------------------------


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[M, bool]:
    """Get by natural key or create; set ``values``; validate and save only when changed."""
    obj = model._default_manager.filter(**lookup).first()
    created = obj is None
    if obj is None:
        obj = model(**lookup)
    changed = created
    for name, value in values.items():
        if _current(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.full_clean()
        obj.save()
    return obj, created


def _current(obj: models.Model, name: str) -> Any:
    """A field's value; None for a relation not set yet (a new row)."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


@functools.cache
def _demo_password_hash() -> str:
    """Hash the shared demo password once per run: each hash costs a third of a second."""
    return make_password(demo.DEMO_PASSWORD)


def upsert_user(person: demo.PersonSpec, *, superuser: bool = False) -> tuple[User, bool]:
    """Users by username. A new account gets the demo password, names and email; an existing
    one keeps its password and only has blank names or email filled in."""
    user = User.objects.filter(username=person.username).first()
    created = user is None
    if user is None:
        user = User(username=person.username)
        user.password = _demo_password_hash()
    changed = created
    profile = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
    }
    for name, value in profile.items():
        if not getattr(user, name):
            setattr(user, name, value)
            changed = True
    if superuser and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        changed = True
    if changed:
        user.full_clean()
        user.save()
    return user, created
