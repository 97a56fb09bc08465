"""Reads about schools, people and roles."""

from django.db.models import Q

from accounts.models import User
from teachers.models import Membership, School

_ROLES_ATTR = "_coaching_roles"


def user_roles(*, user: User) -> frozenset[str]:
    """The roles this user holds through active memberships (memoised on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _ROLES_ATTR, None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True)
        )
        setattr(user, _ROLES_ATTR, cached)
    return cached


def user_time_zone(*, user: User) -> str | None:
    """The time zone of the user's school: the teacher's own school, else the first school of
    an active membership (district-wide roles: the first school of the district)."""
    own = School.objects.filter(teachers__user=user)
    member = School.objects.filter(
        Q(memberships__user=user, memberships__is_active=True)
        | Q(district__memberships__user=user, district__memberships__is_active=True)
    )
    for schools in (own, member):
        name = schools.order_by("name").values_list("time_zone", flat=True).first()
        if name:
            return name
    return None
