"""Session engine: Django's ``cached_db`` that keeps working while the cache is down.

Django's ``cached_db`` already falls back to the database when reading the cache fails, but
then writes the session back to the cache outside its ``try``, so with the cache unreachable
every signed-in request fails. Here reading and refilling the cache are both allowed to fail
(logged): the session comes from the database. Deleting a session (signing out) still fails
loudly when the cache cannot forget it, so a signed-out session never lives on in the cache.

Loading a session also reads, in the same round trip, the data versions its cached pages were
last checked against (core.page_cache.session_reach), so serving a cached page costs
one round trip to the shared cache in all.
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db

from core import page_cache, tracked

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    prefetched: dict | None = None  # versions read with the session: {cache key: value}
    prefetched_keys: frozenset[str] = frozenset()

    def load(self):
        self.page_reach = page_cache.session_reach(self.session_key) if self.session_key else None
        keys = page_cache.reach_version_keys(self.page_reach) if self.page_reach else []
        try:
            found = self._read([self.cache_key, *keys])
            data = found.pop(self.cache_key, None)
            self.prefetched, self.prefetched_keys = found, frozenset(keys)
        except Exception:
            logger.warning("Session cache unavailable; reading the session from the database")
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        except Exception:
            logger.warning("Session cache unavailable; the session stays in the database only")
        return data

    def _read(self, keys: list[str]) -> dict:
        """From this process's tracked copies when the cache is Redis (core.tracked)."""
        reader = tracked.reader(settings.SESSION_CACHE_ALIAS)
        return reader.get_many(keys) if reader else self._cache.get_many(keys)

    def save(self, must_create=False):
        super().save(must_create=must_create)
        self._forget(self.cache_key)

    def delete(self, session_key=None):
        key = session_key or self.session_key
        super().delete(session_key)
        if key:
            self._forget(self.cache_key_prefix + key)

    def _forget(self, key: str) -> None:
        reader = tracked.reader(settings.SESSION_CACHE_ALIAS)
        if reader:
            reader.forget([key])

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except Exception:  # the cache: ask the database alone
            return bool(session_key) and self.model.objects.filter(session_key=session_key).exists()

    def read_versions(self, keys: list[str]) -> dict:
        """Version keys as read with the session when these are the ones it read, else from
        the cache now (core.page_cache.data_versions's ``read``)."""
        if self.prefetched is not None and frozenset(keys) == self.prefetched_keys:
            return {key: self.prefetched[key] for key in keys if key in self.prefetched}
        return self._read(keys)
