"""Password rules and session length (config/settings/base.py): Django's four validators with
at least 12 characters, and a session that ends 12 hours after signing in."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("k7#qPz!2mWx", "at least 12 characters"),  # 11
        ("password1234", "too common"),
        ("830142957361", "entirely numeric"),
        ("rivera.coach77", "too similar"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    user = UserFactory.build(username="rivera.coach77", email="rivera.coach77@example.org")

    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)

    assert any(reason in message for message in refused.value.messages), refused.value.messages


def test_a_long_uncommon_password_is_accepted():
    user = UserFactory.build(username="rivera.coach77")
    validate_password("tidal-lantern-orchard-9", user)  # raises if refused


def test_a_session_lasts_twelve_hours_from_signing_in(client):
    user = UserFactory()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 12 * 60 * 60
    assert cookie["httponly"] is True
    assert client.session.get_expiry_age() == 12 * 60 * 60
