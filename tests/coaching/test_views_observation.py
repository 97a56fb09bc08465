"""Coach pages for observations: scheduling a visit, the live page's entries (JSON for the page's
script, plain form posts without JavaScript), finishing a visit, and the debrief."""

import datetime
import json
import uuid
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
    TimeCategory,
    TimeEntry,
)
from observations.models import EngagementSample, Observation, ObservationNote, StudentEvidence
from teachers.models import NonSchoolDay
from teachers.school_days import SchoolDays
from tests.factories import AgreedMoveFactory, ObservationFactory

pytestmark = pytest.mark.django_db

SCHOOL_TZ = zoneinfo.ZoneInfo("America/New_York")  # the factories' school time zone
JSON_HEADERS = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


def school_today() -> datetime.date:
    return timezone.localdate(timezone=SCHOOL_TZ)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def coach(client, school_world):
    client.force_login(school_world.coach1)
    return client


@pytest.fixture
def planned_visit(school_world):
    """A visit in coach1's planned cycle c1a with its move agreed, not started yet."""
    w = school_world
    AgreedMoveFactory(
        cycle=w.c1a,
        move__name="Mini whiteboards on hinge questions",
        success_indicator="At least 20 of 25 boards up within 10 seconds.",
    )
    return ObservationFactory(
        cycle=w.c1a,
        started_at=None,
        scheduled_for=timezone.now() + datetime.timedelta(hours=1),
        focus="Who answers the hinge questions?",
    )


@pytest.fixture
def active_cycle(school_world):
    """coach1's cycle c1a, under way: move agreed, observed (o1a has 12/25 before and 21/25
    after the move)."""
    w = school_world
    AgreedMoveFactory(cycle=w.c1a, move__name="Mini whiteboards on hinge questions")
    w.c1a.state = CycleState.ACTIVE
    w.c1a.save()
    return w.c1a


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


# --- Starting and the live page ----------------------------------------------------------------


def test_the_live_page_shows_a_start_button_and_the_move_to_look_for(coach, planned_visit):
    response = coach.get(reverse("observation_live", args=[planned_visit.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Start observation" in html
    assert "Mini whiteboards on hinge questions" in html
    assert "At least 20 of 25 boards up within 10 seconds." in html
    assert 'id="note-form"' not in html


def test_starting_an_observation_makes_the_planned_cycle_active(coach, planned_visit):
    response = coach.post(reverse("observation_start", args=[planned_visit.pk]))

    assert response.status_code == 302
    assert response.url == reverse("observation_live", args=[planned_visit.pk])
    planned_visit.refresh_from_db()
    assert planned_visit.started_at is not None
    assert planned_visit.cycle.state == CycleState.ACTIVE
    page = coach.get(response.url).content.decode()
    assert 'id="note-form"' in page
    assert "Finish observation" in page


def test_starting_a_visit_again_does_not_reopen_a_debriefed_cycle(coach, active_cycle):
    active_cycle.state = CycleState.DEBRIEFED
    active_cycle.save()
    visit = active_cycle.observations.get()  # o1a, started before the debrief

    response = coach.post(reverse("observation_start", args=[visit.pk]))

    assert response.status_code == 302
    active_cycle.refresh_from_db()
    assert active_cycle.state == CycleState.DEBRIEFED


def test_starting_without_an_agreed_move_is_refused_with_a_message(coach, school_world):
    visit = ObservationFactory(
        cycle=school_world.c1b,
        started_at=None,
        scheduled_for=timezone.now() + datetime.timedelta(hours=1),
    )

    response = coach.post(reverse("observation_start", args=[visit.pk]), follow=True)

    assert "Agree on the move before the cycle starts." in messages_of(response)
    visit.refresh_from_db()
    assert visit.started_at is None
    assert visit.cycle.state == CycleState.PLANNED


# --- Entries through the JSON endpoint ---------------------------------------------------------

ENTRIES = {
    "note": (ObservationNote, {"text": "Teacher waits 8 seconds before taking answers."}),
    "sweep": (
        EngagementSample,
        {"phase": "after_move", "engaged_count": "23", "present_count": "25"},
    ),
    "evidence": (
        StudentEvidence,
        {"kind": "produced", "description": "Most boards show 3/4 with a drawing."},
    ),
}


@pytest.mark.parametrize("kind", ENTRIES)
def test_each_kind_of_entry_is_saved_through_the_json_endpoint(coach, school_world, kind):
    model, fields = ENTRIES[kind]
    client_id = uuid.uuid4()

    response = coach.post(
        entry_url(school_world.o1a),
        {"type": kind, "client_id": str(client_id), **fields},
        **JSON_HEADERS,
    )

    assert response.status_code == 201
    body = response.json()
    row = model.objects.get(client_id=client_id)
    assert body["id"] == row.pk
    assert body["saved_at"]
    assert row.observation == school_world.o1a
    for name, value in fields.items():
        assert str(getattr(row, name)) == value


def test_a_sweep_answers_with_the_running_before_and_after_shares(coach, school_world):
    # o1a already has 12/25 before and 21/25 after the move.
    response = coach.post(
        entry_url(school_world.o1a),
        {
            "type": "sweep",
            "client_id": str(uuid.uuid4()),
            "phase": "after_move",
            "engaged_count": "23",
            "present_count": "25",
        },
        **JSON_HEADERS,
    )

    engagement = response.json()["engagement"]
    assert engagement["before"] == {"engaged": 12, "present": 25, "sweeps": 1, "pct": 48}
    assert engagement["after"] == {"engaged": 44, "present": 50, "sweeps": 2, "pct": 88}
    assert engagement["change_points"] == 40


def test_the_client_time_of_an_entry_made_offline_is_kept(coach, school_world):
    made_at = timezone.now() - datetime.timedelta(minutes=5)

    coach.post(
        entry_url(school_world.o1a),
        {"type": "note", "client_id": str(uuid.uuid4()), "text": "Made offline.",
         "taken_at": made_at.isoformat()},
        **JSON_HEADERS,
    )  # fmt: skip

    assert ObservationNote.objects.get(text="Made offline.").noted_at == made_at


def test_sending_the_same_client_id_twice_stores_one_row(coach, school_world):
    data = {
        "type": "sweep",
        "client_id": str(uuid.uuid4()),
        "phase": "before_move",
        "engaged_count": "14",
        "present_count": "25",
    }

    first = coach.post(entry_url(school_world.o1a), data, **JSON_HEADERS)
    again = coach.post(entry_url(school_world.o1a), data, **JSON_HEADERS)

    assert first.status_code == 201
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert EngagementSample.objects.filter(client_id=data["client_id"]).count() == 1
    assert school_world.o1a.engagement_samples.count() == 3


def test_a_client_id_of_another_observation_is_refused(coach, school_world):
    w = school_world
    client_id = uuid.uuid4()
    note = {"type": "note", "client_id": str(client_id), "text": "First here."}
    coach.post(entry_url(w.o1a), note, **JSON_HEADERS)

    response = coach.post(entry_url(w.o1b), note, **JSON_HEADERS)

    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == ["This entry id belongs to another observation."]
    assert ObservationNote.objects.get(client_id=client_id).observation == w.o1a


def test_engaged_above_present_is_refused_with_the_message_and_nothing_saved(coach, school_world):
    before = EngagementSample.objects.count()

    response = coach.post(
        entry_url(school_world.o1a),
        {
            "type": "sweep",
            "client_id": str(uuid.uuid4()),
            "phase": "after_move",
            "engaged_count": "26",
            "present_count": "25",
        },
        **JSON_HEADERS,
    )

    assert response.status_code == 400
    assert response.json()["errors"]["engaged_count"] == [
        "Engaged students cannot outnumber the students present."
    ]
    assert EngagementSample.objects.count() == before


def test_an_empty_note_is_refused_with_the_field_message(coach, school_world):
    response = coach.post(
        entry_url(school_world.o1a),
        {"type": "note", "client_id": str(uuid.uuid4()), "text": "  "},
        **JSON_HEADERS,
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"text": ["Write the note first."]}


def test_an_entry_before_the_observation_started_is_refused(coach, planned_visit):
    response = coach.post(
        entry_url(planned_visit),
        {"type": "note", "client_id": str(uuid.uuid4()), "text": "Too early."},
        **JSON_HEADERS,
    )

    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == [
        "Start the observation before recording entries."
    ]
    assert not ObservationNote.objects.filter(observation=planned_visit).exists()


def test_the_entry_endpoint_takes_only_posts(coach, school_world):
    assert coach.get(entry_url(school_world.o1a)).status_code == 405


# --- Entries without JavaScript ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("note", "Note saved."),
        ("sweep", "Sweep saved: 23 of 25 engaged (after the move)."),
        ("evidence", "Student evidence saved."),
    ],
)
def test_without_javascript_an_entry_posts_and_redirects_back_with_a_message(
    coach, school_world, kind, message
):
    model, fields = ENTRIES[kind]
    before = model.objects.count()

    response = coach.post(entry_url(school_world.o1a), {"type": kind, **fields}, follow=True)

    assert response.redirect_chain[0] == (
        reverse("observation_live", args=[school_world.o1a.pk]) + f"#{kind}",
        302,
    )
    assert message in messages_of(response)
    assert model.objects.count() == before + 1


PRESENT_COUNT_MESSAGE = "Students present must be a whole number from 1 to 500."


@pytest.mark.parametrize("present", ["999", "0", "-3", "2.5", "twelve"])
def test_an_impossible_count_of_students_present_is_a_400_with_the_bounds(
    coach, school_world, present
):
    before = EngagementSample.objects.count()

    response = coach.post(
        entry_url(school_world.o1a),
        {
            "type": "sweep",
            "client_id": str(uuid.uuid4()),
            "phase": "before_move",
            "engaged_count": "0",
            "present_count": present,
        },
        **JSON_HEADERS,
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"present_count": [PRESENT_COUNT_MESSAGE]}
    assert EngagementSample.objects.count() == before


def test_without_javascript_an_impossible_count_is_refused_next_to_the_field(coach, school_world):
    before = EngagementSample.objects.count()

    response = coach.post(
        entry_url(school_world.o1a),
        {"type": "sweep", "phase": "before_move", "engaged_count": "2", "present_count": "2.5"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["sweep_form"].errors == {"present_count": [PRESENT_COUNT_MESSAGE]}
    error_slot = 'id="present-count-error" class="invalid-feedback d-block" aria-live="polite">'
    assert error_slot + PRESENT_COUNT_MESSAGE in html
    assert 'min="1" max="500"' in html
    assert EngagementSample.objects.count() == before


def test_a_sweep_answers_with_the_change_as_the_shown_percentages_give_it(coach, school_world):
    visit = school_world.o1a
    visit.engagement_samples.all().delete()
    for phase, engaged in (("before_move", "197"), ("after_move", "393")):
        response = coach.post(
            entry_url(visit),
            {"type": "sweep", "client_id": str(uuid.uuid4()), "phase": phase,
             "engaged_count": engaged, "present_count": "500"},
            **JSON_HEADERS,
        )  # fmt: skip

    engagement = response.json()["engagement"]
    assert (engagement["before"]["pct"], engagement["after"]["pct"]) == (39, 79)
    assert engagement["change_points"] == 40  # not the +39 of 39.4% -> 78.6%
    page = coach.get(reverse("observation_live", args=[visit.pk])).content.decode()
    assert 'id="share-change">+40 pts</dd>' in page


def test_without_javascript_a_bad_sweep_shows_the_error_next_to_the_field(coach, school_world):
    before = EngagementSample.objects.count()

    response = coach.post(
        entry_url(school_world.o1a),
        {"type": "sweep", "phase": "before_move", "engaged_count": "30", "present_count": "25"},
    )

    assert response.status_code == 200
    assert "Engaged students cannot outnumber the students present." in response.content.decode()
    assert EngagementSample.objects.count() == before


def test_without_javascript_an_entry_before_the_start_redirects_with_the_reason(
    coach, planned_visit
):
    response = coach.post(
        entry_url(planned_visit), {"type": "note", "text": "Too early."}, follow=True
    )

    assert "Start the observation before recording entries." in messages_of(response)
    assert not ObservationNote.objects.filter(observation=planned_visit).exists()


# --- Finishing ---------------------------------------------------------------------------------


def test_finishing_logs_the_visit_as_observation_time_with_its_minutes(coach, school_world):
    w = school_world
    visit = w.o1a
    visit.started_at = timezone.now() - datetime.timedelta(minutes=46, seconds=30)
    visit.save()

    response = coach.post(reverse("observation_finish", args=[visit.pk]))

    assert response.status_code == 302
    assert response.url == reverse("cycle_detail", args=[w.c1a.pk])
    entry = TimeEntry.objects.get(observation=visit)
    assert entry.category == TimeCategory.OBSERVATION
    assert entry.minutes == 47
    assert entry.coach == w.coach1
    assert entry.cycle == w.c1a
    assert "47 minutes logged as observation time" in " ".join(messages_of(response))


def test_finishing_a_one_minute_visit_says_one_minute(coach, school_world):
    visit = school_world.o1a
    visit.started_at = timezone.now() - datetime.timedelta(seconds=40)
    visit.save()

    response = coach.post(reverse("observation_finish", args=[visit.pk]))

    assert visit.time_entry.minutes == 1
    assert "Observation finished: 1 minute logged as observation time." in messages_of(response)


def test_finishing_twice_keeps_the_first_end_and_its_minutes(coach, school_world):
    visit = school_world.o1a
    coach.post(reverse("observation_finish", args=[visit.pk]))
    visit.refresh_from_db()
    first_end = visit.ended_at

    response = coach.post(reverse("observation_finish", args=[visit.pk]), follow=True)

    visit.refresh_from_db()
    assert visit.ended_at == first_end
    assert TimeEntry.objects.filter(observation=visit).count() == 1
    assert any("already finished" in m for m in messages_of(response))


def test_finishing_a_visit_that_never_started_is_refused(coach, planned_visit):
    response = coach.post(reverse("observation_finish", args=[planned_visit.pk]), follow=True)

    assert "Start the observation before finishing it." in messages_of(response)
    assert not TimeEntry.objects.filter(observation=planned_visit).exists()


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
