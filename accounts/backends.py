"""Sign-in backend: Django's ModelBackend, with the signed-in user read from a cache.

Every request of a signed-in person loads their user row. With ``VERSIONED_CACHE`` on, the row
is kept in the process's memory under the user's data version (core.page_cache), which any
save or deletion of the user bumps (accounts.receivers): one shared-cache lookup instead of a
query, and a deactivated or changed user is read afresh on their next request. Django still
checks the session's password hash against the user it returns, as with ModelBackend.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches

from core import page_cache

logger = logging.getLogger(__name__)


class VersionedCacheModelBackend(ModelBackend):
    def get_user(self, user_id):
        if not page_cache.enabled():
            return super().get_user(user_id)
        try:
            scope = page_cache.user_scope(int(user_id))
            version = page_cache.data_versions(scopes=[scope])[scope]
            key = f"user:{int(user_id)}:{version}"
            user = caches["local"].get(key)
        except Exception:  # a cache outage: read the row
            logger.exception("User cache unavailable")
            return super().get_user(user_id)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            caches["local"].set(key, user, settings.PAGE_CACHE_TIMEOUT)
        user.data_version = version
        return user
