from django.http import HttpRequest

from teachers.selectors import user_roles


def navigation(request: HttpRequest) -> dict:
    """The signed-in user's roles, so the navigation shows only the pages they can use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": frozenset()}
    return {"nav_roles": user_roles(user=user)}
