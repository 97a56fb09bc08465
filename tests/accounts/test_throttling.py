"""Sign-in throttling (django-axes, accounts/throttling.py): after AXES_FAILURE_LIMIT wrong
passwords for one username from one address, the sign-in page says the account is locked and
refuses even the right password until the cool-off has passed."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.throttling import client_ip
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"
LOCKED = "Too many failed sign-ins"


def sign_in(client: Client, username: str, password: str, *, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def fail(client: Client, username: str, times: int, *, ip: str = "10.0.0.1"):
    responses = [sign_in(client, username, WRONG, ip=ip) for _ in range(times)]
    return responses[-1]


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def user():
    return UserFactory(username="coach.locked")


def test_the_defaults_lock_after_five_failures_per_username_and_address():
    assert settings.AXES_ENABLED
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_four_wrong_passwords_still_let_the_right_one_in(client, user):
    response = fail(client, user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()

    response = sign_in(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, user):
    response = fail(client, user.username, settings.AXES_FAILURE_LIMIT)

    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html
    assert "Try again in 15 minutes" in html
    assert 'role="alert"' in html
    assert "<title>Sign in" in html  # the sign-in page itself, with the form
    assert f'value="{user.username}"' in html
    assert int(response["Retry-After"]) == 15 * 60
    assert not is_signed_in(client)


def test_the_right_password_is_refused_while_locked(client, user):
    fail(client, user.username, settings.AXES_FAILURE_LIMIT)

    response = sign_in(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not is_signed_in(client)


def test_the_lock_is_per_address_and_per_username(client, user):
    other = UserFactory(username="coach.other")
    fail(client, user.username, settings.AXES_FAILURE_LIMIT, ip="10.0.0.1")

    from_elsewhere = Client()
    assert sign_in(from_elsewhere, user.username, PASSWORD, ip="10.0.0.2").status_code == 302
    assert is_signed_in(from_elsewhere)
    same_address = Client()
    assert sign_in(same_address, other.username, PASSWORD, ip="10.0.0.1").status_code == 302
    assert is_signed_in(same_address)


def test_the_account_unlocks_after_the_cool_off(client, user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, user.username, settings.AXES_FAILURE_LIMIT)
        assert sign_in(client, user.username, PASSWORD).status_code == 429

    # Refused tries while locked do not prolong the lock: it ends one cool-off after it began.
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert sign_in(Client(), user.username, PASSWORD).status_code == 429
        assert fail(Client(), user.username, 3).status_code == 429

    later = start + settings.AXES_COOLOFF_TIME
    with time_machine.travel(later + datetime.timedelta(seconds=1), tick=False):
        response = sign_in(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_successful_sign_in_clears_the_failures(client, user):
    fail(client, user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, user.username, PASSWORD).status_code == 302

    response = fail(Client(), user.username, settings.AXES_FAILURE_LIMIT - 1)

    assert response.status_code == 200
    assert LOCKED not in response.content.decode()


def test_an_administrator_reset_unlocks_at_once(client, user):
    from axes.utils import reset

    fail(client, user.username, settings.AXES_FAILURE_LIMIT)
    assert sign_in(client, user.username, PASSWORD).status_code == 429

    reset(username=user.username)

    assert sign_in(client, user.username, PASSWORD).status_code == 302


def test_force_login_is_not_throttled(client, user):
    fail(Client(), user.username, settings.AXES_FAILURE_LIMIT)

    client.force_login(user)

    assert client.get(reverse("home")).status_code in (200, 302)
    assert is_signed_in(client)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "192.0.2.1"),  # no proxy: the header is the visitor's word
        (1, "203.0.113.9", "203.0.113.9"),  # what the proxy saw
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged hop on the left is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (2, "203.0.113.9", "192.0.2.1"),  # too short to come from the proxies
        (1, "not-an-address", "192.0.2.1"),
        (1, "", "192.0.2.1"),
    ],
)
def test_client_ip_trusts_only_the_hops_the_proxies_added(proxies, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_visitors_are_told_apart_by_their_forwarded_address(client, user):
    def through_proxy(c: Client, password: str, visitor: str):
        return c.post(
            reverse("login"),
            {"username": user.username, "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=visitor,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        last = through_proxy(client, WRONG, "203.0.113.9")
    assert last.status_code == 429

    other_visitor = Client()
    assert through_proxy(other_visitor, PASSWORD, "198.51.100.7").status_code == 302


# --- Known devices (accounts/devices.py): a colleague at the same address cannot lock one out ----


def _own_browser(user) -> Client:
    """The person's own browser: signed in once with the password, then signed out."""
    browser = Client()
    assert sign_in(browser, user.username, PASSWORD).status_code == 302
    browser.post(reverse("logout"))
    assert not is_signed_in(browser)
    return browser


def test_a_colleague_at_the_same_address_cannot_keep_a_person_out_of_their_own_browser(user):
    own = _own_browser(user)
    fail(Client(), user.username, settings.AXES_FAILURE_LIMIT + 3)  # the colleague, same address

    new_browser = sign_in(Client(), user.username, PASSWORD)
    from_own = sign_in(own, user.username, PASSWORD)

    assert new_browser.status_code == 429  # the lock holds for any other browser
    assert from_own.status_code == 302
    assert is_signed_in(own)
    assert user.username not in own.cookies["known_device"].value  # named by a hash only


def test_a_known_device_has_a_limit_of_its_own(user):
    own = _own_browser(user)

    before_limit = fail(own, user.username, settings.AXES_FAILURE_LIMIT - 1)
    at_limit = fail(own, user.username, 1)
    right_password = sign_in(own, user.username, PASSWORD)

    assert before_limit.status_code == 200
    assert at_limit.status_code == 200  # the fifth wrong password is still just wrong
    assert right_password.status_code == 429
    assert LOCKED in right_password.content.decode()
    assert sign_in(Client(), user.username, PASSWORD).status_code == 302  # nobody else is


def test_a_known_device_of_another_person_or_a_forged_cookie_exempts_nobody(user):
    other = UserFactory(username="coach.other")
    others_browser = _own_browser(other)
    forged = Client()
    forged.cookies["known_device"] = f"{user.username}:made-up"
    fail(Client(), user.username, settings.AXES_FAILURE_LIMIT)

    assert sign_in(others_browser, user.username, PASSWORD).status_code == 429
    assert sign_in(forged, user.username, PASSWORD).status_code == 429
