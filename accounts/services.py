"""Writes about accounts: the private calendar feed's secret link."""

import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import CalendarFeed, User
from accounts.selectors import calendar_token_hash
from core.validation import validated_save

# 32 random bytes: 43 URL-safe characters, far beyond guessing.
CALENDAR_TOKEN_BYTES = 32


@transaction.atomic
def calendar_feed_renew(*, user: User) -> str:
    """Make the user's calendar feed link, or a new one in place of the old (which stops working
    at once). Returns the secret token: the only time it is known, as only its hash is kept."""
    token = secrets.token_urlsafe(CALENDAR_TOKEN_BYTES)
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed(user=user)
    feed.token_hash = calendar_token_hash(token)
    feed.created_at = timezone.now()
    validated_save(feed)
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> bool:
    """Stop the user's calendar feed: its link gives 404 from now on. Whether there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
