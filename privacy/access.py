"""Who may erase which teacher: an administrator of the teacher's district (an active
Administrator role there), or a superuser. Anyone else gets a 404 for the teacher, as
everywhere in the app (never a sign that the teacher exists)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from rosters.selectors import districts_administered
from teachers.models import District, Teacher


def may_erase_teachers(*, user: User) -> bool:
    return user.is_authenticated and districts_administered(user=user).exists()


def teachers_erasable_by(*, user: User) -> QuerySet[Teacher]:
    return Teacher.objects.filter(school__district__in=districts_administered(user=user))


def teacher_get_for_erasure(*, user: User, teacher_id: int) -> Teacher:
    return get_object_or_404(
        teachers_erasable_by(user=user).select_related("school__district", "user"),
        pk=teacher_id,
    )


def district_get_for_retention(*, user: User, district_id) -> District:
    """One of the districts ``user`` administers, or 404 (any other id, or no id at all)."""
    try:
        pk = int(district_id)
    except (TypeError, ValueError):
        raise Http404("No such district.") from None
    return get_object_or_404(districts_administered(user=user), pk=pk)
