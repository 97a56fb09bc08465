"""Sign-in throttling (django-axes): who the visitor is, and what a locked-out visitor sees.

Settings in config/settings/base.py ("Sign-in throttling"). A username is locked out from one
address after ``AXES_FAILURE_LIMIT`` failed sign-ins; the sign-in page then says so, and for how
long, instead of the usual "wrong password" (which would invite more guesses).
"""

from __future__ import annotations

import math
from ipaddress import ip_address

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.forms import SignInForm


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address. Behind ``TRUSTED_PROXY_COUNT`` proxies that each append the address
    they were called from to X-Forwarded-For, the one the outermost proxy saw: the entries to
    its left are whatever the visitor sent, so they are never trusted. Without proxies (or with
    a header too short to come from them) REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote


def lockout_message(request: HttpRequest) -> str:
    cool_off = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else None
    wait = (
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}"
        if minutes
        else "Ask your administrator to unlock it"
    )
    return (
        f"Too many failed sign-ins: this account is locked from this network for now. {wait}, "
        "or ask your school's administrator to unlock it. Until then even the right password "
        "is refused."
    )


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The sign-in page with the lockout message (429 Too Many Requests, Retry-After)."""
    username = get_client_username(request, credentials) or ""
    form = SignInForm(request, initial={"username": username})
    response = render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "locked_out_message": lockout_message(request),
            "next": request.POST.get("next", "") if request.method == "POST" else "",
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    cool_off = get_cool_off(request)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
