"""Single sign-on routes, mounted under /sso/ (config/urls.py): for each configured provider
(accounts.sso.configured_providers) only its sign-in and its callback, allauth's OpenID Connect
views. No provider set: no route at all, so /sso/... is a 404. allauth's other pages (signup,
password reset, email management, account links) are never mounted: signing in stays on
/accounts/login/.

Register the callback at the provider: ``<site>/sso/<provider id>/login/callback/``."""

import re

from allauth.socialaccount.providers.openid_connect import views
from django.urls import URLPattern, re_path

from accounts.sso import configured_providers


def sso_patterns(provider_ids: list[str]) -> list[URLPattern]:
    """The sign-in and callback routes of these providers (none for no provider)."""
    if not provider_ids:
        return []
    ids = "|".join(re.escape(provider_id) for provider_id in provider_ids)
    return [
        # allauth reverses these names, with the provider id, to build the callback URL.
        re_path(rf"^(?P<provider_id>{ids})/login/$", views.login, name="openid_connect_login"),
        re_path(
            rf"^(?P<provider_id>{ids})/login/callback/$",
            views.callback,
            name="openid_connect_callback",
        ),
    ]


urlpatterns = sso_patterns([provider["id"] for provider in configured_providers()])
