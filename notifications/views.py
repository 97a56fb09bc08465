"""The private calendar feed (RFC 5545) and the page where a teacher or coach makes its link.

The feed (``/calendar/<token>.ics``) needs no sign-in: calendar apps fetch it on their own, so
the secret token in the URL is the credential. Only the token's hash is stored
(accounts.CalendarFeed): the link is shown once, right after it is made, and renewing it makes
the old link give 404 at once. Every bad link (unknown, renewed or revoked token, deactivated
account) gets the same bare 404, so a response tells nothing about which it was.

Events carry process data only (kind, time, teacher or coach, school, and for the teacher the
move's library name): calendars end up in Google or Outlook, and coaching stays confidential.

Caching: the feed is never kept anywhere (``no-store``), neither in the page cache nor by a
browser or proxy. Calendar apps poll on their own schedule (Google every few hours) and
conditional requests would save little, while a renewed or revoked link must stop working at
once and the content (names, visit times) has no business in a shared cache.
"""

from __future__ import annotations

import datetime

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.http.request import split_domain_port
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts import selectors as account_selectors
from accounts import services as account_services
from coaching.views.home import _require_role
from notifications import selectors
from notifications.selectors import CalendarEvent
from teachers.models import Role

PRODID = "-//Coaching cycles//Calendar feed//EN"
CALENDAR_NAME = "Coaching visits"
REFRESH = datetime.timedelta(hours=1)  # a hint to calendar apps (PT1H); most poll less often
FEED_NOT_FOUND = b"Not found.\n"  # the one body of every bad link


def _not_found() -> HttpResponse:
    response = HttpResponseNotFound(FEED_NOT_FOUND, content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response


def _summary(event: CalendarEvent) -> str:
    """What the calendar shows: for the teacher, the kind, the coach and the move's name; for
    the coach, the kind and the teacher. Never notes, evidence or reflections."""
    if event.mine:
        with_whom = "by" if event.kind == "observation" else "with"
        text = f"{event.title} {with_whom} {event.coach}"
        if event.move:
            text += f" · {event.move}"
    else:
        text = f"{event.title}: {event.teacher}"
    if event.cancelled:
        return f"Cancelled: {text}"
    if event.missed:
        return f"Missed: {text}"
    if event.done and event.kind == "revisit":
        return f"Done: {text}"
    return text


def _event_url(request: HttpRequest, event: CalendarEvent) -> str:
    if event.mine:
        path = reverse("my_move")
    elif event.cycle_id:
        path = reverse("cycle_detail", kwargs={"cycle_id": event.cycle_id})
    else:
        path = reverse("teacher_detail", kwargs={"teacher_id": event.teacher_id})
    return request.build_absolute_uri(path)


def calendar_ics(request: HttpRequest, events: list[CalendarEvent]) -> bytes:
    """The feed as iCalendar text: UTC times for timed events, whole days for revisits. UIDs
    are stable (``<kind>-<id>@<host>``), so an event moved or cancelled updates in place."""
    domain, _ = split_domain_port(request.get_host())
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME)
    cal.add("x-published-ttl", "PT1H")  # the same hint, for Outlook
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    for event in events:
        item = icalendar.Event()
        item.add("uid", f"{event.uid}@{domain or 'coaching-cycles'}")
        item.add("dtstamp", stamp)
        if event.all_day:
            item.add("dtstart", event.start)
            item.add("dtend", event.end)
            item.add("transp", "TRANSPARENT")  # a due date, not a busy slot
        else:
            item.add("dtstart", event.start.astimezone(datetime.UTC))
            item.add("dtend", event.end.astimezone(datetime.UTC))
        item.add("summary", _summary(event))
        item.add("location", event.school)
        item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        item.add("categories", [event.title])
        url = _event_url(request, event)
        item.add("url", url)
        item.add("description", f"Details (sign-in needed): {url}")
        cal.add_component(item)
    return cal.to_ical()


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed of whoever's current token this is; the same bare 404 for any other link,
    whoever asks (signed in or not)."""
    user = account_selectors.calendar_feed_user(token=token)
    if user is None:
        return _not_found()
    events = selectors.calendar_events(user=user)
    response = HttpResponse(
        calendar_ics(request, events), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="coaching.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    add_never_cache_headers(response)
    return response


def _feed_links(request: HttpRequest, token: str) -> dict[str, str]:
    https = request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": token}))
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


ACTIONS = {"renew", "revoke"}


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Make, renew or stop the signed-in teacher's or coach's feed link. Nothing is made until
    they ask. The link shows once, in the answer to the POST that made it (never stored, never
    cached): renewing is the way to get it again."""
    _require_role(request, Role.TEACHER, Role.COACH)
    links = None
    error = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            error = "Choose one of the buttons below: make a new link, or stop the feed."
            status = 400
        elif action == "revoke":
            if account_services.calendar_feed_revoke(user=request.user):
                messages.success(
                    request, "Your calendar feed is stopped: its link no longer works."
                )
            else:  # a second click, or another tab stopped it already
                messages.info(request, "You have no calendar feed to stop.")
            return redirect("calendar_settings")
        else:
            try:
                token = account_services.calendar_feed_renew(user=request.user)
            except ValidationError:
                error = (
                    "Your link could not be made just now: another request was making one. "
                    "Try again."
                )
                status = 409
            else:
                links = _feed_links(request, token)
    feed = account_selectors.calendar_feed_of(user=request.user)
    context = {
        "feed": feed,
        "links": links,
        "error": error,
        "past_days": selectors.CALENDAR_PAST_DAYS,
    }
    return render(request, "notifications/calendar.html", context, status=status)
