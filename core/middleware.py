"""A clear "the database is unavailable" answer instead of a 500 while PostgreSQL is down.

``DatabaseUnavailableMiddleware`` (high in ``MIDDLEWARE``, below the middleware that adds
security headers) turns ``django.db.OperationalError`` and ``InterfaceError`` into a 503 with
``Retry-After``: an HTML page for people, JSON for the scripts of the app (the live
observation's ``fetch``), so the script keeps the entry in its queue and sends it again. Never
a traceback, and a 503 is never cached.

Two ways in, because Django turns an exception into a 500 at the layer that raised it:

- from a view (or its template): ``process_exception`` answers at once;
- from a middleware below this one (the session saved on the way out, the time zone read
  from the user): the ``got_request_exception`` receiver marks the request, and the 500 that
  comes back up is replaced here.

Recovery needs nothing from here: a failed request closes its broken connection, and
``CONN_HEALTH_CHECKS`` (config/settings/base.py) checks a persistent one before reusing it,
so the first request after PostgreSQL is back gets a fresh connection.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60
NOT_SAVED = "The database is unavailable; your entry was not saved. Try again in a minute."
NOT_SHOWN = "The database is unavailable, so this page cannot be shown. Try again in a minute."
_MARK = "_database_unavailable"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _wants_json(request: HttpRequest) -> bool:
    """The app's scripts mark their requests (X-Requested-With or an Accept of JSON); HTMX
    requests and plain pages get HTML."""
    return request.headers.get("X-Requested-With") in {"fetch", "XMLHttpRequest"} or (
        request.headers.get("Accept", "").startswith("application/json")
    )


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 for a request that needed the database while it was unreachable. Built without
    the database: no context processors, no user."""
    message = NOT_SHOWN if request.method in _SAFE_METHODS else NOT_SAVED
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {
                "error": "database_unavailable",
                "message": message,
                "retry_after": RETRY_AFTER_SECONDS,
            },
            status=503,
        )
    else:
        try:
            html = render_to_string("503.html", {"message": message, "request": request})
        except Exception:  # the page must come out whatever else is broken
            logger.exception("Could not render 503.html")
            html = f"<!doctype html><title>Database unavailable</title><h1>{message}</h1>"
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@receiver(got_request_exception, dispatch_uid="core.middleware.database_unavailable")
def _mark_database_unavailable(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """An uncaught database error anywhere below the middleware: remember it on the request
    (the receiver runs inside Django's ``except`` block, so the exception is at hand)."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        setattr(request, _MARK, True)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code >= 500 and getattr(request, _MARK, False):
            return database_unavailable_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error(
            "Database unavailable: %s %s answered 503 (%s)",
            request.method,
            request.path,
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
            exc_info=exception,
        )
        return database_unavailable_response(request)
