"""The live observation page: starting a visit, its entries (JSON for the page's script, plain
form posts without JavaScript) and finishing it. Who may use these pages is checked with the
scheduling and debrief pages (tests/coaching/test_views_observation.py)."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import CycleState, TimeCategory, TimeEntry
from observations.models import EngagementSample, ObservationNote, StudentEvidence
from tests.coaching.test_views_observation import JSON_HEADERS, entry_url, messages_of
from tests.factories import ObservationFactory

pytestmark = pytest.mark.django_db


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
