"""Reads of roster imports: who may see which, and how far a running one has got.

Roster pages are for administrators (an active Administrator membership for a district) and
superusers; an administrator sees the imports of their own districts only."""

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from rosters.models import RosterImport
from teachers.models import District, Membership, Role

PROGRESS_KEY = "rosters:progress:{}"


def districts_administered(*, user: User) -> QuerySet[District]:
    """The districts whose rosters ``user`` may import (every district for a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return District.objects.none()
    if user.is_superuser:
        return District.objects.all()
    return District.objects.filter(
        pk__in=Membership.objects.filter(
            user=user, role=Role.ADMINISTRATOR, is_active=True, district__isnull=False
        ).values("district")
    )


def may_import_rosters(*, user: User) -> bool:
    return bool(user.is_authenticated and user.is_active) and (
        user.is_superuser or districts_administered(user=user).exists()
    )


def roster_imports_for(*, user: User) -> QuerySet[RosterImport]:
    """The imports ``user`` may see, newest first (without the uploaded bytes)."""
    imports = RosterImport.objects.select_related("district", "created_by").defer("file_data")
    if user.is_superuser and user.is_active:
        return imports
    return imports.filter(district__in=districts_administered(user=user))


def roster_import_get_for_user(*, user: User, import_id: int) -> RosterImport:
    found = roster_imports_for(user=user).filter(pk=import_id).first()
    if found is None:
        raise Http404("No such roster import.")
    return found


def roster_import_progress(*, roster_import: RosterImport) -> int:
    """Rows done so far: the database's figure, or, while the import's transaction runs, the
    figure it keeps in the cache."""
    cached = cache.get(PROGRESS_KEY.format(roster_import.pk)) or 0
    return max(roster_import.processed, min(cached, roster_import.total))


def roster_import_percent(*, roster_import: RosterImport) -> int:
    if roster_import.is_finished:
        return 100
    if not roster_import.total:
        return 0
    done = roster_import_progress(roster_import=roster_import)
    return min(100, int(100 * done / roster_import.total))
