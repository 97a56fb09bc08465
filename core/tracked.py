"""Process-local copies of a few shared-cache keys that Redis keeps exact: Redis
server-assisted client-side caching (RESP3 ``CLIENT TRACKING``,
https://redis.io/docs/latest/develop/reference/client-side-caching/).

Each process opens one connection of its own to the shared cache's Redis, says ``HELLO 3`` and
``CLIENT TRACKING ON``, and reads keys through it. From then on Redis pushes an *invalidation*
on that connection whenever one of the keys it served there is written, deleted, expires or is
evicted, by any client. Before every read the connection's pending pushes are taken in (a
``poll`` with no wait, no round trip) and the keys they name are dropped, so a copy is used
only while no change to its key has reached this process. Redis sends the push before it
answers the write, so anything that follows a write (the redirect after a POST, the next
request of a deactivated user) finds the push already here.

Used for what every signed-in request reads and almost never changes: the session and the
data versions of ``core.page_cache`` (``core.sessions``). A page served from the page cache then
costs no round trip at all. A copy is also dropped after ``MAX_AGE`` seconds whatever happens,
and after any error the process forgets everything and reconnects on the next read.

Redis 6 and later implement tracking; redis-py's own client-side cache (``cache_config``)
refuses servers older than 7.4, which is why this small reader exists. It serves only when the
shared cache is django-redis (``CACHE_URL=redis://...``); otherwise ``reader()`` is ``None``
and callers read the cache as usual.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver

logger = logging.getLogger(__name__)

MAX_AGE = 30.0  # seconds a copy may serve at most, pushes or not
MAX_KEYS = 20_000  # copies kept per process; beyond this all are dropped


class TrackedReader:
    """Reads keys of a django-redis cache through a tracked connection of this process."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._connection = None
        self._copies: dict[Any, tuple[float, Any]] = {}  # redis key -> (read at, raw value)

    # --- the connection -------------------------------------------------------------------

    def _connect(self):
        client = caches[self.alias].client
        pool = client.get_client(write=False).connection_pool
        kwargs = {**pool.connection_kwargs, "protocol": 3}
        for unknown in ("cache", "cache_config"):
            kwargs.pop(unknown, None)
        connection = pool.connection_class(**kwargs)
        connection.connect()
        connection._parser.set_invalidation_push_handler(self._invalidated)
        connection.send_command("CLIENT", "TRACKING", "ON")
        if connection.read_response() not in (b"OK", "OK"):
            raise RuntimeError("Redis refused CLIENT TRACKING")
        return connection

    def _ready_connection(self):
        if self._connection is None or self._pid != os.getpid():
            # A forked child must not share its parent's socket: start afresh.
            self._copies.clear()
            self._connection = None
            self._connection = self._connect()
            self._pid = os.getpid()
        return self._connection

    def _invalidated(self, push: list) -> None:
        keys = push[1] if len(push) > 1 else None
        if keys is None:  # FLUSHALL / FLUSHDB: everything goes
            self._copies.clear()
            return
        for key in keys:
            self._copies.pop(key, None)
            if isinstance(key, bytes):
                self._copies.pop(key.decode(), None)

    def _drain(self, connection) -> None:
        while connection.can_read(timeout=0):
            connection.read_response(push_request=True)

    def _reset(self) -> None:
        self._copies.clear()
        if self._connection is not None:
            with contextlib.suppress(Exception):  # already broken
                self._connection.disconnect()
        self._connection = None

    # --- reading ---------------------------------------------------------------------------

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """Like the cache's ``get_many``: the keys found, decoded. Raises when Redis fails
        (after forgetting every copy), as the cache itself would."""
        client = caches[self.alias].client
        redis_keys = [str(client.make_key(key)) for key in keys]
        with self._lock:
            try:
                connection = self._ready_connection()
                self._drain(connection)
                now = time.monotonic()
                raw: dict[str, Any] = {}
                missing = []
                for key in redis_keys:
                    copy = self._copies.get(key)
                    if copy is not None and now - copy[0] < MAX_AGE:
                        raw[key] = copy[1]
                    else:
                        missing.append(key)
                if missing:
                    connection.send_command("MGET", *missing)
                    values = connection.read_response()
                    if len(self._copies) + len(missing) > MAX_KEYS:
                        self._copies.clear()
                    for key, value in zip(missing, values, strict=True):
                        raw[key] = value
                        if value is not None:  # absent keys are read again next time
                            self._copies[key] = (now, value)
            except Exception:
                self._reset()
                raise
        found = {}
        for key, redis_key in zip(keys, redis_keys, strict=True):
            value = raw.get(redis_key)
            if value is not None:
                found[key] = client.decode(value)
        return found

    def forget(self, keys: list[str]) -> None:
        """Drop this process's copies of keys it has just written (their push may still be on
        its way)."""
        client = caches[self.alias].client
        with self._lock:
            for key in keys:
                self._copies.pop(str(client.make_key(key)), None)


_readers: dict[str, TrackedReader] = {}


def reader(alias: str = "default") -> TrackedReader | None:
    """The tracked reader of cache ``alias``, or ``None`` when it is not django-redis or
    ``TRACKED_CACHE_READS`` is off."""
    if not getattr(settings, "TRACKED_CACHE_READS", False):
        return None
    backend = settings.CACHES[alias]["BACKEND"]
    if backend != "django_redis.cache.RedisCache":
        return None
    found = _readers.get(alias)
    if found is None:
        found = _readers[alias] = TrackedReader(alias)
    return found


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs) -> None:
    """Tests that point the cache elsewhere get readers of the new one."""
    if setting in ("CACHES", "TRACKED_CACHE_READS"):
        for found in _readers.values():
            with found._lock:
                found._reset()
        _readers.clear()
