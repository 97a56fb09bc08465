"""core.tracked: copies of Redis keys in this process, kept exact by Redis's invalidation pushes.

These run against the real Redis of the machine (127.0.0.1:6379, database 10, emptied), whatever
CACHE_URL the suite runs with: the reader exists for Redis alone.
"""

import time

import pytest
import redis
from django.core.cache import caches

from core import tracked

REDIS_URL = "redis://127.0.0.1:6379/10"  # a database of its own, emptied here
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def shared(settings):
    """A django-redis cache as the default, with tracked reads on."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL},
    }
    settings.TRACKED_CACHE_READS = True
    caches["default"].clear()
    yield caches["default"]
    redis.Redis.from_url(REDIS_URL).flushdb()


def _commands_sent(reader, monkeypatch) -> list[tuple]:
    """The commands the reader's connection sends to Redis from now on (still sent)."""
    sent: list[tuple] = []
    connection = reader._connection
    send = connection.send_command

    def recording(*args, **kwargs):
        sent.append(args)
        return send(*args, **kwargs)

    monkeypatch.setattr(connection, "send_command", recording)
    return sent


def _another_client_sets(cache, key: str, value) -> None:
    """A write by another process: through a connection of its own, not this cache's."""
    other = redis.Redis.from_url(REDIS_URL)
    other.set(cache.client.make_key(key), cache.client.encode(value))


def _read_until(reader, key: str, expected, seconds: float = 2.0):
    """Read until ``expected`` shows (an invalidation travels asynchronously to the socket)."""
    deadline = time.monotonic() + seconds
    while True:
        found = reader.get_many([key]).get(key)
        if found == expected or time.monotonic() > deadline:
            return found
        time.sleep(0.01)


def test_a_key_read_again_unchanged_costs_no_round_trip(shared, monkeypatch):
    shared.set("dv:school:1", "a1b2")
    reader = tracked.reader()

    assert reader.get_many(["dv:school:1"]) == {"dv:school:1": "a1b2"}
    sent = _commands_sent(reader, monkeypatch)
    for _ in range(5):
        assert reader.get_many(["dv:school:1"]) == {"dv:school:1": "a1b2"}

    assert sent == []


def test_a_write_by_another_client_is_seen_on_the_next_read(shared):
    shared.set("dv:school:1", "old")
    reader = tracked.reader()
    assert reader.get_many(["dv:school:1"])["dv:school:1"] == "old"

    _another_client_sets(shared, "dv:school:1", "new")
    # Redis pushed the invalidation before it answered the write: it is already here.
    assert reader.get_many(["dv:school:1"])["dv:school:1"] == "new"


def test_a_deleted_key_is_not_found_again(shared):
    shared.set("session:abc", {"user": 1})
    reader = tracked.reader()
    assert reader.get_many(["session:abc"]) == {"session:abc": {"user": 1}}

    redis.Redis.from_url(REDIS_URL).delete(shared.client.make_key("session:abc"))

    assert reader.get_many(["session:abc"]) == {}


def test_an_expired_key_is_not_found_again(shared):
    shared.set("session:short", "x", timeout=0.2)
    reader = tracked.reader()
    assert reader.get_many(["session:short"]) == {"session:short": "x"}

    time.sleep(0.3)

    assert _read_until(reader, "session:short", None) is None


def test_emptying_the_cache_drops_every_copy(shared):
    shared.set_many({"dv:global": "g1", "dv:user:7": "u1"})
    reader = tracked.reader()
    assert reader.get_many(["dv:global", "dv:user:7"]) == {"dv:global": "g1", "dv:user:7": "u1"}

    redis.Redis.from_url(REDIS_URL).flushdb()

    assert reader.get_many(["dv:global", "dv:user:7"]) == {}


def test_this_processs_own_write_is_seen_at_once(shared):
    reader = tracked.reader()
    shared.set("dv:school:2", "v1")
    assert reader.get_many(["dv:school:2"])["dv:school:2"] == "v1"

    shared.set("dv:school:2", "v2")
    reader.forget(["dv:school:2"])

    assert reader.get_many(["dv:school:2"])["dv:school:2"] == "v2"


def test_a_missing_key_is_read_from_redis_each_time_until_it_exists(shared):
    reader = tracked.reader()
    assert reader.get_many(["dv:school:3"]) == {}

    shared.set("dv:school:3", "now")

    assert reader.get_many(["dv:school:3"]) == {"dv:school:3": "now"}


def test_copies_older_than_max_age_are_read_again(shared, monkeypatch):
    shared.set("dv:school:4", "v")
    reader = tracked.reader()
    reader.get_many(["dv:school:4"])
    monkeypatch.setattr(tracked, "MAX_AGE", 0.0)
    sent = _commands_sent(reader, monkeypatch)

    assert reader.get_many(["dv:school:4"]) == {"dv:school:4": "v"}

    assert [command[0] for command in sent] == ["MGET"]


def test_with_redis_down_a_read_fails_and_nothing_is_kept(shared, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": DEAD_REDIS},
    }
    reader = tracked.reader()

    with pytest.raises(redis.exceptions.ConnectionError):
        reader.get_many(["dv:global"])
    assert reader._connection is None


def test_no_reader_without_redis_or_when_turned_off(shared, settings):
    settings.TRACKED_CACHE_READS = False
    assert tracked.reader() is None

    settings.TRACKED_CACHE_READS = True
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    assert tracked.reader() is None
