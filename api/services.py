"""Writes of the api app: API tokens (django-rest-knox: only a hash of each is stored)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from knox.models import AuthToken
from knox.settings import knox_settings

from accounts.models import User
from api.selectors import api_tokens_of

TOO_MANY = "You have {limit} tokens already: revoke one you no longer use first."


@transaction.atomic
def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new token for ``user``, valid for REST_KNOX["TOKEN_TTL"]. Returns the row and the
    token itself, which is shown once and never stored (only its hash is)."""
    if not user.is_active:
        raise ValidationError("A deactivated account gets no token.")
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    # Lock the user's row: two clicks at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if limit is not None and api_tokens_of(user=user).count() >= limit:
        raise ValidationError(TOO_MANY.format(limit=limit))
    return AuthToken.objects.create(user=user)


@transaction.atomic
def api_token_revoke(*, user: User, token_key: str) -> int:
    """Revoke one of the user's own tokens (by its key, the first characters shown on the
    tokens page). Returns how many were revoked (0: none of theirs has that key, or the key is
    not one: a token's key is letters and digits, so anything else, a NUL included, which
    PostgreSQL refuses in a query, never reaches the database)."""
    if not (token_key.isascii() and token_key.isalnum()):
        return 0
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted


@transaction.atomic
def api_tokens_revoke_all(*, user: User) -> int:
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted
