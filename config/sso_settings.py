"""Single sign-on settings from the environment (docs/administration.md "Single sign-on").

One django-allauth OpenID Connect app per identity provider the district configures: Google
(``SSO_GOOGLE_CLIENT_ID`` and ``_SECRET``) and Microsoft Entra ID (``SSO_MICROSOFT_CLIENT_ID``,
``_SECRET`` and ``_TENANT``). With none set, no app exists: no SSO route is mounted
(accounts/sso_urls.py) and the sign-in page shows no SSO button.

Plain functions of an ``environ.Env``, read by config/settings/base.py, so the tests can call
them with a made-up environment.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

# Tenants that stand for "any organisation" (or personal accounts): the ID token's issuer then
# names whichever tenant the person came from, so anyone could claim any email address there.
MULTI_TENANT = {"common", "organizations", "consumers"}
GOOGLE_ISSUER = "https://accounts.google.com"
MICROSOFT_LOGIN = "https://login.microsoftonline.com"


def _app(provider_id: str, name: str, env: environ.Env, server_url: str, claims: list[str]):
    prefix = f"SSO_{provider_id.upper()}"
    return {
        "provider_id": provider_id,
        "name": name,
        "client_id": env.str(f"{prefix}_CLIENT_ID"),
        # Required once the id is set: environ says which variable is missing.
        "secret": env.str(f"{prefix}_CLIENT_SECRET"),
        "settings": {
            "server_url": server_url,
            # The claims come from the ID token, which the token endpoint returned over TLS
            # (and allauth checks its issuer, audience and expiry); the userinfo endpoint
            # lacks Microsoft's xms_edov claim.
            "fetch_userinfo": False,
            "oauth_pkce_enabled": True,
            # Claims that vouch for the email address (accounts.sso.verified_email).
            "email_verified_claims": claims,
        },
    }


def sso_apps(env: environ.Env) -> list[dict]:
    """The configured identity providers as allauth ``openid_connect`` apps (may be empty)."""
    apps = []
    if env.str("SSO_GOOGLE_CLIENT_ID", default=""):
        apps.append(_app("google", "Google", env, GOOGLE_ISSUER, ["email_verified"]))
    if env.str("SSO_MICROSOFT_CLIENT_ID", default=""):
        tenant = env.str("SSO_MICROSOFT_TENANT", default="").strip()
        if not tenant or tenant.lower() in MULTI_TENANT:
            raise ImproperlyConfigured(
                "Set SSO_MICROSOFT_TENANT to the district's Entra tenant (its id, or a domain "
                "such as district.org): 'common', 'organizations' and 'consumers' would accept "
                "accounts from any organisation."
            )
        apps.append(
            _app(
                "microsoft",
                "Microsoft",
                env,
                f"{MICROSOFT_LOGIN}/{tenant}/v2.0",
                # Entra sends no email_verified; xms_edov (an optional claim to add in the app
                # registration) says the email's domain is verified by its owner.
                ["email_verified", "xms_edov"],
            )
        )
    return apps


def sso_form_origins(apps: list[dict]) -> list[str]:
    """Origins the SSO buttons' form posts end up at (the providers' sign-in pages): the
    Content-Security-Policy's form-action must allow them, as browsers apply it to the redirect
    that follows a form post."""
    origins = []
    for app in apps:
        url = urlsplit(app["settings"]["server_url"])
        origin = f"{url.scheme}://{url.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins


def sso_allowed_domains(env: environ.Env) -> list[str]:
    """Email domains SSO accepts (lower case, no "@"); empty: any domain."""
    return [d.strip().lstrip("@").lower() for d in env.list("SSO_ALLOWED_DOMAINS", default=[])]
