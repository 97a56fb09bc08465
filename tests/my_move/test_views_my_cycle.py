"""The debrief's next step reaches the teacher: "My move" shows the latest next step (its date
and the debrief it came from) and when the coach comes next; the teacher's own read-only page of
a cycle (``/my-move/cycles/<id>/``) shows every next step, the move, the sessions, the visits'
evidence and engagement, the debriefs and the reflections, and none of the coach's working
material; another teacher's cycle is a 404."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachingCycle, CycleState, SessionKind
from coaching.services import context_brief_build
from tests import factories as f

pytestmark = pytest.mark.django_db

OLD_STEP = "Count down from five before the boards go up."
NEW_STEP = "Add a why prompt after the boards go up."
SESSION_NOTE = "Rehearsed the countdown three times; slower the third time."
EVIDENCE = "Nineteen boards showed 3/4 with a drawing of four equal parts."
REFLECTION = "Most boards were up by five; the back row waited for the others."
OBSERVATION_NOTE = "COACH ONLY 09:14 back row copies from the front row."


def _held_debrief(cycle, *, days_ago: int, next_step: str):
    session = f.CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        held_at=timezone.now() - datetime.timedelta(days=days_ago),
        notes="",
    )
    return f.DebriefFactory(session=session, next_step=next_step, students_showed="Boards up.")


@pytest.fixture
def cycle(school_world) -> CoachingCycle:
    """t1a's cycle under way after two debriefs (the latest 2 days ago), with a rehearsal, a
    visit's evidence and the teacher's reflection; a coach's note taken during the visit."""
    cycle = school_world.c1a
    f.AgreedMoveFactory(cycle=cycle, move__name="Boards up on hinge questions")
    CoachingCycle.objects.filter(pk=cycle.pk).update(state=CycleState.DEBRIEFED)
    _held_debrief(cycle, days_ago=16, next_step=OLD_STEP)
    _held_debrief(cycle, days_ago=2, next_step=NEW_STEP)
    f.CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.REHEARSAL,
        held_at=timezone.now() - datetime.timedelta(days=18),
        notes=SESSION_NOTE,
    )
    f.StudentEvidenceFactory(observation=school_world.o1a, description=EVIDENCE)
    f.ObservationNoteFactory(observation=school_world.o1a, text=OBSERVATION_NOTE)
    f.ReflectionFactory(cycle=cycle, students_did=REFLECTION)
    cycle.refresh_from_db()
    return cycle


def _as(client, user):
    client.force_login(user)
    return client


def _page(client, cycle):
    return client.get(reverse("my_cycle", args=[cycle.pk]))


# --- My move --------------------------------------------------------------------------------------


def test_teacher_sees_latest_next_step_on_my_move(client, cycle, school_world):
    response = _as(client, school_world.t1a.user).get(reverse("my_move"))

    html = response.content.decode()
    latest = cycle.sessions.get(debrief__next_step=NEW_STEP)
    assert response.context["mine"].latest_step.session == latest
    assert NEW_STEP in html
    assert OLD_STEP not in html  # the earlier one is in the cycle's history, not here
    held = timezone.localtime(latest.held_at, zoneinfo.ZoneInfo(school_world.school_a.time_zone))
    assert f"the debrief of {held:%A} {held.day} {held:%B}" in html
    assert f'href="{reverse("my_cycle", args=[cycle.pk])}#session-{latest.pk}"' in html


def test_my_move_says_when_no_next_step_is_agreed_yet(client, school_world):
    f.AgreedMoveFactory(cycle=school_world.c1a)

    response = _as(client, school_world.t1a.user).get(reverse("my_move"))

    assert response.context["mine"].latest_step is None
    assert "None yet: you and your coach agree on your next step at the debrief" in (
        response.content.decode()
    )


def test_my_move_says_when_the_coach_comes_next_with_the_next_session(client, cycle, school_world):
    when = timezone.now() + datetime.timedelta(days=2)
    f.CoachingSessionFactory(
        cycle=cycle, kind=SessionKind.MODEL_LESSON, held_at=None, scheduled_for=when
    )
    f.RevisitFactory(cycle=cycle)

    html = _as(client, school_world.t1a.user).get(reverse("my_move")).content.decode()

    local = timezone.localtime(when, zoneinfo.ZoneInfo(school_world.school_a.time_zone))
    assert f"Model lesson: {local:%A} {local.day} {local:%B, %H:%M}" in html
    assert "Revisit due" in html


def test_my_move_links_every_cycle_of_the_teacher_to_its_page(client, cycle, school_world):
    html = _as(client, school_world.t1a.user).get(reverse("my_move")).content.decode()

    for own in (cycle, school_world.c1a_old):
        assert f'href="{reverse("my_cycle", args=[own.pk])}"' in html


# --- The teacher's page of a cycle ----------------------------------------------------------------


def test_teacher_sees_earlier_next_steps_in_their_cycle_history(client, cycle, school_world):
    html = _page(_as(client, school_world.t1a.user), cycle).content.decode()

    assert NEW_STEP in html and OLD_STEP in html
    assert html.index(NEW_STEP) < html.index(OLD_STEP)  # newest first
    assert "Now</span>" in html


def test_teacher_opens_own_cycle_read_only(client, cycle, school_world):
    response = _page(_as(client, school_world.t1a.user), cycle)

    assert response.status_code == 200
    html = response.content.decode()
    agreed = cycle.agreed_move
    for text in (
        agreed.script.splitlines()[0],
        agreed.success_indicator,
        f"{agreed.due_on:%A} {agreed.due_on.day} {agreed.due_on:%B %Y}",
        cycle.assessment.rationale,
        SESSION_NOTE,
        "Boards up.",  # what students showed at the debriefs
        EVIDENCE,
        "48% before the move",  # 12 of 25 engaged before, 21 of 25 after
        "84% after",
        REFLECTION,
    ):
        assert text in html, text
    # Read-only: no form but the share switch, no way into the coach's pages.
    assert html.count("<form") == 1 + html.count(f'action="{reverse("logout")}"')
    assert 'action="/my-move/share/"' in html
    assert f'href="/cycles/{cycle.pk}/' not in html
    assert "/observations/" not in html


def test_teacher_opens_an_earlier_closed_cycle(client, school_world):
    response = _page(_as(client, school_world.t1a.user), school_world.c1a_old)

    assert response.status_code == 200
    assert "Progressing" in response.content.decode()


@pytest.mark.parametrize("target", ["c2a", "c1b", "cb", "c2b"])
def test_teacher_cannot_open_another_teachers_cycle(client, school_world, target):
    other = getattr(school_world, target)

    response = _page(_as(client, school_world.t1a.user), other)

    assert response.status_code == 404
    assert _page(client, school_world.c1a).status_code == 200  # same setup, own cycle


@pytest.mark.parametrize("who", ["coach1", "principal_a"])
def test_the_teachers_page_is_for_the_teacher_only(client, school_world, who):
    """The coach and the principal (c1a is shared) read the cycle on the cycle page, not here."""
    response = _page(_as(client, getattr(school_world, who)), school_world.c1a)

    assert response.status_code in (403, 404)
    assert _as(client, school_world.t1a.user) and _page(client, school_world.c1a).status_code == 200


def test_coach_private_content_is_not_on_the_teacher_view(client, cycle, school_world):
    brief = context_brief_build(cycle=cycle)
    framing = brief.content["profile"]["framing"]
    assert framing  # the brief suggests how to frame the talk with this teacher
    f.TimeEntryFactory(coach=school_world.coach1, cycle=cycle, minutes=95)
    coach_page = _as(client, school_world.coach1).get(reverse("cycle_detail", args=[cycle.pk]))
    assert "95 min" in coach_page.content.decode()  # the same texts do show to the coach

    html = _page(_as(client, school_world.t1a.user), cycle).content.decode()

    assert EVIDENCE in html  # the page is the full one
    assert OBSERVATION_NOTE not in html
    assert framing not in html
    assert "Suggested stance" not in html and "Context brief" not in html
    assert "95 min" not in html
