"""The teacher's pages: "My move" (the move in plain words, the next visits, the reflection
routine, sharing, earlier moves), the reflection form, the share switch, and what the coach
and the principal then see."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachingCycle, CycleState, IndicatorSeen, Reflection, SessionKind
from coaching.services import debrief_record
from my_move.services import reflection_submit
from tests import factories as f

pytestmark = pytest.mark.django_db

POST = {
    "students_did": "Nineteen boards showed the full equation; three were blank.",
    "indicator_seen": "partly",
    "would_change": "Count down from five, not three.",
    "engaged_count": "20",
    "present_count": "25",
}


@pytest.fixture
def cycle(school_world) -> CoachingCycle:
    """t1a's cycle under way: active, its move agreed and on a persistent problem, a visit, a
    debrief and a revisit ahead."""
    cycle = school_world.c1a
    problem = f.PersistentProblemFactory(
        teacher=cycle.teacher, statement="Pupils give up quickly on tricky tasks"
    )
    CoachingCycle.objects.filter(pk=cycle.pk).update(
        state=CycleState.ACTIVE, persistent_problem=problem
    )
    f.AgreedMoveFactory(
        cycle=cycle,
        move__name="Boards up on hinge questions",
        next_day_action="Boards up on every hinge question in period 2.",
        script="Everyone, boards up in 3, 2, 1.",
        success_indicator="22 of 26 boards up within 10 seconds.",
    )
    now = timezone.now()
    f.ObservationFactory(
        cycle=cycle, started_at=None, ended_at=None, scheduled_for=now + datetime.timedelta(days=2)
    )
    f.CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        held_at=None,
        duration_minutes=None,
        scheduled_for=now + datetime.timedelta(days=3),
    )
    f.RevisitFactory(cycle=cycle)
    cycle.refresh_from_db()
    return cycle


def _teacher(client, world):
    client.force_login(world.t1a.user)
    return client


# --- My move -------------------------------------------------------------------------------------


def test_my_move_shows_the_move_the_next_visits_and_earlier_outcomes(client, cycle, school_world):
    response = _teacher(client, school_world).get(reverse("my_move"))

    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Boards up on hinge questions",
        "Boards up on every hinge question in period 2.",
        "Everyone, boards up in 3, 2, 1.",
        "22 of 26 boards up within 10 seconds.",
        "Pupils give up quickly on tricky tasks",
        "Observation:",
        "Debrief:",
        "Revisit due",
        "Reflect on the move",
        "Progressing",  # the earlier cycle's outcome
    ):
        assert text in html, text
    mine = response.context["mine"]
    assert mine.next_debrief.kind == SessionKind.DEBRIEF
    assert mine.earlier_cycles == [school_world.c1a_old]


def test_my_move_runs_the_same_queries_however_many_cycles_and_reflections(
    client, cycle, school_world, settings
):
    settings.VERSIONED_CACHE = False  # count the queries of rendering, not of a cached page
    client = _teacher(client, school_world)
    client.get(reverse("my_move"))  # warm up session and content types
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("my_move"))
    teacher = school_world.t1a
    for _ in range(5):
        old = f.CoachingCycleFactory(teacher=teacher, closed=True)
        f.AgreedMoveFactory(cycle=old)
        f.ReflectionFactory(cycle=old)
        f.RevisitFactory(cycle=old, status="done", completed_on=timezone.localdate())
    reflection_submit(
        user=teacher.user, cycle=cycle, **{**POST, "engaged_count": 20, "present_count": 25}
    )
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("my_move"))

    assert len(response.context["mine"].earlier_cycles) == 6
    assert response.context["mine"].reflection is not None
    assert len(large) == len(small)


def test_my_move_says_when_the_reflection_was_written_and_offers_to_change_it(
    client, cycle, school_world
):
    f.ReflectionFactory(cycle=cycle, session=cycle.sessions.get(kind=SessionKind.DEBRIEF))

    html = _teacher(client, school_world).get(reverse("my_move")).content.decode()

    assert "Change my reflection" in html
    assert 'Did the indicator happen? <span class="fw-semibold">Partly</span>' in html


# --- The reflection form ---------------------------------------------------------------------


def test_reflection_form_has_labelled_prompts_and_the_move(client, cycle, school_world):
    response = _teacher(client, school_world).get(reverse("reflect"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>My reflection" in html
    for name in ("students_did", "would_change", "engaged_count", "present_count"):
        assert f'for="id_{name}"' in html, name
    for value in IndicatorSeen.values:
        assert f'value="{value}"' in html
    assert "22 of 26 boards up within 10 seconds." in html


def test_teacher_submits_a_reflection_and_is_sent_back_to_the_move(client, cycle, school_world):
    response = _teacher(client, school_world).post(reverse("reflect"), POST)

    assert response.status_code == 302
    assert response.url == reverse("my_move")
    reflection = Reflection.objects.get()
    assert reflection.cycle_id == cycle.pk
    assert reflection.session.kind == SessionKind.DEBRIEF
    assert (reflection.indicator_seen, reflection.engaged_count, reflection.present_count) == (
        "partly",
        20,
        25,
    )
    page = client.get(reverse("my_move")).content.decode()
    assert "Reflection saved" in page


def test_the_reflection_form_comes_back_filled_in_and_changes_the_same_reflection(
    client, cycle, school_world
):
    client = _teacher(client, school_world)
    client.post(reverse("reflect"), POST)

    html = client.get(reverse("reflect")).content.decode()
    assert POST["students_did"] in html
    assert "Save my changes" in html

    client.post(reverse("reflect"), {**POST, "indicator_seen": "yes"})
    assert Reflection.objects.get().indicator_seen == "yes"


NO_DEBRIEF = "No debrief is scheduled yet; your reflection is kept for the next one."


def _hold_the_planned_debrief(cycle):
    session = cycle.sessions.get(kind=SessionKind.DEBRIEF)
    session.held_at = timezone.now()
    session.save()
    debrief_record(session=session, students_showed="Boards up.", next_step="Why prompt.")
    return session


def test_before_a_scheduled_debrief_the_prompts_prepare_it(client, cycle, school_world):
    client = _teacher(client, school_world)
    debrief = cycle.sessions.get(kind=SessionKind.DEBRIEF)
    zone = zoneinfo.ZoneInfo(cycle.teacher.school.time_zone)
    when = timezone.localtime(debrief.scheduled_for, zone)
    before = f"before your debrief on {when:%A} {when.day} {when:%B}".lower()

    for page in ("my_move", "reflect"):
        html = client.get(reverse(page)).content.decode()
        assert before in html.lower(), page
        assert NO_DEBRIEF not in html, page


def test_after_the_debrief_with_none_scheduled_the_pages_say_so_and_keep_the_reflection(
    client, cycle, school_world
):
    held = _hold_the_planned_debrief(cycle)
    client = _teacher(client, school_world)

    for page in ("my_move", "reflect"):
        html = client.get(reverse(page)).content.decode()
        assert NO_DEBRIEF in html, page
        assert "before your next debrief" not in html.lower(), page
    response = client.post(reverse("reflect"), POST, follow=True)

    assert NO_DEBRIEF in response.content.decode()  # the message after saving
    reflection = Reflection.objects.get(students_did=POST["students_did"])
    assert reflection.session_id is None  # not filed under the debrief already held
    assert not Reflection.objects.filter(session=held).exists()
    coach = type(client)()
    coach.force_login(school_world.coach1)
    brief = coach.get(reverse("cycle_brief", args=[cycle.pk])).content.decode()
    assert POST["students_did"] in brief
    assert "No debrief is scheduled yet: kept for the next one" in brief


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"students_did": ""}, "Write what students said or produced."),
        ({"indicator_seen": "maybe"}, "Select a valid choice."),
        ({"indicator_seen": ""}, "Choose yes, partly, no or not sure."),
        ({"engaged_count": "30"}, "cannot outnumber the students present"),
        ({"present_count": ""}, "Give both counts"),
        ({"engaged_count": "abc"}, "Enter a whole number."),
        ({"present_count": "0"}, "greater than or equal to 1"),
        ({"would_change": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_answers_come_back_with_a_message_and_nothing_is_saved(
    client, cycle, school_world, changes, message
):
    response = _teacher(client, school_world).post(reverse("reflect"), {**POST, **changes})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Reflection.objects.exists()


def test_without_a_move_to_reflect_on_the_page_says_so(client, school_world):
    client.force_login(school_world.t2a.user)  # t2a's cycle has no agreed move yet

    response = client.post(reverse("reflect"), POST)

    assert response.status_code == 200
    assert "still agreeing on the move" in response.content.decode()
    assert not Reflection.objects.exists()


@pytest.mark.parametrize("who", ["coach1", "principal_a", "district_leader"])
def test_only_teachers_reach_the_reflection_page(client, cycle, school_world, who):
    client.force_login(getattr(school_world, who))

    assert client.get(reverse("reflect")).status_code == 403
    assert client.post(reverse("reflect"), POST).status_code == 403
    assert not Reflection.objects.exists()


def test_another_teacher_never_sees_or_changes_this_reflection(client, cycle, school_world):
    reflection_submit(
        user=school_world.t1a.user,
        cycle=cycle,
        **{**POST, "engaged_count": 20, "present_count": 25},
    )
    client.force_login(school_world.t2a.user)

    for name in ("my_move", "reflect"):
        assert POST["students_did"] not in client.get(reverse(name)).content.decode()
    client.post(reverse("reflect"), {**POST, "students_did": "Overwritten"})

    assert Reflection.objects.get().students_did == POST["students_did"]


# --- The coach sees it ----------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["cycle_brief", "debrief", "cycle_detail"])
def test_the_coach_reads_the_reflection_in_the_brief_the_debrief_and_the_cycle(
    client, cycle, school_world, page
):
    reflection_submit(
        user=school_world.t1a.user,
        cycle=cycle,
        **{**POST, "engaged_count": 20, "present_count": 25},
    )
    client.force_login(school_world.coach1)

    html = client.get(reverse(page, args=[cycle.pk])).content.decode()

    assert POST["students_did"] in html
    assert POST["would_change"] in html
    assert "Partly" in html
    assert "20 of 25" in html


def test_the_brief_says_when_no_reflection_was_written_yet(client, cycle, school_world):
    client.force_login(school_world.coach1)

    html = client.get(reverse("cycle_brief", args=[cycle.pk])).content.decode()

    assert "Not written yet" in html


# --- Sharing ------------------------------------------------------------------------------------


def _share(client, cycle_id, shared: bool):
    return client.post(
        reverse("cycle_share"), {"cycle": cycle_id, "shared": "1" if shared else "0"}
    )


def test_the_share_switch_changes_what_the_principal_sees(client, cycle, school_world):
    """c1a is shared: the principal opens the cycle and reads its notes and the teacher's
    reflection; taken back, the cycle page is a 404 and the list says "not shared"; shared
    again, both come back."""
    w = school_world
    reflection_submit(
        user=w.t1a.user, cycle=cycle, **{**POST, "engaged_count": 20, "present_count": 25}
    )
    teacher, principal = client, type(client)()
    teacher.force_login(w.t1a.user)
    principal.force_login(w.principal_a)
    cycle_url = reverse("cycle_detail", args=[cycle.pk])
    list_url = reverse("dashboard_list") + f"?school={w.school_a.pk}&figure=open_cycles"

    def principal_sees() -> tuple[int, bool, bool]:
        page = principal.get(cycle_url)
        listing = principal.get(list_url).content.decode()
        body = page.content.decode()
        reads = page.status_code == 200 and POST["students_did"] in body
        assert reads or POST["students_did"] not in body
        return page.status_code, reads, f'href="{cycle_url}"' in listing

    assert principal_sees() == (200, True, True)

    response = _share(teacher, cycle.pk, False)
    assert response.status_code == 302
    assert response.url == reverse("my_move") + f"#cycle-{cycle.pk}"
    assert principal_sees() == (404, False, False)
    assert "not shared" in principal.get(list_url).content.decode()

    _share(teacher, cycle.pk, True)
    assert principal_sees() == (200, True, True)


def test_the_teacher_shares_an_earlier_cycle_from_the_move_page(client, school_world):
    w = school_world
    client.force_login(w.t1a.user)
    html = client.get(reverse("my_move")).content.decode()
    assert f'name="cycle" value="{w.c1a_old.pk}"' in html
    assert "Share with my principal" in html

    _share(client, w.c1a_old.pk, True)

    assert CoachingCycle.objects.get(pk=w.c1a_old.pk).shared_with_principal is True
    page = client.get(reverse("my_move")).content.decode()
    assert "Shared: your principal can now read" in page
    assert "Shared with your principal" in page


@pytest.mark.parametrize("target", ["c2a", "c1b", "cb"])
def test_a_teacher_cannot_share_another_teachers_cycle_by_changing_the_id(
    client, school_world, target
):
    cycle = getattr(school_world, target)
    client.force_login(school_world.t1a.user)

    response = _share(client, cycle.pk, True)

    assert response.status_code == 404
    assert (
        CoachingCycle.objects.get(pk=cycle.pk).shared_with_principal == cycle.shared_with_principal
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"cycle": "abc", "shared": "1"}, {"cycle": "1"}, {"cycle": "9" * 30, "shared": "1"}],
)
def test_a_malformed_share_request_is_a_400_and_changes_nothing(client, school_world, data):
    client.force_login(school_world.t1a.user)
    before = list(CoachingCycle.objects.values_list("pk", "shared_with_principal"))

    response = client.post(reverse("cycle_share"), data)

    assert response.status_code == 400
    assert list(CoachingCycle.objects.values_list("pk", "shared_with_principal")) == before


def test_sharing_is_for_teachers_and_by_post_only(client, school_world):
    w = school_world
    client.force_login(w.coach1)
    assert _share(client, w.c1a.pk, False).status_code == 403
    client.force_login(w.t1a.user)
    assert client.get(reverse("cycle_share")).status_code == 405
    assert CoachingCycle.objects.get(pk=w.c1a.pk).shared_with_principal is True


def test_before_the_move_is_tried_the_page_says_when_reflecting_opens(client, school_world):
    cycle = school_world.c1a  # planned
    due = timezone.localdate() + datetime.timedelta(days=3)
    f.AgreedMoveFactory(cycle=cycle, due_on=due)
    client = _teacher(client, school_world)

    assert "Reflect on the move" not in client.get(reverse("my_move")).content.decode()
    response = client.post(reverse("reflect"), POST)

    assert response.status_code == 200
    assert "once you have tried the move" in response.content.decode()
    assert not Reflection.objects.exists()
