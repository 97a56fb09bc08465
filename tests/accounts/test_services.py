"""The calendar feed's secret link: made on request, stored only as a hash, replaced at once
when renewed, gone when revoked."""

import hashlib

import pytest

from accounts.models import CalendarFeed
from accounts.selectors import calendar_feed_user
from accounts.services import calendar_feed_renew, calendar_feed_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_renew_makes_a_link_that_opens_the_users_feed():
    user = UserFactory()

    token = calendar_feed_renew(user=user)

    assert len(token) >= 43  # 32 random bytes, URL-safe
    assert calendar_feed_user(token=token) == user


def test_only_the_hash_of_the_token_is_stored():
    user = UserFactory()

    token = calendar_feed_renew(user=user)

    feed = CalendarFeed.objects.get(user=user)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = " ".join(str(v) for v in CalendarFeed.objects.values_list().get())
    assert token not in stored


def test_renew_invalidates_the_old_link_at_once():
    user = UserFactory()
    old = calendar_feed_renew(user=user)

    new = calendar_feed_renew(user=user)

    assert new != old
    assert calendar_feed_user(token=old) is None
    assert calendar_feed_user(token=new) == user
    assert CalendarFeed.objects.filter(user=user).count() == 1


def test_each_person_gets_their_own_link():
    first, second = UserFactory(), UserFactory()

    tokens = {calendar_feed_renew(user=first), calendar_feed_renew(user=second)}

    assert len(tokens) == 2
    assert {calendar_feed_user(token=t) for t in tokens} == {first, second}


def test_revoke_stops_the_link():
    user = UserFactory()
    token = calendar_feed_renew(user=user)

    assert calendar_feed_revoke(user=user) is True

    assert calendar_feed_user(token=token) is None
    assert not CalendarFeed.objects.filter(user=user).exists()


def test_revoke_without_a_link_changes_nothing():
    user, other = UserFactory(), UserFactory()
    token = calendar_feed_renew(user=other)

    assert calendar_feed_revoke(user=user) is False

    assert calendar_feed_user(token=token) == other
