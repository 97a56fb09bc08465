"""Reads about schools, people and roles."""

from accounts.models import User
from teachers.models import Membership

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
