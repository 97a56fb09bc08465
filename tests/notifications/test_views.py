"""The private calendar feed (/calendar/<token>.ics) and the page that makes its link.

The feed parses with a standard iCalendar library and holds exactly the user's events: a
teacher's own sessions, observations and revisits, a coach's caseload's, both for someone who is
both; never another teacher's or another school's, never notes or evidence. Every bad link gets
the same bare 404.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import CalendarFeed
from accounts.services import calendar_feed_renew, calendar_feed_revoke
from coaching.models import RevisitStatus, SessionKind
from notifications.selectors import CALENDAR_FUTURE_DAYS, CALENDAR_PAST_DAYS
from notifications.views import FEED_NOT_FOUND
from teachers.models import Role
from tests.factories import (
    AgreedMoveFactory,
    CaseloadAssignmentFactory,
    CoachingCycleFactory,
    CoachingSessionFactory,
    DebriefFactory,
    MembershipFactory,
    ObservationFactory,
    ObservationNoteFactory,
    RevisitFactory,
    StudentEvidenceFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
SECRET = "CALSECRET"  # starts every confidential text planted below


def _feed(client, token: str):
    return client.get(reverse("calendar_feed", kwargs={"token": token}))


def _parse(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _uids(cal: icalendar.Calendar) -> set[str]:
    return {str(e["uid"]).split("@")[0] for e in cal.walk("VEVENT")}


def _event(cal: icalendar.Calendar, uid: str):
    return next(e for e in cal.walk("VEVENT") if str(e["uid"]).startswith(uid + "@"))


def _school_time(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """``hour``:``minute`` at school A (Los Angeles) ``days`` from the school's today."""
    day = timezone.localtime(timezone.now(), LA).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LA)


def _plant_confidential(cycle, observation) -> None:
    """Every kind of coaching content, which no calendar may show."""
    AgreedMoveFactory(
        cycle=cycle,
        script=f"{SECRET} script",
        next_day_action=f"{SECRET} action",
        success_indicator=f"{SECRET} indicator",
    )
    cycle.assessment.evidence = f"{SECRET} evidence"
    cycle.assessment.save()
    debrief = CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        held_at=timezone.now() - datetime.timedelta(days=3),
        notes=f"{SECRET} debrief notes",
    )
    DebriefFactory(
        session=debrief,
        students_showed=f"{SECRET} students showed",
        next_step=f"{SECRET} next step",
        teacher_reflection=f"{SECRET} reflection",
    )
    observation.focus = f"{SECRET} focus"
    observation.save()
    ObservationNoteFactory(observation=observation, text=f"{SECRET} note")
    StudentEvidenceFactory(observation=observation, description=f"{SECRET} evidence quote")


@pytest.fixture
def cal(school_world):
    """School A in Los Angeles. coach1's caseload: t1a (cycles c1a open, c1a_old closed) and
    t1b (c1b); coach2's: t2a (c2a); school B: tb (cb). Each open cycle gets a session planned
    at 09:00 in 10 days and a scheduled revisit; c1a holds every kind of confidential text."""
    w = school_world
    w.school_a.time_zone = "America/Los_Angeles"
    w.school_a.save()
    _plant_confidential(w.c1a, w.o1a)
    rows = {}
    for name, cycle in [("c1a", w.c1a), ("c1b", w.c1b), ("c2a", w.c2a), ("cb", w.cb)]:
        rows[f"planned_{name}"] = CoachingSessionFactory(
            cycle=cycle,
            kind=SessionKind.REHEARSAL,
            held_at=None,
            scheduled_for=_school_time(10, 9),
            duration_minutes=40,
            notes=f"{SECRET} rehearsal notes",
        )
        rows[f"revisit_{name}"] = RevisitFactory(cycle=cycle, reason=f"{SECRET} reason")
    today = timezone.localdate()
    rows["cancelled"] = RevisitFactory(
        cycle=w.c1a_old,
        due_on=today - datetime.timedelta(days=20),
        status=RevisitStatus.CANCELLED,
    )
    # Outside the window: long past, far ahead.
    rows["too_old"] = CoachingSessionFactory(
        cycle=w.c1a, held_at=timezone.now() - datetime.timedelta(days=CALENDAR_PAST_DAYS + 5)
    )
    rows["too_far"] = ObservationFactory(
        cycle=w.c1b,
        started_at=None,
        scheduled_for=timezone.now() + datetime.timedelta(days=CALENDAR_FUTURE_DAYS + 5),
    )
    rows["debrief_c1a"] = w.c1a.sessions.get(kind=SessionKind.DEBRIEF)
    tokens = {
        "coach1": calendar_feed_renew(user=w.coach1),
        "coach2": calendar_feed_renew(user=w.coach2),
        "t1a": calendar_feed_renew(user=w.t1a.user),
        "t2a": calendar_feed_renew(user=w.t2a.user),
        "principal_a": calendar_feed_renew(user=w.principal_a),
    }
    return w, rows, tokens


def _expected_t1a(w, rows) -> set[str]:
    return {
        f"observation-{w.o1a.pk}",
        f"observation-{w.o1a_old.pk}",
        f"session-{rows['planned_c1a'].pk}",
        f"session-{rows['debrief_c1a'].pk}",
        f"revisit-{rows['revisit_c1a'].pk}",
        f"revisit-{rows['cancelled'].pk}",
    }


# --- What the feed holds -------------------------------------------------------------------------


def test_teacher_feed_holds_exactly_their_own_events(client, cal):
    w, rows, tokens = cal

    feed = _parse(_feed(client, tokens["t1a"]))

    assert _uids(feed) == _expected_t1a(w, rows)
    assert feed["version"] == "2.0" and feed["prodid"]


def test_coach_feed_holds_exactly_their_caseloads_events(client, cal):
    w, rows, tokens = cal

    feed = _parse(_feed(client, tokens["coach1"]))

    assert _uids(feed) == _expected_t1a(w, rows) | {
        f"observation-{w.o1b.pk}",
        f"session-{rows['planned_c1b'].pk}",
        f"revisit-{rows['revisit_c1b'].pk}",
    }
    # coach2's teacher and school B's are absent, and so are the rows outside the window.
    text = _feed(client, tokens["coach1"]).content.decode()
    assert w.t2a.full_name not in text and w.tb.full_name not in text


def test_other_teachers_and_schools_stay_out_of_a_teachers_feed(client, cal):
    w, rows, tokens = cal

    feed = _parse(_feed(client, tokens["t2a"]))

    assert _uids(feed) == {
        f"observation-{w.o2a.pk}",
        f"session-{rows['planned_c2a'].pk}",
        f"revisit-{rows['revisit_c2a'].pk}",
    }


def test_a_principal_gets_no_events_of_shared_cycles(client, cal):
    """c1a is shared with principal_a: readable on its page, but not their visits to attend."""
    _, _, tokens = cal
    assert _uids(_parse(_feed(client, tokens["principal_a"]))) == set()


def test_a_coach_who_is_also_coached_gets_both(client, cal):
    w, rows, _ = cal
    own = TeacherFactory(school=w.school_b, user=w.coach2)
    MembershipFactory(user=w.coach2, role=Role.TEACHER, school=w.school_b)
    CaseloadAssignmentFactory(coach=w.coach_b, teacher=own)
    cycle = CoachingCycleFactory(teacher=own, coach=w.coach_b)
    move = AgreedMoveFactory(cycle=cycle).move
    session = CoachingSessionFactory(cycle=cycle, held_at=None, scheduled_for=_school_time(2, 8))

    feed = _parse(_feed(client, calendar_feed_renew(user=w.coach2)))

    caseload = {
        f"observation-{w.o2a.pk}",
        f"observation-{w.o2b.pk}",
        f"session-{rows['planned_c2a'].pk}",
        f"revisit-{rows['revisit_c2a'].pk}",
    }
    assert _uids(feed) == caseload | {f"session-{session.pk}"}
    own_event = _event(feed, f"session-{session.pk}")
    assert str(own_event["summary"]) == f"Co-planning with {w.coach_b.display_name} · {move.name}"
    coached = _event(feed, f"session-{rows['planned_c2a'].pk}")
    assert str(coached["summary"]) == f"Rehearsal: {w.t2a.full_name}"


def test_a_coach_whose_role_ended_loses_the_caseloads_events(client, cal):
    """The access policy decides: the caseload assignment alone is not enough."""
    w, _, tokens = cal
    w.coach1_membership.is_active = False
    w.coach1_membership.save()

    assert _uids(_parse(_feed(client, tokens["coach1"]))) == set()


def test_a_superuser_gets_only_their_own_caseload(client, cal):
    """A superuser may read everything, but only their own visits are theirs to attend."""
    w, _, _ = cal
    assert _uids(_parse(_feed(client, calendar_feed_renew(user=w.superuser)))) == set()


def test_no_feed_shows_notes_evidence_or_reflections(client, cal):
    _, _, tokens = cal
    for who in ("t1a", "coach1"):
        body = _feed(client, tokens[who]).content.decode()
        assert "BEGIN:VEVENT" in body
        assert SECRET not in body, who
        # Unfolded too (long lines are folded at 75 octets).
        unfolded = body.replace("\r\n ", "")
        assert SECRET not in unfolded, who


def test_summaries_name_the_kind_and_the_teacher_or_the_move(client, cal):
    w, rows, tokens = cal
    move = w.c1a.agreed_move.move.name
    teacher = _parse(_feed(client, tokens["t1a"]))
    coach = _parse(_feed(client, tokens["coach1"]))
    planned = f"session-{rows['planned_c1a'].pk}"

    assert str(_event(teacher, planned)["summary"]) == (
        f"Rehearsal with {w.coach1.display_name} · {move}"
    )
    assert str(_event(coach, planned)["summary"]) == f"Rehearsal: {w.t1a.full_name}"
    assert str(_event(coach, planned)["location"]) == "School A"
    assert str(_event(coach, planned)["url"]).endswith(f"/cycles/{w.c1a.pk}/")
    assert str(_event(teacher, planned)["url"]).endswith("/my-move/")


def test_revisits_are_all_day_and_a_cancelled_one_says_so(client, cal):
    _, rows, tokens = cal
    feed = _parse(_feed(client, tokens["t1a"]))

    scheduled = _event(feed, f"revisit-{rows['revisit_c1a'].pk}")
    cancelled = _event(feed, f"revisit-{rows['cancelled'].pk}")

    assert scheduled.decoded("dtstart") == rows["revisit_c1a"].due_on
    assert not isinstance(scheduled.decoded("dtstart"), datetime.datetime)
    assert scheduled.decoded("dtend") == rows["revisit_c1a"].due_on + datetime.timedelta(days=1)
    assert str(scheduled["status"]) == "CONFIRMED"
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["summary"]).startswith("Cancelled: ")


def test_a_done_revisit_shows_on_the_day_it_was_done(client, cal):
    w, rows, tokens = cal
    revisit = rows["revisit_c1b"]
    done_on = timezone.localdate() - datetime.timedelta(days=2)
    revisit.status, revisit.completed_on = RevisitStatus.DONE, done_on
    revisit.save()

    event = _event(_parse(_feed(client, tokens["coach1"])), f"revisit-{revisit.pk}")

    assert event.decoded("dtstart") == done_on
    assert str(event["summary"]) == f"Done: Revisit: {w.t1b.full_name}"


def test_nine_oclock_at_the_school_is_the_right_utc_instant(client, cal):
    """The session planned at 09:00 in Los Angeles appears at 16:00 or 17:00 UTC (summer or
    winter time), written in UTC."""
    _, rows, tokens = cal
    session = rows["planned_c1a"]
    expected = _school_time(10, 9).astimezone(datetime.UTC)

    response = _feed(client, tokens["t1a"])
    event = _event(_parse(response), f"session-{session.pk}")

    start = event.decoded("dtstart")
    assert start == expected
    assert start.utcoffset() == datetime.timedelta(0)
    assert expected.hour in (16, 17)
    assert f"DTSTART:{expected:%Y%m%dT%H%M%S}Z" in response.content.decode()
    assert event.decoded("dtend") - start == datetime.timedelta(minutes=40)


def test_uids_are_stable_across_fetches_and_renewals(client, cal):
    w, _, tokens = cal
    first = _uids(_parse(_feed(client, tokens["coach1"])))
    again = _uids(_parse(_feed(client, calendar_feed_renew(user=w.coach1))))
    assert first == again
    feed = _parse(_feed(client, tokens["t1a"]))
    assert all(str(e["uid"]).endswith("@testserver") for e in feed.walk("VEVENT"))
    assert all("dtstamp" in e for e in feed.walk("VEVENT"))


def test_the_feed_is_never_cached(client, cal):
    """Not by the page cache (a new event shows on the next fetch) nor by anyone downstream."""
    w, _, tokens = cal
    first = _feed(client, tokens["t1a"])
    session = CoachingSessionFactory(cycle=w.c1a, held_at=None, scheduled_for=_school_time(3, 11))

    second = _feed(client, tokens["t1a"])

    assert f"session-{session.pk}" in _uids(_parse(second))
    for response in (first, second):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_query_count_does_not_grow_with_events(client, cal, django_assert_num_queries):
    w, _, tokens = cal
    with CaptureQueriesContext(connection) as small:
        small_feed = _parse(_feed(client, tokens["coach1"]))
    for _ in range(4):
        teacher = TeacherFactory(school=w.school_a)
        CaseloadAssignmentFactory(coach=w.coach1, teacher=teacher)
        cycle = CoachingCycleFactory(teacher=teacher, coach=w.coach1)
        AgreedMoveFactory(cycle=cycle)
        CoachingSessionFactory(cycle=cycle, held_at=None, scheduled_for=_school_time(4, 10))
        CoachingSessionFactory(cycle=cycle, held_at=timezone.now())
        ObservationFactory(cycle=cycle)
        RevisitFactory(cycle=cycle)

    with django_assert_num_queries(len(small.captured_queries)):
        large_feed = _parse(_feed(client, tokens["coach1"]))

    assert len(large_feed.walk("VEVENT")) == len(small_feed.walk("VEVENT")) + 4 * 4
    assert len(small.captured_queries) <= 4  # the token, then sessions, visits and revisits


# --- Bad links: the same bare 404 ---------------------------------------------------------------


def _assert_bare_404(response) -> None:
    assert response.status_code == 404
    assert response.content == FEED_NOT_FOUND
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_a_wrong_token_gets_the_bare_404(client, cal):
    _, _, tokens = cal
    token = tokens["t1a"]
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in ("nope", changed, token.upper(), token[:-1], token + "x", "x" * 500, "%00"):
        _assert_bare_404(_feed(client, bad))


def test_a_renewed_token_gets_the_bare_404(client, cal):
    w, _, tokens = cal
    new = calendar_feed_renew(user=w.t1a.user)

    _assert_bare_404(_feed(client, tokens["t1a"]))
    assert _parse(_feed(client, new))


def test_a_revoked_token_gets_the_bare_404(client, cal):
    w, _, tokens = cal
    calendar_feed_revoke(user=w.t1a.user)
    _assert_bare_404(_feed(client, tokens["t1a"]))


def test_a_deactivated_account_gets_the_bare_404(client, cal):
    w, _, tokens = cal
    w.coach1.is_active = False
    w.coach1.save()
    _assert_bare_404(_feed(client, tokens["coach1"]))


def test_a_signed_in_teacher_cannot_reach_another_feed(client, cal):
    """The token is the only key: being signed in, or naming another user or cycle in the URL,
    changes nothing."""
    w, _, tokens = cal
    client.force_login(w.t2a.user)
    url = reverse("calendar_feed", kwargs={"token": tokens["t2a"]})

    _assert_bare_404(_feed(client, "made-up"))
    mine = _uids(_parse(client.get(url, {"user": w.t1a.user.pk, "teacher": w.t1a.pk})))
    assert mine == _uids(_parse(client.get(url)))
    assert f"observation-{w.o1a.pk}" not in mine


def test_the_feed_refuses_writes(client, cal):
    _, _, tokens = cal
    url = reverse("calendar_feed", kwargs={"token": tokens["t1a"]})
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200


# --- The Calendar page ---------------------------------------------------------------------------


def test_first_visit_makes_no_link(client, school_world):
    user = school_world.t1a.user
    client.force_login(user)

    response = client.get(reverse("calendar_settings"))

    assert response.status_code == 200
    assert "Create my calendar link" in response.content.decode()
    assert not CalendarFeed.objects.filter(user=user).exists()


def test_creating_shows_the_link_once(client, school_world):
    user = school_world.t1a.user
    client.force_login(user)

    made = client.post(reverse("calendar_settings"), {"action": "renew"})

    body = made.content.decode()
    assert made.status_code == 200
    assert "Copy it now" in body
    assert "no-store" in made["Cache-Control"]
    https = re.search(r'id="feed-https"[^>]*value="([^"]+)"', body)[1]
    assert https.startswith("http://testserver/calendar/") and https.endswith(".ics")
    assert "webcal://testserver/calendar/" in body
    token = https.rsplit("/", 1)[1].removesuffix(".ics")
    assert _parse(client.get(https.removeprefix("http://testserver")))
    # Later visits never show it again.
    later = client.get(reverse("calendar_settings")).content.decode()
    assert token not in later
    assert "Make a new link" in later


def test_renewing_on_the_page_stops_the_old_link(client, school_world):
    user = school_world.coach1
    old = calendar_feed_renew(user=user)
    client.force_login(user)

    response = client.post(reverse("calendar_settings"), {"action": "renew"})

    assert response.status_code == 200
    assert old not in response.content.decode()
    _assert_bare_404(_feed(client, old))


def test_stopping_the_feed_on_the_page(client, school_world):
    user = school_world.coach1
    token = calendar_feed_renew(user=user)
    client.force_login(user)

    response = client.post(reverse("calendar_settings"), {"action": "revoke"}, follow=True)

    assert "no longer works" in response.content.decode()
    _assert_bare_404(_feed(client, token))


def test_stopping_a_feed_that_is_not_there_says_so(client, school_world):
    client.force_login(school_world.coach1)

    response = client.post(reverse("calendar_settings"), {"action": "revoke"}, follow=True)

    assert "no calendar feed to stop" in response.content.decode()
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("data", [{}, {"action": "bogus"}, {"action": "renew\x00"}])
def test_unknown_actions_are_refused_with_a_reason(client, school_world, data):
    user = school_world.coach1
    client.force_login(user)

    response = client.post(reverse("calendar_settings"), data)

    assert response.status_code == 400
    assert "Choose one of the buttons" in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_the_page_is_for_teachers_and_coaches(client, school_world):
    w = school_world
    url = reverse("calendar_settings")
    client.force_login(w.principal_a)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "renew"}).status_code == 403
    assert not CalendarFeed.objects.exists()
    client.logout()
    assert client.get(url).status_code == 302


def test_the_navigation_links_the_page_for_teachers_and_coaches_only(client, school_world):
    w = school_world
    link = f'href="{reverse("calendar_settings")}"'
    for user, shown in [(w.t1a.user, True), (w.coach1, True), (w.principal_a, False)]:
        client.force_login(user)
        assert (link in client.get(reverse("home"), follow=True).content.decode()) == shown


# --- The admin -----------------------------------------------------------------------------------


def test_the_admin_lists_feeds_without_their_hash(client, school_world):
    user = school_world.coach1
    calendar_feed_renew(user=user)
    feed = CalendarFeed.objects.get(user=user)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:accounts_calendarfeed_changelist"))
    page = client.get(reverse("admin:accounts_calendarfeed_change", args=[feed.pk]))

    assert listing.status_code == 200 and page.status_code == 200
    for response in (listing, page):
        assert feed.token_hash not in response.content.decode()
    assert client.get(reverse("admin:accounts_calendarfeed_add")).status_code == 403
