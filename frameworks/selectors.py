"""Reads of frameworks: who may manage which, a framework with its parts, and the components a
teacher's evidence may be tagged with.

Framework pages are for administrators of a district (an active Administrator membership for
the district) and superusers; anyone else gets a 404, as coaching.access does."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from accounts.models import User
from frameworks.models import Component, Domain, Framework
from teachers.models import District, Membership, Role


def framework_districts_for(*, user: User) -> QuerySet[District]:
    """The districts whose frameworks ``user`` manages (every district for a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return District.objects.none()
    if user.is_superuser:
        return District.objects.all()
    return District.objects.filter(
        pk__in=Membership.objects.filter(
            user=user, role=Role.ADMINISTRATOR, is_active=True, district__isnull=False
        ).values("district")
    )


def may_manage_frameworks(*, user: User) -> bool:
    return bool(user.is_authenticated and user.is_active) and (
        user.is_superuser or framework_districts_for(user=user).exists()
    )


def frameworks_for(user: User) -> QuerySet[Framework]:
    """The frameworks of the districts ``user`` manages, with their district and counts."""
    return (
        Framework.objects.filter(district__in=framework_districts_for(user=user))
        .select_related("district")
        .annotate(
            domain_count=Count("domains", distinct=True),
            component_count=Count("domains__components", distinct=True),
            level_count=Count("levels", distinct=True),
        )
        .order_by("district__name", "-is_active", "name")
    )


def framework_get_for_user(*, user: User, framework_id: int) -> Framework:
    """A framework the user manages, with its domains, components and levels; else 404."""
    found = (
        frameworks_for(user)
        .prefetch_related(
            Prefetch(
                "domains",
                queryset=Domain.objects.prefetch_related(
                    Prefetch("components", queryset=Component.objects.order_by("position", "code"))
                ).order_by("position", "code"),
            ),
            "levels",
        )
        .filter(pk=framework_id)
        .first()
    )
    if found is None:
        raise Http404("No such framework.")
    return found


def active_components(*, district_id: int | None) -> QuerySet[Component]:
    """The components of the district's active framework, in the framework's order."""
    if district_id is None:
        return Component.objects.none()
    return (
        Component.objects.filter(
            domain__framework__district_id=district_id, domain__framework__is_active=True
        )
        .select_related("domain")
        .order_by("domain__position", "position", "code")
    )


def components_of_active_frameworks() -> QuerySet[Component]:
    """Components of every district's active framework (the admin's choices for moves)."""
    return (
        Component.objects.filter(domain__framework__is_active=True)
        .select_related("domain__framework__district")
        .order_by("domain__framework__district__name", "domain__position", "position", "code")
    )
