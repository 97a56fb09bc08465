"""The settings page (accounts.views.user_settings): what a person can set for themselves."""

import pytest
from django.urls import reverse

from accounts.services import calendar_feed_renew

pytestmark = pytest.mark.django_db


def test_settings_page_is_for_signed_in_users_only(client):
    response = client.get(reverse("user_settings"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_settings_page_lists_api_tokens_api_docs_calendar_feed_and_sign_out(client, school_world):
    client.force_login(school_world.t1a.user)

    response = client.get(reverse("user_settings"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Settings" in html
    assert f'href="{reverse("api_tokens")}">My API tokens</a>' in html
    assert f'href="{reverse("api_docs")}">API documentation</a>' in html
    assert f'href="{reverse("calendar_settings")}">Calendar feed' in html
    assert "You have no calendar link yet." in html
    assert f'<form method="post" action="{reverse("logout")}">' in html
    assert school_world.t1a.user.username in html


def test_settings_page_says_when_the_calendar_feed_is_on(client, school_world):
    coach = school_world.coach1
    calendar_feed_renew(user=coach)
    client.force_login(coach)

    html = client.get(reverse("user_settings")).content.decode()

    assert "Your feed is on" in html
    assert "You have no calendar link yet." not in html


def test_settings_page_offers_no_calendar_feed_to_a_principal(client, school_world):
    # The feed is the coaching calendar of teachers and coaches (notifications.views).
    client.force_login(school_world.principal_a)

    html = client.get(reverse("user_settings")).content.decode()

    assert f'href="{reverse("calendar_settings")}"' not in html
    assert f'href="{reverse("api_tokens")}">My API tokens</a>' in html


def test_api_docs_and_tokens_pages_lead_back_to_settings_in_the_account_menu(client, school_world):
    client.force_login(school_world.coach1)

    for name in ("api_tokens", "api_docs"):
        html = client.get(reverse(name)).content.decode()
        assert f'href="{reverse("user_settings")}">Settings</a>' in html
