"""Coach pages for observations: scheduling a visit and the debrief, and who may use any
observation page (the live page's own tests: tests/live_observation/test_views.py)."""

import datetime
import json
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from coaching.models import (
    CoachingSession,
    CycleState,
    Debrief,
    Outcome,
    Revisit,
    RevisitStatus,
    SessionKind,
    TimeEntry,
)
from observations.models import Observation, ObservationNote
from teachers.models import NonSchoolDay
from teachers.school_days import SchoolDays

pytestmark = pytest.mark.django_db

SCHOOL_TZ = zoneinfo.ZoneInfo("America/New_York")  # the factories' school time zone
JSON_HEADERS = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


def school_today() -> datetime.date:
    return timezone.localdate(timezone=SCHOOL_TZ)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def entry_url(observation) -> str:
    return reverse("observation_entry", args=[observation.pk])


# --- Scheduling --------------------------------------------------------------------------------


def test_coach_schedules_an_observation_in_the_school_time_zone(coach, school_world):
    w = school_world
    day = school_today() + datetime.timedelta(days=2)

    response = coach.post(
        reverse("observation_new", args=[w.c1a.pk]),
        {"scheduled_for": f"{day:%Y-%m-%d}T09:30", "focus": "Boards up within 10 seconds"},
    )

    assert response.status_code == 302
    assert response.url == reverse("cycle_detail", args=[w.c1a.pk])
    visit = Observation.objects.get(cycle=w.c1a, started_at__isnull=True)
    assert visit.scheduled_for == datetime.datetime(
        day.year, day.month, day.day, 9, 30, tzinfo=SCHOOL_TZ
    )
    assert visit.focus == "Boards up within 10 seconds"
    assert visit.observer == w.coach1


def test_an_observation_in_the_past_is_refused_next_to_the_field(coach, school_world):
    w = school_world
    day = school_today() - datetime.timedelta(days=2)

    response = coach.post(
        reverse("observation_new", args=[w.c1a.pk]), {"scheduled_for": f"{day:%Y-%m-%d}T09:30"}
    )

    assert response.status_code == 200
    assert "Schedule the observation for now or later." in response.content.decode()
    assert not Observation.objects.filter(cycle=w.c1a, started_at__isnull=True).exists()


# --- Who may use these pages -------------------------------------------------------------------


def observation_urls(w) -> list[tuple[str, str]]:
    return [
        ("get", reverse("observation_new", args=[w.c1a.pk])),
        ("post", reverse("observation_new", args=[w.c1a.pk])),
        ("get", reverse("observation_live", args=[w.o1a.pk])),
        ("post", reverse("observation_start", args=[w.o1a.pk])),
        ("post", reverse("observation_finish", args=[w.o1a.pk])),
        ("post", reverse("observation_entry", args=[w.o1a.pk])),
        ("get", reverse("debrief", args=[w.c1a.pk])),
        ("post", reverse("debrief", args=[w.c1a.pk])),
    ]


@pytest.mark.parametrize(
    "who",
    [
        pytest.param(lambda w: w.coach2, id="another coach"),
        pytest.param(lambda w: w.coach_b, id="a coach at another school"),
        pytest.param(lambda w: w.principal_a, id="the principal (cycle shared)"),
        pytest.param(lambda w: w.t1a.user, id="the teacher"),
    ],
)
def test_anyone_but_the_teachers_coach_gets_404_on_every_observation_url(
    client, school_world, active_cycle, who
):
    w = school_world
    client.force_login(who(w))
    before = (ObservationNote.objects.count(), TimeEntry.objects.count(), Debrief.objects.count())

    for method, url in observation_urls(w):
        data = {"type": "note", "text": "x", "scheduled_for": "2030-01-01T09:00"}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 404, (method, url)

    after = (ObservationNote.objects.count(), TimeEntry.objects.count(), Debrief.objects.count())
    assert after == before
    w.o1a.refresh_from_db()
    assert w.o1a.ended_at is None


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, school_world):
    for method, url in observation_urls(school_world):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# --- The debrief -------------------------------------------------------------------------------


def debrief_data(**overrides) -> dict:
    return {
        "students_showed": "22 of 25 boards up within 10 seconds.",
        "indicator_met": "yes",
        "next_step": "Add a 'why' prompt after the boards go up.",
        "teacher_reflection": "Calmer than cold calling.",
        "duration_minutes": "25",
        "decision": "continue",
        "revisit_due_on": SchoolDays().add(school_today(), 15).isoformat(),
        "outcome": "",
    } | overrides


def test_the_debrief_page_shows_the_brief_move_and_the_before_and_after_numbers(
    coach, active_cycle
):
    response = coach.get(reverse("debrief", args=[active_cycle.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mini whiteboards on hinge questions" in html  # the move, from the brief
    assert "48%" in html  # 12 of 25 before the move
    assert "84%" in html  # 21 of 25 after
    assert "+36 points" in html
    assert 'id="engagement-chart"' in html
    assert 'data-draft-key="debrief-' in html


def test_the_revisit_date_defaults_to_the_revisit_rule(coach, active_cycle):
    response = coach.get(reverse("debrief", args=[active_cycle.pk]))

    suggested = SchoolDays().add(school_today(), 10)
    assert response.context["form"]["revisit_due_on"].value() == suggested.isoformat()
    html = response.content.decode()
    assert "new move or indicator not met yet: 10 school days (two school weeks)" in html
    last = SchoolDays().add(school_today(), 20)
    assert (
        f"When continuing: a school day between {suggested:%a %d %b} and {last:%a %d %b}: 10 "
        f"to 20 school days after the last touch on {school_today():%a %d %b}." in html
    )
    assert 'id="revisit-off-rule" data-date-input="id_revisit_due_on" class="d-none"' in html


def test_continuing_schedules_the_revisit_on_the_chosen_date(coach, active_cycle):
    due = SchoolDays().add(school_today(), 15)

    response = coach.post(
        reverse("debrief", args=[active_cycle.pk]), debrief_data(revisit_due_on=due.isoformat())
    )

    assert response.status_code == 302
    assert response.url == reverse("cycle_detail", args=[active_cycle.pk])
    active_cycle.refresh_from_db()
    assert active_cycle.state == CycleState.DEBRIEFED
    revisit = Revisit.objects.get(cycle=active_cycle, status=RevisitStatus.SCHEDULED)
    assert revisit.due_on == due
    debrief = Debrief.objects.get(session__cycle=active_cycle)
    assert debrief.indicator_met is True
    assert debrief.next_step == "Add a 'why' prompt after the boards go up."
    assert TimeEntry.objects.get(session=debrief.session).minutes == 25


def test_mastered_closes_the_cycle_with_outcome_mastered(coach, active_cycle):
    response = coach.post(
        reverse("debrief", args=[active_cycle.pk]),
        debrief_data(decision="mastered", revisit_due_on=""),
        follow=True,
    )

    active_cycle.refresh_from_db()
    assert active_cycle.state == CycleState.CLOSED
    assert active_cycle.outcome == Outcome.MASTERED
    assert "Debrief saved. The cycle is closed: Mastered." in messages_of(response)


def test_closing_without_mastery_needs_an_outcome(coach, active_cycle):
    response = coach.post(
        reverse("debrief", args=[active_cycle.pk]),
        debrief_data(decision="close", indicator_met="unclear"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["outcome"] == [
        "Choose how the cycle ends: progressing, not yet or abandoned."
    ]
    assert not Debrief.objects.filter(session__cycle=active_cycle).exists()


def test_closing_with_outcome_not_yet_records_an_unclear_indicator(coach, active_cycle):
    coach.post(
        reverse("debrief", args=[active_cycle.pk]),
        debrief_data(decision="close", outcome="not_yet", indicator_met="unclear"),
    )

    active_cycle.refresh_from_db()
    assert active_cycle.outcome == Outcome.NOT_YET
    assert Debrief.objects.get(session__cycle=active_cycle).indicator_met is None


def _nothing_saved(cycle) -> None:
    assert not Debrief.objects.filter(session__cycle=cycle).exists()
    assert not CoachingSession.objects.filter(cycle=cycle, kind=SessionKind.DEBRIEF).exists()
    assert not Revisit.objects.filter(cycle=cycle).exists()
    cycle.refresh_from_db()
    assert cycle.state == CycleState.ACTIVE


def test_a_revisit_two_school_days_out_without_a_reason_is_refused_and_nothing_is_saved(
    coach, active_cycle
):
    """The rule is 10 to 20 school days: two days out needs the coach's reason, asked for next
    to "Reason for this date", which the page now shows."""
    soon = SchoolDays().add(school_today(), 2)

    response = coach.post(
        reverse("debrief", args=[active_cycle.pk]), debrief_data(revisit_due_on=soon.isoformat())
    )

    assert response.status_code == 200
    [message] = response.context["form"].errors["revisit_off_rule_reason"]
    assert message.startswith(f"{soon:%a %d %b} is outside the revisit window (between ")
    html = response.content.decode()
    assert 'id="id_revisit_off_rule_reason_error"' in html  # next to the field
    assert 'id="revisit-off-rule" data-date-input="id_revisit_due_on">' in html  # shown
    _nothing_saved(active_cycle)


def test_a_revisit_two_school_days_out_with_a_reason_is_kept_with_its_reason(coach, active_cycle):
    soon = SchoolDays().add(school_today(), 2)
    reason = "The teacher asked to be seen before the parents evening."

    response = coach.post(
        reverse("debrief", args=[active_cycle.pk]),
        debrief_data(revisit_due_on=soon.isoformat(), revisit_off_rule_reason=reason),
    )

    assert response.status_code == 302
    revisit = Revisit.objects.get(cycle=active_cycle, status=RevisitStatus.SCHEDULED)
    assert (revisit.due_on, revisit.off_rule_reason) == (soon, reason)
    assert reason in coach.get(response.url).content.decode()  # on the cycle page


def test_a_revisit_on_a_holiday_is_refused_naming_it_and_nothing_is_saved(
    coach, school_world, active_cycle
):
    holiday = SchoolDays().add(school_today(), 12)
    NonSchoolDay.objects.create(
        school=active_cycle.teacher.school, starts_on=holiday, ends_on=holiday, name="Eid al-Fitr"
    )

    response = coach.post(
        reverse("debrief", args=[active_cycle.pk]),
        debrief_data(revisit_due_on=holiday.isoformat(), revisit_off_rule_reason="any"),
    )

    assert response.status_code == 200
    [message] = response.context["form"].errors["revisit_due_on"]
    assert message.startswith(f"{holiday:%a %d %b} is not a school day (Eid al-Fitr): the nearest")
    _nothing_saved(active_cycle)


def test_a_revisit_40_school_days_out_needs_a_reason_too(coach, active_cycle):
    too_late = SchoolDays().add(school_today(), 40)

    response = coach.post(
        reverse("debrief", args=[active_cycle.pk]),
        debrief_data(revisit_due_on=too_late.isoformat()),
    )

    assert response.status_code == 200
    assert "revisit_off_rule_reason" in response.context["form"].errors
    _nothing_saved(active_cycle)


def test_a_debrief_of_a_cycle_that_is_not_active_says_why_and_links_back(coach, school_world):
    w = school_world  # c1a is still planned

    response = coach.get(reverse("debrief", args=[w.c1a.pk]))
    posted = coach.post(reverse("debrief", args=[w.c1a.pk]), debrief_data())

    html = response.content.decode()
    assert "The debrief follows an observation of the move." in html
    assert reverse("cycle_detail", args=[w.c1a.pk]) in html
    assert posted.status_code == 200
    assert not Debrief.objects.filter(session__cycle=w.c1a).exists()


def test_the_chart_data_reaches_the_page_as_json(coach, active_cycle):
    response = coach.get(reverse("debrief", args=[active_cycle.pk]))

    html = response.content.decode()
    start = html.index('<script id="engagement-chart-data" type="application/json">')
    payload = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    assert json.loads(payload) == {"before_pct": 48, "after_pct": 84}
