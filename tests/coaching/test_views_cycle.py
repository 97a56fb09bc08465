"""Starting a cycle (assessment -> one move -> concrete move -> plan), the cycle page, and
logging sessions, through the browser-facing views."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coaching import services
from coaching.models import (
    AgreedMove,
    Assessment,
    CoachingCycle,
    CoachingSession,
    CycleState,
    NeedArea,
    SessionKind,
    TimeCategory,
    TimeEntry,
)
from observations.models import Observation
from teachers.school_days import SchoolDays
from tests.factories import (
    AgreedMoveFactory,
    CaseloadAssignmentFactory,
    CoachingCycleFactory,
    MoveFactory,
    NonSchoolDayFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

SCHOOL_TZ = zoneinfo.ZoneInfo("America/New_York")  # the factories' school time zone


def _local_today() -> datetime.date:
    return timezone.localdate(timezone=SCHOOL_TZ)


def _local_input(when: datetime.datetime) -> str:
    """How a datetime-local input sends ``when`` in the school's time zone."""
    return timezone.localtime(when, SCHOOL_TZ).strftime("%Y-%m-%dT%H:%M")


def _at(day: datetime.date, hour: int, minute: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def school_day_after(day: datetime.date, count: int = 1) -> datetime.date:
    """The ``count``-th school day after ``day`` (the factories' schools teach Monday to Friday
    and have no holidays)."""
    return SchoolDays().add(day, count)


@pytest.fixture
def new_teacher(school_world):
    """A teacher on coach1's caseload with no cycle yet."""
    teacher = TeacherFactory(school=school_world.school_a, first_name="Ada", last_name="Quinn")
    CaseloadAssignmentFactory(coach=school_world.coach1, teacher=teacher)
    return teacher


@pytest.fixture
def moves(db):
    return {
        "whiteboards": MoveFactory(
            name="Mini whiteboards",
            need_area=NeedArea.DELIVERY,
            looks_like="Every student writes an answer on a board before anyone is called on.",
            script_stems="Everyone, write your answer.\nBoards up in 3, 2, 1.",
            common_errors="Calling on a volunteer before the boards are up.",
        ),
        "wait_time": MoveFactory(
            name="Wait time",
            need_area=NeedArea.DELIVERY,
            looks_like="Count silently to five after asking a question.",
            script_stems="Take five seconds to think.",
        ),
        "exit_ticket": MoveFactory(
            name="Exit ticket design", need_area=NeedArea.PROGRESS_MONITORING
        ),
    }


@pytest.fixture
def planned_cycle(new_teacher, school_world):
    """A planned delivery cycle with its move agreed, and no sessions or observations yet."""
    cycle = CoachingCycleFactory(
        teacher=new_teacher,
        coach=school_world.coach1,
        opened_on=_local_today(),
        assessment__assessed_on=_local_today(),
    )
    AgreedMoveFactory(cycle=cycle, due_on=_local_today() + datetime.timedelta(days=1))
    return cycle


# --- The wizard --------------------------------------------------------------------------------


def test_whole_wizard_leaves_one_planned_cycle_with_its_move_plan_and_observation(
    client, school_world, new_teacher, moves
):
    client.force_login(school_world.coach1)
    today = _local_today()

    start = client.get(reverse("cycle_start", args=[new_teacher.pk]))
    assert start.status_code == 200
    assert "data-draft-key" in start.content.decode()
    assert "co-planning before instruction" in start.content.decode().lower()
    response = client.post(
        reverse("cycle_start", args=[new_teacher.pk]),
        {
            "evidence": "Six of 25 students answered; the rest waited.",
            "need_area": NeedArea.DELIVERY,
            "rationale": "Plans are solid; participation is the gap.",
        },
    )
    cycle = CoachingCycle.objects.get(teacher=new_teacher)
    assert response.status_code == 302
    assert response.url == reverse("move_pick", args=[cycle.pk])

    pick = client.get(response.url).content.decode()
    assert "Mini whiteboards" in pick
    assert "Wait time" in pick
    assert "Exit ticket design" not in pick  # another need area
    agree_url = reverse("move_agree", args=[cycle.pk, moves["whiteboards"].pk])
    assert agree_url in pick

    agree = client.get(agree_url)
    assert "Boards up in 3, 2, 1." in agree.content.decode()  # the script starts from the stems
    # Due on a school day that leaves two school days of practice before the try.
    due_on = school_day_after(today, 3)
    assert agree.context["form"]["due_on"].value() == due_on
    response = client.post(
        agree_url,
        {
            "next_day_action": "Use boards for the three hinge questions in period 2.",
            "script": "Everyone, write your answer. Boards up in 3, 2, 1.",
            "success_indicator": "20 of 25 boards up within 10 seconds.",
            "due_on": due_on.isoformat(),
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("cycle_plan", args=[cycle.pk])

    plan = client.get(response.url).content.decode()
    day1 = school_day_after(today)
    assert f'value="{_at(day1, 10)}"' in plan  # model lesson: two school days before the try
    assert f'value="{_at(day1, 15, 30)}"' in plan  # rehearsal: that day after school
    assert f'value="{_at(school_day_after(today, 2), 10)}"' in plan  # real-time: the day before
    assert f'value="{_at(due_on, 10)}"' in plan  # observation: the due date at 10:00
    assert f'value="{_at(school_day_after(today, 4), 15, 30)}"' in plan  # debrief: next day
    response = client.post(
        reverse("cycle_plan", args=[cycle.pk]),
        {
            "rehearsal_include": "on",
            "rehearsal_at": _at(day1, 15, 30),
            "model_lesson_include": "on",
            "model_lesson_at": _at(day1, 10),
            "real_time_coaching_include": "on",
            "real_time_coaching_at": _at(school_day_after(today, 2), 10),
            # the debrief row is unticked
            "debrief_at": _at(school_day_after(today, 4), 15, 30),
            "observation_at": _at(due_on, 10),
            "focus": "How many boards are up within 10 seconds",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("cycle_detail", args=[cycle.pk])

    cycle = CoachingCycle.objects.get(teacher=new_teacher)  # still exactly one
    assert cycle.state == CycleState.PLANNED
    assert cycle.agreed_move.move == moves["whiteboards"]
    assert cycle.agreed_move.due_on == due_on
    sessions = list(cycle.sessions.order_by("scheduled_for"))
    assert [s.kind for s in sessions] == [
        SessionKind.MODEL_LESSON,
        SessionKind.REHEARSAL,
        SessionKind.REAL_TIME_COACHING,
    ]
    assert all(s.held_at is None for s in sessions)
    rehearsal_at = timezone.localtime(sessions[1].scheduled_for, SCHOOL_TZ)
    assert (rehearsal_at.date(), rehearsal_at.time()) == (day1, datetime.time(15, 30))
    observation = Observation.objects.get(cycle=cycle)
    assert observation.started_at is None
    assert observation.observer == school_world.coach1
    assert timezone.localtime(observation.scheduled_for, SCHOOL_TZ).time() == datetime.time(10)
    assert observation.focus == "How many boards are up within 10 seconds"
    detail = client.get(response.url).content.decode()
    assert "Plan saved: 3 support sessions" in detail


def test_planning_cycle_plan_offers_co_planning_the_school_day_before_the_try(
    client, school_world, planned_cycle
):
    assessment = planned_cycle.assessment
    assessment.need_area = NeedArea.PLANNING
    assessment.save()
    due_on = school_day_after(_local_today(), 3)
    AgreedMove.objects.filter(cycle=planned_cycle).update(due_on=due_on)
    client.force_login(school_world.coach1)

    response = client.get(reverse("cycle_plan", args=[planned_cycle.pk]))

    form = response.context["form"]
    html = response.content.decode()
    assert form.kinds == (SessionKind.CO_PLANNING, SessionKind.DEBRIEF)
    assert f'value="{_at(school_day_after(_local_today(), 2), 15, 30)}"' in html  # co-planning
    assert f'value="{_at(due_on, 10)}"' in html  # the observation on the try
    assert f'value="{_at(school_day_after(due_on), 15, 30)}"' in html  # the debrief


def test_second_cycle_for_the_same_teacher_is_refused_and_saves_nothing(client, school_world):
    client.force_login(school_world.coach1)
    url = reverse("cycle_start", args=[school_world.t1b.pk])
    cycles, assessments = CoachingCycle.objects.count(), Assessment.objects.count()

    page = client.get(url).content.decode()
    assert "already has a cycle under way" in page
    assert reverse("cycle_detail", args=[school_world.c1b.pk]) in page
    assert 'name="evidence"' not in page  # the form is not offered
    response = client.post(
        url, {"evidence": "Seen.", "need_area": NeedArea.PLANNING, "rationale": "Because."}
    )

    assert response.status_code == 200
    assert "This teacher already has a cycle under way" in response.content.decode()
    assert (CoachingCycle.objects.count(), Assessment.objects.count()) == (cycles, assessments)


def test_assessment_without_a_need_area_shows_the_error_and_saves_nothing(
    client, school_world, new_teacher
):
    client.force_login(school_world.coach1)

    response = client.post(
        reverse("cycle_start", args=[new_teacher.pk]),
        {"evidence": "Seen.", "need_area": "", "rationale": "Because."},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["need_area"]
    assert not CoachingCycle.objects.filter(teacher=new_teacher).exists()


def test_coach_cannot_start_a_cycle_for_another_coachs_teacher(client, school_world):
    client.force_login(school_world.coach2)

    response = client.get(reverse("cycle_start", args=[school_world.t1b.pk]))

    assert response.status_code == 404


# --- Picking and agreeing on the move ----------------------------------------------------------


def test_move_search_narrows_the_list(client, school_world, moves):
    client.force_login(school_world.coach1)
    url = reverse("move_pick", args=[school_world.c1b.pk])

    page = client.get(url, {"q": "whiteboards"}).content.decode()

    assert "Mini whiteboards" in page
    assert "Wait time" not in page
    assert 'hx-trigger="input changed delay:300ms' in page
    assert "<title>" in page


def test_move_search_by_htmx_returns_only_the_list(client, school_world, moves):
    client.force_login(school_world.coach1)
    url = reverse("move_pick", args=[school_world.c1b.pk])

    response = client.get(url, {"q": "count silently"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>" not in html
    assert "Wait time" in html
    assert "Mini whiteboards" not in html


def test_move_is_fixed_once_the_cycle_is_under_way(client, school_world, moves):
    cycle = school_world.c1b
    AgreedMoveFactory(cycle=cycle, move=moves["whiteboards"])
    cycle.state = CycleState.ACTIVE
    cycle.save()
    client.force_login(school_world.coach1)

    page = client.get(reverse("move_pick", args=[cycle.pk])).content.decode()

    assert "The move is fixed" in page
    assert reverse("move_agree", args=[cycle.pk, moves["wait_time"].pk]) not in page


def _agree(client, cycle, move, **overrides):
    data = {
        "next_day_action": "Use boards for the hinge questions.",
        "script": "Boards up in 3, 2, 1.",
        "success_indicator": "20 of 25 boards up.",
        "due_on": SchoolDays().add(_local_today(), 1).isoformat(),
        **overrides,
    }
    return client.post(reverse("move_agree", args=[cycle.pk, move.pk]), data)


def test_agreeing_a_move_saves_it_and_leads_to_the_plan(client, school_world, moves):
    client.force_login(school_world.coach1)

    response = _agree(client, school_world.c1b, moves["whiteboards"])

    assert response.status_code == 302
    assert AgreedMove.objects.get(cycle=school_world.c1b).move == moves["whiteboards"]


def test_move_due_in_the_past_shows_the_field_error_and_saves_nothing(client, school_world, moves):
    client.force_login(school_world.coach1)
    yesterday = _local_today() - datetime.timedelta(days=1)

    response = _agree(client, school_world.c1b, moves["whiteboards"], due_on=yesterday.isoformat())

    assert response.status_code == 200
    assert "The due date is in the past" in str(response.context["form"].errors["due_on"])
    assert not AgreedMove.objects.filter(cycle=school_world.c1b).exists()


def test_move_due_on_a_weekend_or_a_holiday_is_refused_by_name_with_the_nearest_school_days(
    client, school_world, moves
):
    client.force_login(school_world.coach1)
    today = _local_today()
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    holiday = school_day_after(saturday, 2)  # a Tuesday
    NonSchoolDayFactory(school=school_world.c1b.teacher.school, name="Staff day", starts_on=holiday)

    weekend = _agree(client, school_world.c1b, moves["whiteboards"], due_on=saturday.isoformat())
    closed = _agree(client, school_world.c1b, moves["whiteboards"], due_on=holiday.isoformat())
    next_day = _agree(
        client, school_world.c1b, moves["whiteboards"], due_on=school_day_after(holiday).isoformat()
    )

    friday = saturday - datetime.timedelta(days=1)
    monday = saturday + datetime.timedelta(days=2)
    assert weekend.status_code == 200
    assert str(weekend.context["form"].errors["due_on"][0]) == (
        f"{saturday:%a %d %b} is not a school day (a weekend): the nearest school days are "
        f"{friday:%a %d %b} and {monday:%a %d %b}."
    )
    assert "(Staff day)" in str(closed.context["form"].errors["due_on"][0])
    assert next_day.status_code == 302  # the school day after the holiday is taken
    assert AgreedMove.objects.get(cycle=school_world.c1b).due_on == school_day_after(holiday)


def test_empty_move_field_and_move_of_another_need_area_save_nothing(client, school_world, moves):
    client.force_login(school_world.coach1)

    empty = _agree(client, school_world.c1b, moves["whiteboards"], next_day_action="")
    other_area = _agree(client, school_world.c1b, moves["exit_ticket"])

    assert empty.status_code == 200
    assert "next_day_action" in empty.context["form"].errors
    assert other_area.status_code == 200
    assert other_area.context["form"].non_field_errors() == [
        "Pick a move for the cycle's need area (Delivery)."
    ]
    assert "This move is for progress monitoring" in other_area.content.decode()
    assert not AgreedMove.objects.filter(cycle=school_world.c1b).exists()


# --- The support plan --------------------------------------------------------------------------


def _plan_data(day: datetime.date, **overrides) -> dict:
    return {
        "rehearsal_include": "on",
        "rehearsal_at": _at(day, 15, 30),
        "model_lesson_at": "",
        "real_time_coaching_at": "",
        "debrief_at": "",
        "observation_at": _at(school_day_after(day), 10),  # the try: after the rehearsal
        "focus": "",
        **overrides,
    }


def test_plan_with_a_bad_datetime_saves_no_session_and_no_observation(
    client, school_world, planned_cycle
):
    client.force_login(school_world.coach1)
    day = school_day_after(_local_today())

    response = client.post(
        reverse("cycle_plan", args=[planned_cycle.pk]),
        _plan_data(day, rehearsal_at="tomorrow-ish", model_lesson_include="on"),
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert "rehearsal_at" in form.errors
    assert "model_lesson_at" in form.errors  # ticked without a time
    assert not CoachingSession.objects.filter(cycle=planned_cycle).exists()
    assert not Observation.objects.filter(cycle=planned_cycle).exists()


def test_plan_is_all_or_nothing_when_the_observation_is_refused(
    client, school_world, planned_cycle, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError({"scheduled_for": "The coach is booked at that time."})

    monkeypatch.setattr(services, "cycle_schedule_observation", refuse)
    client.force_login(school_world.coach1)

    response = client.post(
        reverse("cycle_plan", args=[planned_cycle.pk]),
        _plan_data(school_day_after(_local_today())),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["observation_at"] == [
        "The coach is booked at that time."
    ]
    assert not CoachingSession.objects.filter(cycle=planned_cycle).exists()


def test_plan_in_the_past_is_refused_next_to_the_observation_time(
    client, school_world, planned_cycle
):
    client.force_login(school_world.coach1)
    last_week = _local_today() - datetime.timedelta(days=7)

    response = client.post(
        reverse("cycle_plan", args=[planned_cycle.pk]),
        _plan_data(school_day_after(_local_today()), observation_at=_at(last_week, 10)),
    )

    assert "observation_at" in response.context["form"].errors
    assert not CoachingSession.objects.filter(cycle=planned_cycle).exists()


def test_plan_page_of_a_planned_cycle_does_not_plan_twice(client, school_world, planned_cycle):
    client.force_login(school_world.coach1)
    day = school_day_after(_local_today())
    url = reverse("cycle_plan", args=[planned_cycle.pk])

    client.post(url, _plan_data(day))
    again = client.post(url, _plan_data(day))

    assert "The support plan is in place" in again.content.decode()
    assert CoachingSession.objects.filter(cycle=planned_cycle).count() == 1
    assert Observation.objects.filter(cycle=planned_cycle).count() == 1


def test_plan_without_an_agreed_move_sends_the_coach_to_pick_it(client, school_world):
    client.force_login(school_world.coach1)

    response = client.get(reverse("cycle_plan", args=[school_world.c1b.pk]))

    assert response.status_code == 302
    assert response.url == reverse("move_pick", args=[school_world.c1b.pk])


# --- The cycle page ----------------------------------------------------------------------------


def test_coach_of_the_caseload_sees_the_cycle_with_actions(client, school_world):
    cycle = school_world.c1a
    AgreedMoveFactory(cycle=cycle, script="Everyone, boards up in 3, 2, 1.")
    client.force_login(school_world.coach1)

    response = client.get(reverse("cycle_detail", args=[cycle.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Everyone, boards up in 3, 2, 1." in html
    assert "48% → 84%" in html  # 12/25 before, 21/25 after (the fixture's sweeps)
    assert reverse("session_new", args=[cycle.pk]) in html
    assert reverse("observation_new", args=[cycle.pk]) in html
    assert reverse("debrief", args=[cycle.pk]) not in html  # only once the cycle is active


def test_debrief_button_appears_on_an_active_cycle(client, school_world):
    cycle = school_world.c1a
    AgreedMoveFactory(cycle=cycle)
    services.cycle_transition(cycle=cycle, to_state=CycleState.ACTIVE)
    client.force_login(school_world.coach1)

    html = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()

    assert reverse("debrief", args=[cycle.pk]) in html


def test_cycle_page_shows_planned_sessions_with_a_record_link_and_minutes(
    client, school_world, planned_cycle
):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    planned = services.session_log(
        cycle=planned_cycle, kind=SessionKind.REHEARSAL, scheduled_for=tomorrow
    )
    services.session_log(
        cycle=planned_cycle,
        kind=SessionKind.MODEL_LESSON,
        held_at=timezone.now(),
        duration_minutes=35,
        notes="Modelled the countdown.",
    )
    client.force_login(school_world.coach1)

    html = client.get(reverse("cycle_detail", args=[planned_cycle.pk])).content.decode()

    assert reverse("session_edit", args=[planned.pk]) in html
    assert "Modelled the countdown." in html
    assert "35 min" in html


def test_cycle_page_gives_an_hour_or_more_of_coach_time_in_hours(
    client, school_world, planned_cycle
):
    services.session_log(
        cycle=planned_cycle,
        kind=SessionKind.MODEL_LESSON,
        held_at=timezone.now(),
        duration_minutes=90,
    )
    client.force_login(school_world.coach1)

    html = client.get(reverse("cycle_detail", args=[planned_cycle.pk])).content.decode()

    assert '<p class="fs-4 mb-0">1.5 h <span class="fs-6 text-body-secondary">(90 min)' in html


@pytest.mark.parametrize(
    ("username", "cycle_name", "status", "buttons"),
    [
        ("coach1", "c1a", 200, True),
        ("coach2", "c1a", 404, False),
        ("principal_a", "c1b", 404, False),  # not shared
        ("principal_a", "c1a", 200, False),  # shared: read, but no actions
        ("principal_b", "c1a", 404, False),  # another school
        ("teacher1a", "c1a", 404, False),  # the teacher reads "My move" instead
        ("teacher2a", "c1a", 404, False),
        ("leader", "c1a", 404, False),
    ],
)
def test_cycle_page_per_role(client, school_world, username, cycle_name, status, buttons):
    cycle = getattr(school_world, cycle_name)
    client.force_login(type(school_world.coach1).objects.get(username=username))

    response = client.get(reverse("cycle_detail", args=[cycle.pk]))

    assert response.status_code == status
    html = response.content.decode()
    assert (reverse("session_new", args=[cycle.pk]) in html) is buttons
    assert ("Log a session" in html) is buttons


# --- Sessions ----------------------------------------------------------------------------------


def _session_data(**overrides) -> dict:
    return {
        "kind": SessionKind.REHEARSAL,
        "held_at": _local_input(timezone.now() - datetime.timedelta(hours=1)),
        "duration_minutes": "25",
        "practised": "The countdown before boards go up.",
        "rounds": "3",
        "feedback_given": "Wait for every board.",
        "notes": "",
        **overrides,
    }


def test_logging_a_rehearsal_creates_its_time_entry(client, school_world):
    cycle = school_world.c1a
    client.force_login(school_world.coach1)

    response = client.post(reverse("session_new", args=[cycle.pk]), _session_data())

    assert response.status_code == 302
    assert response.url == reverse("cycle_detail", args=[cycle.pk])
    session = CoachingSession.objects.get(cycle=cycle)
    assert (session.kind, session.rounds, session.duration_minutes) == ("rehearsal", 3, 25)
    entry = TimeEntry.objects.get(session=session)
    assert (entry.minutes, entry.category, entry.cycle) == (25, TimeCategory.DIRECT_COACHING, cycle)
    assert entry.coach == school_world.coach1


def test_session_form_shows_the_fields_of_the_chosen_kind(client, school_world):
    client.force_login(school_world.coach1)
    url = reverse("session_new", args=[school_world.c1a.pk])

    page = client.get(url, {"kind": "data_review"})
    partial = client.get(url, {"kind": "co_planning"}, HTTP_HX_REQUEST="true")

    html = page.content.decode()
    assert 'name="exit_slips_meeting_pct"' in html
    assert 'name="practised"' not in html
    assert "data-draft-key" in html
    assert "counts as direct-coaching time by itself" in html.lower()
    assert 'hx-get="' + url in html
    assert "<title>" not in partial.content.decode()
    assert 'name="questions_scripted"' in partial.content.decode()
    assert 'name="held_at"' not in partial.content.decode()
    assert 'value="debrief"' not in html  # debriefs are logged on the debrief page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rounds": "99"}, "rounds"),
        (
            {"kind": "data_review", "exit_slips_meeting_pct": "120", "practised": ""},
            "exit_slips_meeting_pct",
        ),
        ({"duration_minutes": "0"}, "duration_minutes"),
        ({"duration_minutes": ""}, "duration_minutes"),
        ({"held_at": _local_input(timezone.now() + datetime.timedelta(days=2))}, "held_at"),
        ({"kind": "debrief"}, "kind"),
    ],
)
def test_bad_session_values_give_field_errors_and_save_nothing(
    client, school_world, overrides, field
):
    client.force_login(school_world.coach1)

    response = client.post(
        reverse("session_new", args=[school_world.c1a.pk]), _session_data(**overrides)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CoachingSession.objects.filter(cycle=school_world.c1a).exists()
    assert not TimeEntry.objects.filter(session__isnull=False).exists()


def test_another_coach_cannot_log_or_edit_sessions(client, school_world):
    session = services.session_log(
        cycle=school_world.c1a, kind="rehearsal", held_at=timezone.now(), duration_minutes=20
    )
    client.force_login(school_world.coach2)

    assert (
        client.post(reverse("session_new", args=[school_world.c1a.pk]), _session_data()).status_code
        == 404
    )
    assert client.get(reverse("session_edit", args=[session.pk])).status_code == 404
    assert CoachingSession.objects.filter(cycle=school_world.c1a).count() == 1


def test_correcting_a_session_updates_its_time_entry_and_keeps_history(client, school_world):
    session = services.session_log(
        cycle=school_world.c1a,
        kind=SessionKind.REHEARSAL,
        held_at=timezone.now() - datetime.timedelta(hours=2),
        duration_minutes=25,
        practised="Countdown.",
        rounds=2,
    )
    client.force_login(school_world.coach1)
    url = reverse("session_edit", args=[session.pk])

    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["held_at"] = _local_input(session.held_at)
    response = client.post(url, {**data, "duration_minutes": "40", "rounds": "4"})

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.duration_minutes, session.rounds) == (40, 4)
    assert TimeEntry.objects.get(session=session).minutes == 40
    assert session.history.count() == 2
    assert session.history.earliest().duration_minutes == 25
    page = client.get(url).content.decode()
    assert "Change history" in page
    assert "Duration minutes" in page
    assert "<del>25</del> → <ins>40</ins>" in page


def test_recording_a_planned_session_makes_it_held_and_counts_its_time(client, school_world):
    planned = services.session_log(
        cycle=school_world.c1a,
        kind=SessionKind.CO_PLANNING,
        scheduled_for=timezone.now() - datetime.timedelta(minutes=30),
    )
    client.force_login(school_world.coach1)
    url = reverse("session_edit", args=[planned.pk])
    assert not TimeEntry.objects.filter(session=planned).exists()

    response = client.post(
        url,
        {
            "held_at": _local_input(planned.scheduled_for),
            "duration_minutes": "45",
            "questions_scripted": "What makes a fraction a quarter?",
            "anticipated_responses": "“Four pieces.”",
            "notes": "",
        },
    )

    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.held_at is not None
    assert TimeEntry.objects.get(session=planned).minutes == 45


def test_recording_a_planned_session_without_duration_is_refused(client, school_world):
    planned = services.session_log(
        cycle=school_world.c1a,
        kind=SessionKind.CO_PLANNING,
        scheduled_for=timezone.now() - datetime.timedelta(minutes=30),
    )
    client.force_login(school_world.coach1)

    response = client.post(
        reverse("session_edit", args=[planned.pk]),
        {
            "held_at": _local_input(planned.scheduled_for),
            "duration_minutes": "",
            "questions_scripted": "What makes a fraction a quarter?",
        },
    )

    assert response.status_code == 200
    assert "duration_minutes" in response.context["form"].errors
    planned.refresh_from_db()
    assert planned.held_at is None


def test_a_planned_debrief_is_held_on_the_debrief_page_not_recorded_here(
    client, school_world, planned_cycle
):
    planned = services.session_log(
        cycle=planned_cycle,
        kind=SessionKind.DEBRIEF,
        scheduled_for=timezone.now() + datetime.timedelta(days=3),
    )
    client.force_login(school_world.coach1)

    response = client.post(
        reverse("session_edit", args=[planned.pk]),
        {"held_at": _local_input(timezone.now()), "duration_minutes": "30"},
    )

    assert response.status_code == 302
    assert response.url == reverse("cycle_detail", args=[planned_cycle.pk])
    planned.refresh_from_db()
    assert planned.held_at is None
