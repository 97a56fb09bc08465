"""The sign-in backend (accounts.backends): the signed-in user read from the process's cache
under their data version, afresh after any save, and from the database when the cache fails."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import VersionedCacheModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _user_reads(queries: CaptureQueriesContext) -> int:
    return sum('FROM "accounts_user"' in q["sql"] for q in queries.captured_queries)


def _get_user(user_id: int):
    """The backend's user and how many times it read the user row."""
    with CaptureQueriesContext(connection) as queries:
        user = VersionedCacheModelBackend().get_user(user_id)
    return user, _user_reads(queries)


def test_the_next_request_reads_the_signed_in_user_from_the_process_cache(client):
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("home"))

    with CaptureQueriesContext(connection) as second:
        response = client.get(reverse("home"))

    assert response.status_code == 200
    assert _user_reads(first) == 1
    assert _user_reads(second) == 0


def test_the_user_is_read_once_and_then_from_the_process_cache():
    user = UserFactory(first_name="Ada")

    first, first_reads = _get_user(user.pk)
    again, again_reads = _get_user(user.pk)

    assert (first_reads, again_reads) == (1, 0)
    assert again.pk == user.pk
    assert again.first_name == "Ada"
    assert again.data_version == first.data_version != ""


def test_a_saved_user_is_read_afresh():
    user = UserFactory(first_name="Ada")
    before, _ = _get_user(user.pk)

    user.first_name = "Grace"
    user.save()
    after, reads = _get_user(user.pk)

    assert reads == 1
    assert after.first_name == "Grace"
    assert after.data_version != before.data_version


def test_a_user_deactivated_after_being_cached_is_signed_out():
    user = UserFactory()
    _get_user(user.pk)

    user.is_active = False
    user.save()
    after, reads = _get_user(user.pk)

    assert reads == 1
    assert after is None


def test_a_deleted_user_is_not_served_from_the_process_cache():
    user = UserFactory()
    user_id = user.pk
    _get_user(user_id)

    user.delete()
    after, _ = _get_user(user_id)

    assert after is None


def test_with_the_versioned_cache_off_every_request_reads_the_user(settings):
    settings.VERSIONED_CACHE = False
    user = UserFactory()
    _get_user(user.pk)

    again, reads = _get_user(user.pk)

    assert reads == 1
    assert again.pk == user.pk


def test_with_the_shared_cache_down_the_user_is_read_from_the_database(settings, caplog):
    user = UserFactory(first_name="Ada")
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": DEAD_REDIS},
    }

    with caplog.at_level(logging.ERROR, logger="accounts.backends"):
        found, reads = _get_user(user.pk)
        again, again_reads = _get_user(user.pk)

    assert (reads, again_reads) == (1, 1)
    assert found.first_name == again.first_name == "Ada"
    assert "User cache unavailable" in caplog.text


def test_an_unknown_user_id_gives_no_user():
    assert _get_user(987654)[0] is None
