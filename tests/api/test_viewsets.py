"""The JSON API (api/viewsets.py): each role reads exactly its scope, content only with READ,
writes go through the services, bad data is a 400 with field errors and saves nothing,
pagination, and queries that do not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import (
    AgreedMove,
    CoachingCycle,
    CycleState,
    NeedArea,
    Revisit,
    RevisitStatus,
    TimeCategory,
    TimeEntry,
)
from coaching.selectors import school_today
from observations.models import EngagementSample, Observation, ObservationNote
from teachers.school_days import SchoolDays
from tests.factories import (
    AgreedMoveFactory,
    CaseloadAssignmentFactory,
    CoachingCycleFactory,
    MoveFactory,
    ObservationFactory,
    ObservationNoteFactory,
    RevisitFactory,
    TeacherFactory,
    TimeEntryFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "APISECRET confidential reason"


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def world(school_world):
    w = school_world
    w.revisit_1b = RevisitFactory(cycle=w.c1b, reason=SECRET)
    w.move = MoveFactory(need_area=NeedArea.DELIVERY)
    w.agreed_1a = AgreedMoveFactory(cycle=w.c1a, move=w.move, script="APISECRET script 1a")
    w.agreed_1b = AgreedMoveFactory(cycle=w.c1b, move=w.move, script="APISECRET script 1b")
    w.entry1 = TimeEntryFactory(coach=w.coach1, school=w.school_a, category=TimeCategory.ADMIN)
    w.entry2 = TimeEntryFactory(coach=w.coach2, school=w.school_a, category=TimeCategory.ADMIN)
    return w


# --- Reading: each role sees its scope ---------------------------------------------------------


def test_each_role_lists_exactly_the_cycles_its_pages_show(world):
    w = world
    coach1_cycles = {w.c1a.id, w.c1a_old.id, w.c1b.id}
    expected = {
        w.coach1: coach1_cycles,
        w.t1a.user: {w.c1a.id, w.c1a_old.id},
        w.principal_a: w.school_a_cycles,
        w.district_leader: w.school_a_cycles | {w.cb.id},
        w.coach_c: {w.cc.id},
        w.superuser: w.all_cycles,
    }
    for user, cycles in expected.items():
        assert ids(client_for(user).get("/api/v1/cycles/")) == cycles, user


def test_content_is_null_without_read_access(world):
    """The principal sees the process fields of an unshared cycle, and its content only where
    the teacher shared it (c1a); the coach reads both."""
    w = world
    rows = {r["id"]: r for r in client_for(w.principal_a).get("/api/v1/cycles/").json()["results"]}
    assert rows[w.c1b.id]["state"] == w.c1b.state
    assert rows[w.c1b.id]["need_area"] == NeedArea.DELIVERY
    assert rows[w.c1b.id]["content"] is None
    assert rows[w.c1a.id]["content"]["evidence"] == w.c1a.assessment.evidence
    coach_row = client_for(w.coach1).get(f"/api/v1/cycles/{w.c1b.id}/").json()
    assert coach_row["content"]["evidence"] == w.c1b.assessment.evidence
    # The unshared observation's notes and the revisit's reason: not for the principal.
    obs = client_for(w.principal_a).get(f"/api/v1/observations/{w.o1b.id}/")
    assert obs.status_code == 200 and obs.json()["content"] is None
    revisit = client_for(w.principal_a).get(f"/api/v1/revisits/{w.revisit_1b.id}/")
    assert revisit.status_code == 200 and SECRET not in revisit.content.decode()
    coach_obs = client_for(w.coach1).get(f"/api/v1/observations/{w.o1b.id}/").json()
    assert coach_obs["content"]["notes"][0]["text"] == w.o1b.notes.get().text
    coach_revisit = client_for(w.coach1).get(f"/api/v1/revisits/{w.revisit_1b.id}/").json()
    assert coach_revisit["content"]["reason"] == SECRET


def test_agreed_moves_only_where_the_cycle_is_readable(world):
    w = world
    assert ids(client_for(w.coach1).get("/api/v1/agreed-moves/")) == {
        w.agreed_1a.id,
        w.agreed_1b.id,
    }
    # Shared c1a only, for the principal; nothing for the district leader.
    assert ids(client_for(w.principal_a).get("/api/v1/agreed-moves/")) == {w.agreed_1a.id}
    assert ids(client_for(w.district_leader).get("/api/v1/agreed-moves/")) == set()
    response = client_for(w.principal_a).get(f"/api/v1/agreed-moves/{w.agreed_1b.id}/")
    assert response.status_code == 404


def test_teachers_schools_and_profiles(world):
    w = world
    assert ids(client_for(w.t1a.user).get("/api/v1/teachers/")) == {w.t1a.id}
    assert ids(client_for(w.principal_a).get("/api/v1/teachers/")) == w.school_a_teachers
    assert ids(client_for(w.coach_b).get("/api/v1/schools/")) == {w.school_b.id}
    # The profile is the coach's working knowledge: not the principal's.
    principal = client_for(w.principal_a).get(f"/api/v1/teachers/{w.t1b.id}/").json()
    assert principal["profile"] is None
    coach = client_for(w.coach1).get(f"/api/v1/teachers/{w.t1b.id}/").json()
    assert coach["profile"]["disposition"] == w.t1b.disposition
    filtered = client_for(w.district_leader).get(f"/api/v1/teachers/?school={w.school_b.id}")
    assert ids(filtered) == {w.tb.id}


def test_time_entries_are_the_coachs_own_and_not_archived(world):
    w = world
    archived = TimeEntryFactory(coach=w.coach1, school=w.school_a, archived_at=timezone.now())
    assert ids(client_for(w.coach1).get("/api/v1/time-entries/")) == {w.entry1.id}
    assert client_for(w.coach1).get(f"/api/v1/time-entries/{archived.id}/").status_code == 404
    assert client_for(w.coach1).get(f"/api/v1/time-entries/{w.entry2.id}/").status_code == 404
    assert ids(client_for(w.principal_a).get("/api/v1/time-entries/")) == set()


@pytest.mark.parametrize(
    "path",
    [
        "cycles/{c}/",
        "observations/{o}/",
        "teachers/{t}/",
        "schools/{s}/",
        "revisits/{r}/",
        "agreed-moves/{m}/",
    ],
)
def test_another_schools_rows_are_404_like_missing_ones(world, path):
    w = world
    url = "/api/v1/" + path.format(
        c=w.c1b.id, o=w.o1b.id, t=w.t1b.id, s=w.school_a.id, r=w.revisit_1b.id, m=w.agreed_1b.id
    )
    client = client_for(w.coach_c)
    response = client.get(url)
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    missing = "/api/v1/" + path.format(c=0, o=0, t=0, s=0, r=0, m=0)
    assert client.get(missing).json() == response.json()
    assert client_for(w.coach1).get(url).status_code == 200  # the same URL works for its coach


def test_anonymous_gets_401_and_a_deactivated_user_nothing(world):
    w = world
    for path in ("cycles/", "schools/", f"cycles/{w.c1a.id}/", "time-entries/"):
        assert APIClient().get(f"/api/v1/{path}").status_code == 401
    response = APIClient().post("/api/v1/time-entries/", {"minutes": 5}, format="json")
    assert response.status_code == 401
    w.coach1.is_active = False
    w.coach1.save()
    assert client_for(w.coach1).get("/api/v1/cycles/").json()["results"] == []


def test_filters_narrow_and_refuse_bad_values(world):
    w = world
    client = client_for(w.district_leader)
    assert ids(client.get(f"/api/v1/cycles/?teacher={w.t1a.id}")) == {w.c1a.id, w.c1a_old.id}
    assert ids(client.get(f"/api/v1/cycles/?school={w.school_b.id}")) == {w.cb.id}
    assert ids(client.get("/api/v1/cycles/?state=closed")) == {w.c1a_old.id}
    assert ids(client.get(f"/api/v1/observations/?cycle={w.c1b.id}")) == {w.o1b.id}
    tomorrow = SchoolDays().add(school_today(w.school_a), 1)
    assert ids(client.get(f"/api/v1/cycles/?date_from={tomorrow}")) == set()
    for query in ("school=abc", "state=bogus", "date_from=2024-02-30"):
        response = client.get(f"/api/v1/cycles/?{query}")
        assert response.status_code == 400, query
        assert query.split("=")[0] in response.json()


# --- Writing through the services ----------------------------------------------------------------


def test_coach_starts_a_cycle_and_bad_data_saves_nothing(world):
    w = world
    teacher = TeacherFactory(school=w.school_a)
    CaseloadAssignmentFactory(coach=w.coach1, teacher=teacher)
    client = client_for(w.coach1)
    good = {
        "teacher": teacher.id,
        "evidence": "Four of 26 answered.",
        "need_area": NeedArea.DELIVERY,
        "rationale": "Delivery is the gap.",
    }
    before = CoachingCycle.objects.count()
    for bad, field in [
        ({**good, "need_area": "cooking"}, "need_area"),
        ({**good, "evidence": ""}, "evidence"),
        ({**good, "teacher": w.t2a.id}, "teacher"),  # coach2's teacher: not choosable
        ({**good, "teacher": "x"}, "teacher"),
        ({**good, "rationale": "nul\x00"}, "rationale"),
    ]:
        response = client.post("/api/v1/cycles/", bad, format="json")
        assert response.status_code == 400, bad
        assert field in response.json(), response.json()
    assert CoachingCycle.objects.count() == before
    response = client.post("/api/v1/cycles/", good, format="json")
    assert response.status_code == 201, response.content
    cycle = CoachingCycle.objects.get(pk=response.json()["id"])
    assert cycle.coach == w.coach1 and cycle.assessment.evidence == good["evidence"]
    assert response.json()["content"]["evidence"] == good["evidence"]
    # The service's rule: one open cycle per teacher, as a 400 with the reason.
    again = client.post("/api/v1/cycles/", good, format="json")
    assert again.status_code == 400
    assert "already has a cycle" in again.json()["non_field_errors"][0]
    assert CoachingCycle.objects.count() == before + 1


def test_only_coaches_write_and_only_their_caseload(world):
    w = world
    data = {"outcome": "mastered"}
    for user in (w.principal_a, w.district_leader, w.t1a.user):
        response = client_for(user).post(f"/api/v1/cycles/{w.c1b.id}/close/", data)
        assert response.status_code == 403, user
    assert client_for(w.coach2).post(f"/api/v1/cycles/{w.c1b.id}/close/", data).status_code == 404
    assert client_for(w.coach2).post("/api/v1/cycles/0/close/", data).status_code == 404
    w.c1b.refresh_from_db()
    assert w.c1b.state != CycleState.CLOSED
    response = client_for(w.coach1).post(f"/api/v1/cycles/{w.c1b.id}/close/", {"outcome": "x"})
    assert response.status_code == 400 and "outcome" in response.json()
    response = client_for(w.coach1).post(f"/api/v1/cycles/{w.c1b.id}/close/", data)
    assert response.status_code == 200
    assert response.json()["state"] == CycleState.CLOSED
    assert Revisit.objects.get(pk=w.revisit_1b.pk).status == RevisitStatus.CANCELLED


def test_no_delete_anywhere(world):
    w = world
    client = client_for(w.coach1)
    for url in (
        f"/api/v1/cycles/{w.c1b.id}/",
        f"/api/v1/time-entries/{w.entry1.id}/",
        f"/api/v1/observations/{w.o1b.id}/",
    ):
        assert client.delete(url).status_code == 405, url
    assert TimeEntry.objects.filter(pk=w.entry1.pk).exists()


def test_agreeing_a_move_goes_through_the_service(world):
    w = world
    cycle = CoachingCycleFactory(teacher=TeacherFactory(school=w.school_a), coach=w.coach1)
    CaseloadAssignmentFactory(coach=w.coach1, teacher=cycle.teacher)
    tomorrow = SchoolDays().add(school_today(w.school_a), 1)
    data = {
        "cycle": cycle.id,
        "move": w.move.id,
        "next_day_action": "Boards up.",
        "script": "Boards up in 3, 2, 1.",
        "success_indicator": "22 of 26.",
        "due_on": str(tomorrow),
    }
    client = client_for(w.coach1)
    planning = MoveFactory(need_area=NeedArea.PLANNING)
    response = client.post("/api/v1/agreed-moves/", {**data, "move": planning.id}, format="json")
    assert response.status_code == 400 and "move" in response.json()  # service: wrong area
    past = str(school_today(w.school_a) - datetime.timedelta(days=1))
    response = client.post("/api/v1/agreed-moves/", {**data, "due_on": past}, format="json")
    assert response.status_code == 400 and "due_on" in response.json()
    assert not AgreedMove.objects.filter(cycle=cycle).exists()
    response = client.post("/api/v1/agreed-moves/", data, format="json")
    assert response.status_code == 201, response.content
    assert AgreedMove.objects.get(cycle=cycle).script == data["script"]


def test_observation_visit_and_entries(world):
    w = world
    client = client_for(w.coach1)
    soon = timezone.now() + datetime.timedelta(hours=2)
    response = client.post(
        "/api/v1/observations/", {"cycle": w.c1b.id, "scheduled_for": soon.isoformat()}
    )
    assert response.status_code == 201, response.content
    obs_id = response.json()["id"]
    note = {"text": "Boards up after six seconds."}
    refused = client.post(f"/api/v1/observations/{obs_id}/notes/", note)
    assert refused.status_code == 400 and "non_field_errors" in refused.json()
    assert client.post(f"/api/v1/observations/{obs_id}/start/").status_code == 200
    response = client.post(f"/api/v1/observations/{obs_id}/notes/", note)
    assert response.status_code == 201
    assert ObservationNote.objects.get(pk=response.json()["id"]).observation_id == obs_id
    bad = {"phase": "before_move", "engaged_count": 30, "present_count": 25}
    response = client.post(f"/api/v1/observations/{obs_id}/sweeps/", bad)
    assert response.status_code == 400 and "engaged_count" in response.json()
    assert not EngagementSample.objects.filter(observation_id=obs_id).exists()
    response = client.post(f"/api/v1/observations/{obs_id}/finish/")
    assert response.status_code == 200 and response.json()["ended_at"]
    assert Observation.objects.get(pk=obs_id).time_entry.category == TimeCategory.OBSERVATION


def test_revisit_reschedule_and_complete(world):
    w = world
    client = client_for(w.coach1)
    url = f"/api/v1/revisits/{w.revisit_1b.id}/"
    far = str(school_today(w.school_a) + datetime.timedelta(days=200))
    response = client.post(url + "reschedule/", {"due_on": far})
    assert response.status_code == 400 and "due_on" in response.json()
    # Two school days out is before the revisit window (10 to 20 school days): a reason is due.
    day = str(SchoolDays().add(school_today(w.school_a), 2))
    response = client.post(url + "reschedule/", {"due_on": day})
    assert response.status_code == 400 and "off_rule_reason" in response.json()
    response = client.post(url + "reschedule/", {"due_on": day, "off_rule_reason": "Exams after."})
    assert response.status_code == 200 and response.json()["due_on"] == day
    assert response.json()["content"]["off_rule_reason"] == "Exams after."
    response = client.post(url + "complete/", {})
    assert response.status_code == 200 and response.json()["status"] == RevisitStatus.DONE
    again = client.post(url + "complete/", {})
    assert again.status_code == 400 and "non_field_errors" in again.json()
    assert client_for(w.principal_a).post(url + "complete/", {}).status_code == 403


def test_time_entry_log_correct_and_archive(world):
    w = world
    client = client_for(w.coach1)
    good = {"school": w.school_a.id, "minutes": 30, "category": TimeCategory.MEETINGS}
    before = TimeEntry.objects.count()
    for bad, field in [
        ({**good, "minutes": 0}, "minutes"),
        ({**good, "minutes": 99999}, "minutes"),
        ({**good, "school": w.school_c.id}, "school"),
        ({**good, "cycle": w.c2a.id}, "cycle"),  # coach2's cycle
        ({**good, "entry_date": str(school_today(w.school_a) + datetime.timedelta(days=2))}, None),
        ({**good, "entry_date": "9999-12-31"}, "entry_date"),
    ]:
        response = client.post("/api/v1/time-entries/", bad, format="json")
        assert response.status_code == 400, bad
        assert (field or "entry_date") in response.json()
    assert TimeEntry.objects.count() == before
    response = client.post("/api/v1/time-entries/", good, format="json")
    assert response.status_code == 201
    entry_id = response.json()["id"]
    url = f"/api/v1/time-entries/{entry_id}/"
    response = client.patch(url, {"minutes": 40}, format="json")
    assert response.status_code == 200 and response.json()["minutes"] == 40
    assert TimeEntry.objects.get(pk=entry_id).history.count() == 2  # the correction is kept
    assert client_for(w.coach2).patch(url, {"minutes": 5}, format="json").status_code == 404
    assert client_for(w.t1a.user).post(url + "archive/").status_code == 403
    assert client.post(url + "archive/").status_code == 204
    entry = TimeEntry.objects.get(pk=entry_id)
    assert entry.archived_at is not None and entry.archived_by == w.coach1
    assert client.get(url).status_code == 404


# --- Pagination and queries ----------------------------------------------------------------------


def test_pagination_has_a_ceiling_and_a_stable_order(world):
    w = world
    for _ in range(5):
        TimeEntryFactory(coach=w.coach1, school=w.school_a)
    client = client_for(w.coach1)
    first = client.get("/api/v1/time-entries/?page_size=4").json()
    assert first["count"] == 6 and len(first["results"]) == 4 and first["next"]
    second = client.get("/api/v1/time-entries/?page_size=4&page=2").json()
    assert len(second["results"]) == 2
    seen = [r["id"] for r in first["results"] + second["results"]]
    assert len(set(seen)) == 6
    assert client.get("/api/v1/time-entries/?page=99").status_code == 404
    huge = client.get("/api/v1/time-entries/?page_size=100000")
    assert huge.status_code == 200  # capped at the max page size, not refused


def _add_rows(w, n: int) -> None:
    for _ in range(n):
        teacher = TeacherFactory(school=w.school_a)
        CaseloadAssignmentFactory(coach=w.coach1, teacher=teacher)
        cycle = CoachingCycleFactory(teacher=teacher, coach=w.coach1, shared_with_principal=True)
        AgreedMoveFactory(cycle=cycle, move=w.move)
        observation = ObservationFactory(cycle=cycle)
        ObservationNoteFactory(observation=observation)
        RevisitFactory(cycle=cycle)
        TimeEntryFactory(coach=w.coach1, cycle=cycle)


LISTS = (
    "schools",
    "teachers",
    "cycles",
    "agreed-moves",
    "observations",
    "revisits",
    "time-entries",
)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/api/v1/{path}/").status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("user", ["coach1", "principal_a"])
def test_queries_do_not_grow_with_rows(world, user):
    w = world
    client = client_for(getattr(w, user))
    _add_rows(w, 2)
    small = {path: _queries(client, path) for path in LISTS}
    _add_rows(w, 12)
    large = {path: _queries(client, path) for path in LISTS}
    assert small == large


# --- Time zone ---------------------------------------------------------------------------------

AUCKLAND_MORNING = datetime.datetime(2025, 3, 10, 20, 0, tzinfo=datetime.UTC)  # 11 March, 09:00


def _log_time(client, school, **extra):
    body = {"school": school.id, "minutes": 30, "category": TimeCategory.ADMIN, **extra}
    return client.post("/api/v1/time-entries/", body, format="json")


@pytest.mark.parametrize("signed_in_by", ["token", "session"])
def test_time_entry_dates_are_the_schools_whether_signed_in_by_token_or_session(
    school_world, signed_in_by
):
    import time_machine

    from api.services import api_token_create

    w = school_world
    w.school_a.time_zone = "Pacific/Auckland"
    w.school_a.save()
    client = APIClient()
    if signed_in_by == "token":
        _, token = api_token_create(user=w.coach1)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    else:
        client.force_login(w.coach1)
    with time_machine.travel(AUCKLAND_MORNING, tick=False):
        today = _log_time(client, w.school_a)
        named = _log_time(client, w.school_a, entry_date="2025-03-11")
    assert today.status_code == 201, today.content
    assert named.status_code == 201, named.content
    dates = set(TimeEntry.objects.filter(coach=w.coach1).values_list("entry_date", flat=True))
    assert dates == {datetime.date(2025, 3, 11)}
