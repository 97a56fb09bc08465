"""Session engine: Django's ``cached_db`` that keeps working while the cache is down.

Django's ``cached_db`` already falls back to the database when reading the cache fails, but
then writes the session back to the cache outside its ``try``, so with the cache unreachable
every signed-in request fails. Here reading and refilling the cache are both allowed to fail
(logged): the session comes from the database. Deleting a session (signing out) still fails
loudly when the cache cannot forget it, so a signed-out session never lives on in the cache.
"""

import logging

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
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

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except Exception:  # the cache: ask the database alone
            return bool(session_key) and self.model.objects.filter(session_key=session_key).exists()
