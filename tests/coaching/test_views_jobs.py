"""The pages of the background jobs: the context brief page (stored, assembled on demand,
rebuilt when new evidence lands), the brief on the debrief page, and moving a revisit."""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from coaching.models import ContextBrief, CycleState, Revisit, RevisitStatus
from observations.models import Observation
from teachers.models import NonSchoolDay
from teachers.school_days import SchoolDays
from tests.factories import AgreedMoveFactory, RevisitFactory, StudentEvidenceFactory

pytestmark = pytest.mark.django_db

INDICATOR = "At least 20 of 25 boards up within 10 seconds of the countdown."
REVISIT_REASON = "10 school days after the last touch (a new move)."


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def school_today(school) -> datetime.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(school.time_zone))


def brief_url(cycle) -> str:
    return reverse("cycle_brief", args=[cycle.pk])


def move_url(revisit) -> str:
    return reverse("revisit_move", args=[revisit.pk])


@pytest.fixture
def coach(client, school_world) -> Client:
    client.force_login(school_world.coach1)
    return client


@pytest.fixture
def cycle(school_world):
    """coach1's cycle c1a (shared with the principal), under way: move agreed, observed in o1a
    (t1a's latest visit: the closed cycle's visit was a month ago), no brief yet."""
    w = school_world
    AgreedMoveFactory(cycle=w.c1a, success_indicator=INDICATOR)
    w.c1a.state = CycleState.ACTIVE
    w.c1a.save()
    Observation.objects.filter(pk=w.o1a_old.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert not ContextBrief.objects.exists()
    return w.c1a


@pytest.fixture
def revisit(school_world, cycle):
    """The scheduled revisit of c1a, two weeks out."""
    return RevisitFactory(
        cycle=cycle,
        due_on=school_today(school_world.school_a) + datetime.timedelta(days=14),
        reason=REVISIT_REASON,
    )


# --- The context brief page --------------------------------------------------------------------


def test_the_brief_page_assembles_a_missing_brief_then_reads_the_stored_one(
    coach, school_world, cycle
):
    response = coach.get(brief_url(cycle))

    assert response.status_code == 200
    html = response.content.decode()
    assert INDICATOR in html
    assert "Assembled just now" in html
    brief = ContextBrief.objects.get()
    assert brief.cycle == cycle and brief.build_count == 1 and not brief.is_stale

    response = coach.get(brief_url(cycle))

    brief.refresh_from_db()
    assert brief.build_count == 1  # read, not assembled again
    built = timezone.localtime(brief.built_at, zoneinfo.ZoneInfo(school_world.school_a.time_zone))
    html = response.content.decode()
    assert f"Assembled {dateformat.format(built, 'D j M, H:i')}" in html
    assert "Assembled just now" not in html
    assert INDICATOR in html


def test_new_evidence_makes_the_next_visit_of_the_brief_page_rebuild_it(coach, school_world, cycle):
    coach.get(brief_url(cycle))
    StudentEvidenceFactory(
        observation=school_world.o1a, description="Pupil: the bigger denominator is smaller."
    )
    brief = ContextBrief.objects.get()
    assert brief.is_stale

    response = coach.get(brief_url(cycle))

    brief.refresh_from_db()
    assert brief.build_count == 2 and not brief.is_stale
    html = response.content.decode()
    assert "Pupil: the bigger denominator is smaller." in html
    assert "Assembled just now" in html


def test_posting_to_the_brief_page_assembles_it_again(coach, cycle):
    coach.get(brief_url(cycle))

    response = coach.post(brief_url(cycle))

    assert response.status_code == 302
    assert response.url == brief_url(cycle)
    assert ContextBrief.objects.get().build_count == 2
    assert "Brief assembled again." in messages_of(response)


def test_a_closed_cycle_without_a_brief_says_so_and_builds_none(coach, school_world):
    closed = school_world.c1a_old

    response = coach.get(brief_url(closed))

    assert response.status_code == 200
    assert "This cycle closed before a brief was assembled." in response.content.decode()
    assert coach.post(brief_url(closed)).status_code == 302
    assert not ContextBrief.objects.exists()


@pytest.mark.parametrize(
    "who",
    [
        pytest.param(lambda w: w.principal_a, id="the principal (cycle shared)"),
        pytest.param(lambda w: w.coach2, id="another coach"),
        pytest.param(lambda w: w.t1a.user, id="the teacher"),
    ],
)
def test_only_the_coach_reaches_the_brief_and_revisit_pages(
    client, school_world, cycle, revisit, who
):
    """The brief is the coach's preparation (CHANGE access): the same pages as in the success
    tests answer 404 to everybody else, and nothing is built or moved."""
    client.force_login(who(school_world))
    new_date = (revisit.due_on - datetime.timedelta(days=7)).isoformat()

    responses = [
        client.get(brief_url(cycle)),
        client.post(brief_url(cycle)),
        client.get(reverse("debrief", args=[cycle.pk])),
        client.get(move_url(revisit)),
        client.post(move_url(revisit), {"due_on": new_date}),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)
    assert not ContextBrief.objects.exists()
    moved = Revisit.objects.get(pk=revisit.pk)
    assert (moved.due_on, moved.reason) == (revisit.due_on, REVISIT_REASON)


# --- The brief on the debrief page -------------------------------------------------------------


def test_the_debrief_page_stores_the_brief_it_shows(coach, cycle):
    response = coach.get(reverse("debrief", args=[cycle.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Assembled just now" in html
    assert INDICATOR in html
    assert ContextBrief.objects.get(cycle=cycle).build_count == 1


def test_a_refused_debrief_shows_the_brief_and_stores_nothing(coach, school_world, cycle):
    data = {
        "students_showed": "22 of 25 boards up.",
        "indicator_met": "yes",
        "next_step": "",
        "duration_minutes": "20",
        "decision": "continue",
        "revisit_due_on": (
            school_today(school_world.school_a) + datetime.timedelta(days=14)
        ).isoformat(),
    }

    response = coach.post(reverse("debrief", args=[cycle.pk]), data)

    assert response.status_code == 200
    assert "next_step" in response.context["form"].errors
    assert INDICATOR in response.content.decode()  # the brief, assembled for the page only
    assert not ContextBrief.objects.exists()
    cycle.refresh_from_db()
    assert cycle.state == CycleState.ACTIVE


# --- Moving a revisit --------------------------------------------------------------------------


def test_the_move_page_shows_the_date_and_the_reason(coach, revisit):
    response = coach.get(move_url(revisit))

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["form"]["due_on"].value() == revisit.due_on
    assert f'value="{revisit.due_on.isoformat()}"' in html
    assert f"Due {dateformat.format(revisit.due_on, 'D j M Y')}" in html
    assert REVISIT_REASON in html


def test_the_coach_moves_a_revisit_earlier_with_a_reason_kept_on_it(
    coach, school_world, cycle, revisit
):
    today = school_today(school_world.school_a)
    earlier = SchoolDays().add(today, 2)  # before the window: 10 to 20 school days
    data = {"due_on": earlier.isoformat(), "off_rule_reason": "The teacher is away next month."}

    response = coach.post(move_url(revisit), data)

    assert response.status_code == 302
    assert response.url == reverse("cycle_detail", args=[cycle.pk])
    assert f"Revisit moved to {earlier:%a %d %b}." in messages_of(response)
    revisit.refresh_from_db()
    assert revisit.due_on == earlier
    assert revisit.status == RevisitStatus.SCHEDULED
    assert revisit.reason == f"Moved by the coach on {today:%d %b}."
    assert revisit.off_rule_reason == "The teacher is away next month."
    page = coach.get(response.url).content.decode()
    assert "The teacher is away next month." in page  # shown on the cycle page


def test_a_revisit_two_school_days_out_without_a_reason_is_refused_next_to_the_reason(
    coach, school_world, cycle, revisit
):
    earlier = SchoolDays().add(school_today(school_world.school_a), 2)

    response = coach.post(move_url(revisit), {"due_on": earlier.isoformat()})

    assert response.status_code == 200
    html = response.content.decode()
    field_error = re.search(r'<div id="id_off_rule_reason_error"[^>]*>(.*?)</div>', html, re.S)
    assert field_error and "is outside the revisit window" in unescape(field_error[1])
    assert 'id="revisit-off-rule" data-date-input="id_due_on">' in html  # shown, not d-none
    moved = Revisit.objects.get(pk=revisit.pk)
    assert (moved.due_on, moved.off_rule_reason) == (revisit.due_on, "")


def test_the_move_page_shows_the_window_and_hides_the_reason_until_needed(
    coach, school_world, revisit
):
    Observation.objects.filter(pk=school_world.o1a.pk).update(started_at=timezone.now())
    today = school_today(school_world.school_a)
    first, last = SchoolDays().add(today, 10), SchoolDays().add(today, 20)

    html = unescape(coach.get(move_url(revisit)).content.decode())

    assert (
        f"A school day between {first:%a %d %b} and {last:%a %d %b}: 10 to 20 school days "
        f"after the last touch on {today:%a %d %b}." in html
    )
    assert 'id="revisit-off-rule" data-date-input="id_due_on" class="d-none"' in html
    assert "js/revisit_window.js" in html


@pytest.mark.parametrize("school_days", [10, 20], ids=["first day", "last day of the window"])
def test_a_revisit_moves_to_any_school_day_of_the_window_without_a_reason(
    coach, school_world, revisit, school_days
):
    """c1a was last touched today (o1a started just now): the window is 10 to 20 school days
    out."""
    # Just now, not the factory's hour ago: in the school's first hour that was yesterday.
    Observation.objects.filter(pk=school_world.o1a.pk).update(started_at=timezone.now())
    new_date = SchoolDays().add(school_today(school_world.school_a), school_days)

    response = coach.post(move_url(revisit), {"due_on": new_date.isoformat()})

    assert response.status_code == 302
    revisit.refresh_from_db()
    assert (revisit.due_on, revisit.off_rule_reason) == (new_date, "")


def _saturday_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(5 - day.weekday()) % 7 or 7)


@pytest.mark.parametrize(
    ("due_on", "error"),
    [
        pytest.param(
            lambda today: today - datetime.timedelta(days=1),
            "Pick today or a later day.",
            id="yesterday",
        ),
        pytest.param(
            lambda today: _saturday_after(today + datetime.timedelta(days=14)),
            "is not a school day (a weekend): the nearest school days are",
            id="a Saturday",
        ),
        pytest.param(lambda today: "x", "Enter a valid date.", id="not a date"),
        pytest.param(lambda today: "2024-02-30", "Enter a valid date.", id="no such day"),
        pytest.param(lambda today: "9999-12-31", "Pick a date between", id="year 9999"),
        pytest.param(lambda today: "0001-01-01", "Pick a date between", id="year 1"),
        pytest.param(lambda today: "", "This field is required.", id="empty"),
    ],
)
def test_a_refused_date_is_shown_next_to_the_field_and_nothing_moves(
    coach, school_world, revisit, due_on, error
):
    value = due_on(school_today(school_world.school_a))

    response = coach.post(move_url(revisit), {"due_on": str(value), "off_rule_reason": "x"})

    assert response.status_code == 200
    assert any(error in message for message in response.context["form"].errors["due_on"])
    field_error = re.search(
        r'<div id="id_due_on_error"[^>]*>(.*?)</div>', response.content.decode(), re.S
    )
    assert field_error and error in unescape(field_error[1])  # next to the field
    moved = Revisit.objects.get(pk=revisit.pk)
    assert (moved.due_on, moved.reason) == (revisit.due_on, REVISIT_REASON)


def test_a_holiday_is_refused_by_its_name(coach, school_world, revisit):
    today = school_today(school_world.school_a)
    holiday = SchoolDays().add(today, 12)
    NonSchoolDay.objects.create(
        school=school_world.school_a, starts_on=holiday, ends_on=holiday, name="Founders' Day"
    )

    response = coach.post(move_url(revisit), {"due_on": holiday.isoformat()})

    assert response.status_code == 200
    [message] = response.context["form"].errors["due_on"]
    assert message.startswith(f"{holiday:%a %d %b} is not a school day (Founders' Day)")
    assert Revisit.objects.get(pk=revisit.pk).due_on == revisit.due_on


def test_a_done_revisit_cannot_be_moved(coach, school_world, cycle, revisit):
    done_on = school_today(school_world.school_a)
    Revisit.objects.filter(pk=revisit.pk).update(status=RevisitStatus.DONE, completed_on=done_on)

    for response in (
        coach.get(move_url(revisit)),
        coach.post(move_url(revisit), {"due_on": done_on.isoformat()}),
    ):
        assert response.status_code == 302
        assert response.url == reverse("cycle_detail", args=[cycle.pk])
        assert "This revisit is done." in messages_of(response)
    moved = Revisit.objects.get(pk=revisit.pk)
    assert (moved.due_on, moved.status, moved.reason) == (
        revisit.due_on,
        RevisitStatus.DONE,
        REVISIT_REASON,
    )


# --- The cycle page ----------------------------------------------------------------------------


def test_the_cycle_page_lists_reasons_and_offers_move_and_brief_to_the_coach_only(
    client, school_world, cycle, revisit
):
    today = school_today(school_world.school_a)
    RevisitFactory(
        cycle=cycle,
        due_on=today - datetime.timedelta(days=20),
        status=RevisitStatus.DONE,
        completed_on=today - datetime.timedelta(days=19),
        reason="Chosen at the debrief of 01 Mar.",
    )
    done = Revisit.objects.get(cycle=cycle, status=RevisitStatus.DONE)
    url = reverse("cycle_detail", args=[cycle.pk])

    client.force_login(school_world.coach1)
    coach_html = client.get(url).content.decode()
    client.force_login(school_world.principal_a)  # c1a is shared with the principal
    principal = client.get(url)
    principal_html = principal.content.decode()

    assert REVISIT_REASON in coach_html and "Chosen at the debrief of 01 Mar." in coach_html
    assert f'href="{move_url(revisit)}"' in coach_html
    assert f'href="{move_url(done)}"' not in coach_html  # a done revisit stays where it was
    assert f'href="{brief_url(cycle)}"' in coach_html and "Context brief" in coach_html
    assert principal.status_code == 200
    assert REVISIT_REASON in principal_html
    assert "/revisits/" not in principal_html
    assert f'href="{brief_url(cycle)}"' not in principal_html
