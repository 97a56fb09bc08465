"""Whose calendar feed a token opens: only a current token of an active account."""

import pytest

from accounts.selectors import calendar_feed_of, calendar_feed_user
from accounts.services import calendar_feed_renew
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_and_token():
    user = UserFactory()
    return user, calendar_feed_renew(user=user)


def test_a_current_token_opens_its_users_feed(user_and_token):
    user, token = user_and_token
    assert calendar_feed_user(token=token) == user


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "not-a-token",
        "x" * 43,
        "x" * 5000,
        "%",
        "\x00",
    ],
)
def test_unknown_tokens_open_nothing(user_and_token, bad):
    assert calendar_feed_user(token=bad) is None


def test_a_changed_token_opens_nothing(user_and_token):
    _, token = user_and_token
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    for variant in (changed, token.upper(), token.lower(), token[:-1], token + "x", f" {token}"):
        assert calendar_feed_user(token=variant) is None, variant


def test_a_deactivated_account_opens_nothing(user_and_token):
    user, token = user_and_token
    user.is_active = False
    user.save()

    assert calendar_feed_user(token=token) is None


def test_the_feed_row_never_holds_the_token(user_and_token):
    user, token = user_and_token
    feed = calendar_feed_of(user=user)
    assert feed is not None
    assert token not in feed.token_hash
    assert calendar_feed_of(user=UserFactory()) is None
