"""Single sign-on in a real browser at phone width, against the local OpenID Connect provider
(tests/accounts/oidc_provider.py) standing in for Google: the button's post is redirected to
the provider and back under the Content-Security-Policy (whose form-action must allow the
provider, as the settings make it), the sign-in page with its SSO buttons passes axe-core, and
the person lands signed in where they were going."""

import pytest
from csp.constants import SELF
from playwright.sync_api import expect

from config.sso_settings import sso_form_origins
from teachers.models import Role
from tests.accounts import oidc_provider
from tests.accounts.test_sso import EMAIL, google_claims
from tests.e2e.test_accessibility import (
    AXE,
    axe_violations,
    csp_violations,
    record_csp_violations,
)
from tests.e2e.test_navigation import open_account_menu
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.urls("tests.accounts.sso_on_urls")]


@pytest.fixture
def provider():
    local, server = oidc_provider.serve()
    yield local
    server.shutdown()
    server.server_close()


@pytest.fixture
def sso_browser(settings, provider):
    apps = [
        {
            "provider_id": "google",
            "name": "Google",
            "client_id": oidc_provider.CLIENT_ID,
            "secret": oidc_provider.CLIENT_SECRET,
            "settings": {
                "server_url": provider.url,
                "fetch_userinfo": False,
                "oauth_pkce_enabled": True,
                "email_verified_claims": ["email_verified"],
            },
        }
    ]
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps}}
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "form-action": [SELF, *sso_form_origins(apps)]}
    settings.CONTENT_SECURITY_POLICY = policy
    return settings


def test_sign_in_with_google_on_a_phone(transactional_db, sso_browser, provider, page):
    MembershipFactory(user=UserFactory(username="ada", email=EMAIL), role=Role.COACH)
    provider.claims = google_claims()
    console = record_csp_violations(page)

    page.goto("/time/")
    expect(page).to_have_title("Sign in · Coaching cycles")
    if AXE.exists():
        assert axe_violations(page) == []
    page.get_by_role("button", name="Sign in with Google").click()

    page.wait_for_url("**/time/")
    expect(page).not_to_have_title("Sign in · Coaching cycles")
    open_account_menu(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert csp_violations(page, console) == []


def test_the_policy_must_allow_the_provider_for_the_button_to_work(
    transactional_db, sso_browser, provider, page
):
    """Negative control: with form-action 'self' alone, the browser stops the redirect."""
    policy = sso_browser.CONTENT_SECURITY_POLICY
    sso_browser.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": [SELF]},
    }
    UserFactory(username="ada", email=EMAIL)
    provider.claims = google_claims()
    console = record_csp_violations(page)

    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Google").click()
    page.wait_for_timeout(1500)

    assert not provider.grants  # the provider was never reached
    assert any("form-action" in v for v in csp_violations(page, console))
