"""Known devices (the OWASP "device cookie" defence against lockout abuse): a browser where a
person signed in with their password keeps a signed cookie naming them (by a hash). From that
browser their sign-in is not subject to the lockout of their username at the school's shared
address, so a colleague behind it who types wrong passwords for them cannot keep them out.

The device has a lockout of its own instead: after ``AXES_FAILURE_LIMIT`` failed sign-ins for its
person within ``AXES_COOLOFF_TIME`` it is refused like any other browser (counted in the cache,
keyed by a hash of the cookie, so a stolen cookie gives no more guesses than a locked address).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

DEVICE_COOKIE = "known_device"
DEVICE_SALT = "accounts.known-device"
DEVICE_MAX_AGE = 180 * 24 * 3600  # seconds: about a school year
FAILURES_PREFIX = "signin:device-failures:"


def _person(username: str) -> str:
    """The cookie names its person by a hash: a shared computer's cookies do not show who
    signed in there."""
    return hashlib.sha256(f"{DEVICE_SALT}:{username.lower()}".encode()).hexdigest()[:32]


def device_remember(response: HttpResponse, *, username: str) -> None:
    """Mark the browser as one where ``username`` signed in with their password."""
    value = f"{_person(username)}:{secrets.token_urlsafe(12)}"
    response.set_signed_cookie(
        DEVICE_COOKIE,
        value,
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def _device_value(request: HttpRequest, username: str | None) -> str | None:
    """The device cookie's value when it is valid and names ``username``."""
    if not username:
        return None
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None
    person, _, _nonce = value.partition(":")
    return value if secrets.compare_digest(person, _person(username)) else None


def _failures_key(value: str) -> str:
    return FAILURES_PREFIX + hashlib.sha256(value.encode()).hexdigest()


def _cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def device_failures(request: HttpRequest, username: str | None) -> int | None:
    """Failed sign-ins for ``username`` from this known device in the cool-off (None: the
    browser is not a known device of that person)."""
    value = _device_value(request, username)
    if value is None:
        return None
    return int(cache.get(_failures_key(value), 0))


def device_is_trusted(request: HttpRequest, credentials: dict | None = None) -> bool:
    """AXES_WHITELIST_CALLABLE: the sign-in comes from a known device of the person named, whose
    own failures are under the limit."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    failures = device_failures(request, username)
    return failures is not None and failures < settings.AXES_FAILURE_LIMIT


def device_is_locked(request: HttpRequest, username: str | None) -> bool:
    failures = device_failures(request, username)
    return failures is not None and failures >= settings.AXES_FAILURE_LIMIT


@receiver(user_login_failed, dispatch_uid="accounts.devices.count_failure")
def _count_failure(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    if request is None:
        return
    value = _device_value(request, (credentials or {}).get("username"))
    if value is None:
        return
    key = _failures_key(value)
    if cache.add(key, 1, _cool_off_seconds()):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, _cool_off_seconds())
