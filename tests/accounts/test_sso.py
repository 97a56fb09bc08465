"""Single sign-on (accounts/sso.py, accounts/sso_urls.py, config/sso_settings.py): off by
default; when a provider is configured, a "Sign in with ..." button, and a sign-in that matches
the provider's verified email to an existing active user, creates nobody and changes no role.

The flows run for real against a tiny OpenID Connect provider on 127.0.0.1
(tests/accounts/oidc_provider.py), a stand-in for Google and Microsoft: the test client posts
the button, follows the redirect to the provider by hand, and brings the code back to allauth's
callback, which fetches discovery and the ID token from the provider over HTTP.
"""

from __future__ import annotations

import importlib
import re
from urllib.parse import parse_qs, urlsplit

import environ
import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse

from accounts.models import User
from accounts.sso import SESSION_BACKEND, AccountAdapter, SocialAccountAdapter
from config.sso_settings import sso_allowed_domains, sso_apps, sso_form_origins
from teachers.models import Membership, Role
from tests.accounts import oidc_provider
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SSO_URLS = pytest.mark.urls("tests.accounts.sso_on_urls")
EMAIL = "Ada.Lovelace@District.org"
NEXT = "/time/"


def _env(monkeypatch, **values) -> environ.Env:
    for name in [
        "SSO_GOOGLE_CLIENT_ID",
        "SSO_GOOGLE_CLIENT_SECRET",
        "SSO_MICROSOFT_CLIENT_ID",
        "SSO_MICROSOFT_CLIENT_SECRET",
        "SSO_MICROSOFT_TENANT",
        "SSO_ALLOWED_DOMAINS",
    ]:
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return environ.Env()


BOTH = {
    "SSO_GOOGLE_CLIENT_ID": oidc_provider.CLIENT_ID,
    "SSO_GOOGLE_CLIENT_SECRET": oidc_provider.CLIENT_SECRET,
    "SSO_MICROSOFT_CLIENT_ID": oidc_provider.CLIENT_ID,
    "SSO_MICROSOFT_CLIENT_SECRET": oidc_provider.CLIENT_SECRET,
    "SSO_MICROSOFT_TENANT": "district.onmicrosoft.com",
}


@pytest.fixture
def provider():
    local, server = oidc_provider.serve()
    yield local
    server.shutdown()
    server.server_close()


@pytest.fixture
def sso_on(settings, monkeypatch, provider):
    """Google and Microsoft configured from the environment as in production, both pointed at
    the local provider."""
    apps = sso_apps(_env(monkeypatch, **BOTH))
    for app in apps:
        app["settings"]["server_url"] = provider.url
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps}}
    settings.SSO_ALLOWED_DOMAINS = []
    return provider


@pytest.fixture
def person():
    """An imported person: email from the roster, no usable password, a coach at a school."""
    user = UserFactory(username="ada", email=EMAIL, password=None)
    user.set_unusable_password()
    user.save()
    MembershipFactory(user=user, role=Role.COACH)
    return user


def google_claims(email: str = EMAIL.lower(), **extra) -> dict:
    return {"sub": "google-123", "email": email, "email_verified": True, "name": "Ada", **extra}


def sso_sign_in(client: Client, provider, claims: dict, *, provider_id: str = "google"):
    """Post the button, pass the provider's authorize page, return the callback's response."""
    provider.claims = claims
    response = client.post(f"/sso/{provider_id}/login/", {"next": NEXT})
    assert response.status_code == 302, response.content[:500]
    authorize = response["Location"]
    assert authorize.startswith(f"{provider.url}/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]  # PKCE
    assert "email" in query["scope"][0].split()
    back = requests.get(authorize, allow_redirects=False, timeout=10)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert callback.path == f"/sso/{provider_id}/login/callback/"
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_id(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


def world_state() -> dict:
    """What an SSO sign-in must never change: users and their flags, roles, account links."""
    return {
        "users": sorted(
            User.objects.values_list("pk", "email", "is_active", "is_staff", "is_superuser")
        ),
        "passwords": sorted(User.objects.values_list("pk", "password")),
        "memberships": sorted(
            Membership.objects.values_list("pk", "user_id", "role", "school_id", "is_active")
        ),
        "links": (
            SocialAccount.objects.count(),
            SocialToken.objects.count(),
            EmailAddress.objects.count(),
        ),
    }


# --- Off by default -------------------------------------------------------------------------


def test_sso_is_off_by_default_no_button_no_route(client):
    assert settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] == []
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] == ["'self'"]

    page = client.get(reverse("login")).content.decode()

    assert "Sign in with" not in page
    assert 'id="sso"' not in page
    with pytest.raises(NoReverseMatch):
        reverse("openid_connect_login", kwargs={"provider_id": "google"})
    for url in [
        "/sso/google/login/",
        "/sso/google/login/callback/?code=x&state=y",
        "/sso/microsoft/login/",
        "/sso/oidc/google/login/",
        # allauth's own pages are never mounted, neither under /sso/ nor /accounts/.
        "/sso/signup/",
        "/sso/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/email/",
        "/accounts/3rdparty/",
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_sso_routes_are_mounted_only_for_configured_providers(settings, monkeypatch):
    import accounts.sso_urls

    try:
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "APPS": sso_apps(
                    _env(
                        monkeypatch,
                        SSO_GOOGLE_CLIENT_ID="id",
                        SSO_GOOGLE_CLIENT_SECRET="secret",
                    )
                )
            }
        }
        routes = importlib.reload(accounts.sso_urls).urlpatterns
        assert [str(r.pattern) for r in routes] == [
            "^(?P<provider_id>google)/login/$",
            "^(?P<provider_id>google)/login/callback/$",
        ]
        settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
        assert importlib.reload(accounts.sso_urls).urlpatterns == []
    finally:
        settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
        importlib.reload(accounts.sso_urls)
        clear_url_caches()


def test_signup_is_closed_in_both_adapters(rf):
    request = rf.get("/")
    assert AccountAdapter(request).is_open_for_signup(request) is False
    assert SocialAccountAdapter(request).is_open_for_signup(request, None) is False
    assert settings.SOCIALACCOUNT_AUTO_SIGNUP is False
    assert settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION is False


# --- Settings from the environment ----------------------------------------------------------


def test_settings_from_the_environment(monkeypatch):
    assert sso_apps(_env(monkeypatch)) == []

    apps = sso_apps(_env(monkeypatch, **BOTH, SSO_ALLOWED_DOMAINS="District.org, @schools.org"))

    assert [(a["provider_id"], a["name"], a["client_id"]) for a in apps] == [
        ("google", "Google", oidc_provider.CLIENT_ID),
        ("microsoft", "Microsoft", oidc_provider.CLIENT_ID),
    ]
    assert apps[0]["settings"]["server_url"] == "https://accounts.google.com"
    assert apps[1]["settings"]["server_url"] == (
        "https://login.microsoftonline.com/district.onmicrosoft.com/v2.0"
    )
    assert apps[1]["settings"]["email_verified_claims"] == ["email_verified", "xms_edov"]
    assert all(a["settings"]["oauth_pkce_enabled"] for a in apps)
    assert sso_form_origins(apps) == [
        "https://accounts.google.com",
        "https://login.microsoftonline.com",
    ]
    assert sso_allowed_domains(environ.Env()) == ["district.org", "schools.org"]


@pytest.mark.parametrize("tenant", ["", "common", "Organizations", "consumers"])
def test_microsoft_needs_the_districts_own_tenant(monkeypatch, tenant):
    env = _env(monkeypatch, **{**BOTH, "SSO_MICROSOFT_TENANT": tenant})
    with pytest.raises(ImproperlyConfigured, match="SSO_MICROSOFT_TENANT"):
        sso_apps(env)


def test_a_client_id_without_its_secret_is_refused_at_start(monkeypatch):
    env = _env(monkeypatch, SSO_GOOGLE_CLIENT_ID="id")
    with pytest.raises(ImproperlyConfigured, match="SSO_GOOGLE_CLIENT_SECRET"):
        sso_apps(env)


# --- Buttons ----------------------------------------------------------------------------------


@SSO_URLS
def test_sign_in_page_shows_a_post_button_per_configured_provider(sso_on, client):
    page = client.get(reverse("login") + f"?next={NEXT}").content.decode()

    forms = re.findall(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    assert [action for action, _ in forms] == ["/sso/google/login/", "/sso/microsoft/login/"]
    for _, body in forms:
        assert 'name="csrfmiddlewaretoken"' in body
        assert f'name="next" value="{NEXT}"' in body
    assert "Sign in with Google" in page
    assert "Sign in with Microsoft" in page
    assert "<script>" not in page and "style=" not in page
    # The username and password form is still there, first.
    assert page.index('name="password"') < page.index("Sign in with Google")


@SSO_URLS
def test_only_the_configured_provider_gets_a_button(sso_on, settings, client):
    apps = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps[:1]}}

    page = client.get(reverse("login")).content.decode()

    assert "Sign in with Google" in page
    assert "Sign in with Microsoft" not in page
    # Its route is gone with its app (allauth finds no app: 404), even where the URL exists.
    assert client.post("/sso/microsoft/login/").status_code == 404


@SSO_URLS
def test_the_sso_button_needs_the_csrf_token(sso_on):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/sso/google/login/", {"next": NEXT}).status_code == 403


@SSO_URLS
def test_a_get_of_the_sso_route_asks_to_confirm_with_a_post(sso_on, client):
    response = client.get("/sso/google/login/?next=/time/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Sign in with Google" in page
    assert '<form method="post">' in page
    assert 'name="next" value="/time/"' in page


# --- Signing in -------------------------------------------------------------------------------


@SSO_URLS
@pytest.mark.parametrize("email", [EMAIL.lower(), EMAIL.upper(), EMAIL])
def test_verified_email_signs_in_the_existing_user(sso_on, client, person, email):
    before = world_state()

    response = sso_sign_in(client, sso_on, google_claims(email))

    assert response.status_code == 302
    assert response["Location"] == NEXT
    assert signed_in_id(client) == str(person.pk)
    assert client.session[BACKEND_SESSION_KEY] == SESSION_BACKEND
    assert world_state() == before  # nobody created, no role, flag, password or link changed
    assert client.get(NEXT).status_code == 200  # a working session
    # The provider was asked for the token with the client's secret and the PKCE verifier.
    assert sso_on.token_requests[-1]["code_verifier"]


@SSO_URLS
def test_sso_gives_the_same_session_as_a_password_sign_in(sso_on, person):
    by_password = UserFactory(username="grace", email="grace@district.org")
    password_client, sso_client = Client(), Client()
    password_client.post(reverse("login"), {"username": "grace", "password": PASSWORD})

    sso_sign_in(sso_client, sso_on, google_claims())

    for client, user in [(password_client, by_password), (sso_client, person)]:
        session = client.session
        assert type(session).__module__ == "core.sessions"
        assert session[SESSION_KEY] == str(user.pk)
        assert session[BACKEND_SESSION_KEY] == "accounts.backends.VersionedCacheModelBackend"
        assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 12 * 60 * 60
        assert not session.get_expire_at_browser_close()
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert (
        sso_client.cookies[settings.SESSION_COOKIE_NAME]["max-age"]
        == (password_client.cookies[settings.SESSION_COOKIE_NAME]["max-age"])
    )


@SSO_URLS
def test_microsoft_signs_in_when_the_email_domain_is_verified(sso_on, client, person):
    claims = {"sub": "ms-1", "tid": "t", "email": EMAIL, "xms_edov": True}

    response = sso_sign_in(client, sso_on, claims, provider_id="microsoft")

    assert response.status_code == 302
    assert signed_in_id(client) == str(person.pk)


@SSO_URLS
def test_staff_flags_are_neither_given_nor_taken(sso_on, client):
    admin = UserFactory(username="root", email="root@district.org", is_staff=True)
    plain = UserFactory(username="plain", email="plain@district.org")
    before = world_state()

    sso_sign_in(client, sso_on, google_claims("root@district.org", is_staff=True, groups=["x"]))
    assert signed_in_id(client) == str(admin.pk)
    other = Client()
    sso_sign_in(other, sso_on, google_claims("plain@district.org", is_superuser=True))

    assert signed_in_id(other) == str(plain.pk)
    assert world_state() == before
    assert User.objects.get(pk=admin.pk).is_staff
    assert not User.objects.get(pk=plain.pk).is_superuser


# --- Refused ----------------------------------------------------------------------------------

REFUSALS = {
    "unverified": (google_claims(email_verified=False), "did not confirm an email address"),
    "unverified as text": (google_claims(email_verified="false"), "did not confirm"),
    "no email": ({"sub": "google-123", "email_verified": True}, "did not confirm"),
    "unknown": (google_claims("nobody@district.org"), "No account here uses the email address"),
    "inactive": (google_claims(), "is switched off"),
    "other domain": (google_claims(), "only for schools.org addresses"),
}


@SSO_URLS
@pytest.mark.parametrize("case", REFUSALS)
def test_refused_sign_ins_say_why_and_create_nothing(sso_on, settings, client, person, case):
    claims, message = REFUSALS[case]
    if case == "inactive":
        User.objects.filter(pk=person.pk).update(is_active=False)
    if case == "other domain":
        settings.SSO_ALLOWED_DOMAINS = ["schools.org"]
    before = world_state()

    response = sso_sign_in(client, sso_on, claims)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=%2Ftime%2F"
    page = client.get(response["Location"]).content.decode()
    assert message in page
    assert 'class="alert alert-danger"' in page
    assert signed_in_id(client) is None
    assert world_state() == before


@SSO_URLS
def test_microsoft_without_a_verified_email_claim_is_refused(sso_on, client, person):
    claims = {"sub": "ms-1", "email": EMAIL, "preferred_username": EMAIL}

    response = sso_sign_in(client, sso_on, claims, provider_id="microsoft")

    assert "Microsoft did not confirm" in client.get(response["Location"]).content.decode()
    assert signed_in_id(client) is None


@SSO_URLS
def test_a_token_from_another_issuer_is_refused(sso_on, client, person):
    sso_on.token_issuer = "https://login.microsoftonline.com/another-tenant/v2.0"

    response = sso_sign_in(client, sso_on, google_claims())

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Sign-in with Google did not work" in page
    assert signed_in_id(client) is None


@SSO_URLS
def test_cancelling_at_the_provider_and_a_forged_callback_are_refused(sso_on, client, person):
    response = client.post("/sso/google/login/", {"next": NEXT})
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]

    cancelled = client.get(f"/sso/google/login/callback/?error=access_denied&state={state}")
    assert "Sign-in with Google was cancelled" in client.get(cancelled["Location"]).content.decode()

    forged = client.get("/sso/google/login/callback/?code=stolen&state=made-up")
    assert forged.status_code == 302
    assert "did not work" in client.get(forged["Location"]).content.decode()
    assert signed_in_id(client) is None


@SSO_URLS
def test_the_session_backend_stays_ours_even_beside_allauths_backend(sso_on, settings, person):
    """allauth would pick its own backend for the session if it were listed; the adapter pins
    ours, so the session never depends on the order of AUTHENTICATION_BACKENDS."""
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "allauth.account.auth_backends.AuthenticationBackend",
    ]
    client = Client()

    sso_sign_in(client, sso_on, google_claims())

    assert client.session[BACKEND_SESSION_KEY] == SESSION_BACKEND
