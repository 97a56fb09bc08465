"""``Cache-Control: no-store, private`` on every response to a signed-in user and on every API
response, so a shared school computer's browser cache, its Back button or a proxy never keeps a
page of coaching notes after sign-out.

``PrivateResponseMiddleware`` sits high in ``MIDDLEWARE``: below WhiteNoise, whose static files
answer before it and keep their long cache, and above the page cache (core.page_cache), which
stores a page before the header is added (it never stores a ``no-store`` response) and answers a
stored page through this middleware like any other. "Signed in" is read from the session (the
user's id in it), so a page served from the page cache costs no query more; the API is marked by
its path, as a script signs in there with a token instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

API_PREFIX = "/api/"


def is_private(request: HttpRequest) -> bool:
    """Whether the response to ``request`` must never be stored: an API request, or a request of
    a signed-in user (the session holds a user's id, set by the sign-in itself included)."""
    if request.path.startswith(API_PREFIX):
        return True
    session = getattr(request, "session", None)
    return session is not None and session.get(SESSION_KEY) is not None


class PrivateResponseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private(request):
            patch_cache_control(response, no_store=True, private=True)  # drops "public"
        return response
