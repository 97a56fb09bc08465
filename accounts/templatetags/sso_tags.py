"""``{% sso_buttons %}``: a "Sign in with ..." button (a POST form, as allauth asks) for each
configured single sign-on provider; nothing when none is set (accounts.sso)."""

import logging

from django import template
from django.urls import NoReverseMatch, reverse

from accounts.sso import configured_providers

register = template.Library()
logger = logging.getLogger(__name__)


@register.inclusion_tag("accounts/includes/sso_buttons.html", takes_context=True)
def sso_buttons(context) -> dict:
    providers = []
    for provider in configured_providers():
        try:
            url = reverse("openid_connect_login", kwargs={"provider_id": provider["id"]})
        except NoReverseMatch:  # settings changed without a restart: no route for it yet
            logger.error("SSO provider %s has no route; restart the web server", provider["id"])
            continue
        providers.append({**provider, "url": url})
    return {
        "providers": providers,
        "next": context.get("next", ""),
        "csrf_token": context.get("csrf_token"),
    }
