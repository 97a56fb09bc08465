"""Reads of the api app."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import User


def api_tokens_of(*, user: User) -> QuerySet[AuthToken]:
    """The user's tokens that still work (not expired), newest first."""
    return AuthToken.objects.filter(
        Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()), user=user
    ).order_by("-created", "token_key")
