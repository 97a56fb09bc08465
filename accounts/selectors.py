"""Reads about accounts: whose calendar feed a secret token opens."""

import hashlib

from django.db.models.functions import Lower

from accounts.models import CalendarFeed, User

# token_urlsafe(32) gives 43 characters; anything much longer is not a token of ours.
_TOKEN_MAX_LENGTH = 100


def calendar_token_hash(token: str) -> str:
    """What is stored of a feed's token: its SHA-256, hex. A fast hash is enough for a random
    256-bit secret (nothing to guess, unlike a password)."""
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_user(*, token: str) -> User | None:
    """The active user whose current feed token is ``token``, else None (an unknown, renewed or
    revoked token, or a deactivated account). One query."""
    if not token or len(token) > _TOKEN_MAX_LENGTH:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=calendar_token_hash(token), user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def user_by_email(*, email: str) -> User | None:
    """The user whose email address is ``email``, case-insensitively (at most one: the
    addresses are unique that way), active or not; None for an empty address. Single sign-on
    matches people with it (accounts.sso)."""
    email = email.strip()
    if not email:
        return None
    return (
        User.objects.annotate(email_lower=Lower("email")).filter(email_lower=email.lower()).first()
    )


def calendar_feed_of(*, user: User) -> CalendarFeed | None:
    """The user's feed (never its token: only the hash is kept), or None."""
    return CalendarFeed.objects.filter(user=user).first()
