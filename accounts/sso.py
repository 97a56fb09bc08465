"""Single sign-on with the district's Google or Microsoft accounts (django-allauth, OpenID
Connect; docs/administration.md "Single sign-on").

Settings come from the environment (config/sso_settings.py): one allauth ``openid_connect`` app
per configured provider; with none, nothing here is reachable. The rule, applied on every SSO
sign-in in ``SocialAccountAdapter.pre_social_login``:

- the provider must vouch for the email address (a claim of the ID token listed in the app's
  ``email_verified_claims``: Google's ``email_verified``, Microsoft's ``xms_edov``), and its
  domain must be in ``SSO_ALLOWED_DOMAINS`` when that is set;
- the address must be an existing user's (case-insensitive; users come from the roster import
  or the admin), and that user active.

Then the person is signed in as that user, as a password sign-in would (same backend, same
session). Anything else is refused on the sign-in page with the reason. Nobody is ever created
(signup is closed in both adapters), no link to the provider account is stored (the email is
matched afresh every time), and nothing about the user changes but ``last_login``: roles come
only from teachers.Membership.
"""

from __future__ import annotations

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accounts.selectors import user_by_email

logger = logging.getLogger(__name__)

# The session a password sign-in gets (accounts/urls.py through django.contrib.auth).
SESSION_BACKEND = "accounts.backends.VersionedCacheModelBackend"


def configured_providers() -> list[dict[str, str]]:
    """The providers set up in settings, in order: ``{"id": "google", "name": "Google"}``."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    return [{"id": app["provider_id"], "name": app["name"]} for app in apps]


def _claims(sociallogin) -> dict:
    data = sociallogin.account.extra_data or {}
    return data.get("id_token") or data.get("userinfo") or {}


def _true(value) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def verified_email(sociallogin) -> str | None:
    """The email address the provider vouches for, or None (no address, or no claim of the
    app's ``email_verified_claims`` is true)."""
    claims = _claims(sociallogin)
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None
    trusted = sociallogin.account.get_provider().app.settings.get("email_verified_claims", [])
    if not any(_true(claims.get(claim)) for claim in trusted):
        return None
    return email.strip()


def _login_url(next_url: str | None) -> str:
    url = resolve_url(settings.LOGIN_URL)
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        url = f"{url}?{urlencode({'next': next_url})}"
    return url


def refuse(request: HttpRequest, message: str, next_url: str | None = None) -> HttpResponseRedirect:
    """Back to the sign-in page, with ``message`` shown there."""
    messages.error(request, message)
    return HttpResponseRedirect(_login_url(next_url))


def _admin_hint() -> str:
    return "Sign in with your username and password, or ask your school's administrator."


def refusal(sociallogin) -> tuple[str, object | None]:
    """Why this SSO sign-in is refused (a message for the person) and the user it signs in
    as: ``("", user)`` when it is allowed."""
    provider = sociallogin.account.get_provider().app.name
    email = verified_email(sociallogin)
    if email is None:
        return (
            f"{provider} did not confirm an email address for this account, so it cannot be "
            f"matched to a person here. {_admin_hint()}",
            None,
        )
    domain = email.rsplit("@", 1)[1].lower()
    allowed = settings.SSO_ALLOWED_DOMAINS
    if allowed and domain not in allowed:
        return (
            f"Sign-in with {provider} is only for {', '.join(allowed)} addresses, not "
            f"{email}. {_admin_hint()}",
            None,
        )
    user = user_by_email(email=email)
    if user is None:
        return (
            f"No account here uses the email address {email}. Accounts come from the "
            "district's roster: ask your school's administrator to add you.",
            None,
        )
    if not user.is_active:
        return (
            f"The account for {email} is switched off. Ask your school's administrator.",
            None,
        )
    return "", user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False  # SSO signs in existing people only

    def pre_social_login(self, request, sociallogin) -> None:
        """Match the account to its person, or refuse: raising here ends allauth's flow."""
        message, user = refusal(sociallogin)
        provider = sociallogin.account.get_provider().app.provider_id
        if user is None:
            logger.warning(
                "SSO sign-in refused (%s, %s): %s",
                provider,
                _claims(sociallogin).get("email", "no email"),
                message,
            )
            raise ImmediateHttpResponse(refuse(request, message, sociallogin.state.get("next")))
        # Signed in as that user through allauth's flow for a known account (no signup, no
        # account link stored: sociallogin.save() is never called).
        sociallogin.user = user

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """The provider said no, the person cancelled, or the exchange failed: the sign-in
        page with the reason, never allauth's own pages (not mounted)."""
        state = (extra_context or {}).get("state") or {}
        if error == AuthError.CANCELLED:
            message = f"Sign-in with {provider.name} was cancelled."
        else:
            logger.warning("SSO sign-in failed (%s): %s %r", provider.id, error, exception)
            message = (
                f"Sign-in with {provider.name} did not work. Try again, or sign in with your "
                "username and password."
            )
        raise ImmediateHttpResponse(refuse(request, message, state.get("next")))


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False  # accounts come from the roster import and the admin

    def login(self, request, user) -> None:
        # The same session as a password sign-in: our backend, not the first one allauth
        # would pick (django-axes's).
        user.backend = SESSION_BACKEND
        super().login(request, user)

    def add_message(self, *args, **kwargs) -> None:
        """No "Successfully signed in" note: a password sign-in shows none either."""
