"""Show dates and times in the signed-in person's school time zone."""

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from teachers.selectors import user_time_zone

SESSION_KEY = "school_time_zone"


class SchoolTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The session's zone first: a page served from the cache never loads the user.
        session = getattr(request, "session", None)
        name = session.get(SESSION_KEY) if session is not None else None
        if name is None:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                name = user_time_zone(user=user) or ""
                request.session[SESSION_KEY] = name
        if name:
            timezone.activate(zoneinfo.ZoneInfo(name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
