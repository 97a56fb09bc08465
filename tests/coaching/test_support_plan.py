"""The support plan in the order practice works: co-planning, rehearsal, a model lesson or
real-time coaching before the first observation (the try), the observation on the move's due
date, the debrief within two school days after it; every default on a school day of the
teacher's school. Refused out of that order (form and service) unless a practice session is
ticked as a follow-up."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching.models import AgreedMove, CoachingSession, NeedArea, SessionKind
from coaching.selectors import (
    DEBRIEF_WITHIN_SCHOOL_DAYS,
    PRACTICE_KINDS,
    move_due_default,
    support_plan_defaults,
    support_plan_order_errors,
)
from coaching.services import SUPPORT_PLANS, cycle_plan_support
from observations.models import Observation
from teachers.models import NonSchoolDay
from teachers.school_days import SchoolDays
from tests import factories as f

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")  # the factories' school time zone
D = datetime.date
# Wed Jan 7 2027, 09:00 in New York.
NOW = datetime.datetime(2027, 1, 7, 9, 0, tzinfo=NEW_YORK)
# A calendar with a holiday on Mon Jan 18 (MLK Day) and a one-week break Feb 15 to 19.
CALENDAR = SchoolDays(
    closures=(
        (D(2027, 1, 18), D(2027, 1, 18), "Martin Luther King Jr. Day"),
        (D(2027, 2, 15), D(2027, 2, 19), "Mid-winter break"),
    )
)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=NEW_YORK)


def _local(when: datetime.datetime) -> datetime.datetime:
    return when.astimezone(NEW_YORK)


def _assert_in_order(defaults, kinds, calendar) -> None:
    observed = defaults.observation_at
    for kind in kinds:
        when = defaults.sessions[kind]
        assert calendar.is_school_day(_local(when).date()), kind
        if kind in PRACTICE_KINDS:
            assert NOW < when < observed, kind
        else:
            assert when > observed, kind
        if kind == SessionKind.DEBRIEF:
            late = calendar.count(_local(observed).date(), _local(when).date())
            assert late <= DEBRIEF_WITHIN_SCHOOL_DAYS
    assert calendar.is_school_day(_local(observed).date())
    practice = [defaults.sessions[k] for k in kinds if k in PRACTICE_KINDS]
    assert practice == sorted(practice)  # in the order of the trajectory


# --- Defaults --------------------------------------------------------------------------------


@pytest.mark.parametrize("need_area", NeedArea.values)
@pytest.mark.parametrize(
    "due_on",
    [D(2027, 1, 13), D(2027, 1, 19), D(2027, 1, 11), D(2027, 2, 22), D(2027, 1, 16)],
    ids=[
        "Wed, room to practise",
        "Tue after the MLK holiday",
        "Mon after a weekend",
        "Mon after the break",
        "a Saturday",
    ],
)
def test_default_plan_puts_practice_before_the_try_and_the_debrief_within_two_school_days(
    need_area, due_on
):
    kinds = SUPPORT_PLANS[need_area]

    defaults = support_plan_defaults(
        kinds=kinds, due_on=due_on, school_days=CALENDAR, tz=NEW_YORK, now=NOW
    )

    _assert_in_order(defaults, kinds, CALENDAR)
    assert _local(defaults.observation_at).date() == CALENDAR.on_or_after(due_on)
    assert _local(defaults.observation_at).time() == datetime.time(10)
    assert defaults.note == ""


def test_default_delivery_plan_the_issue_reported_model_rehearsal_real_time_then_the_try():
    """The issue: the observation at 10:00 on the due date, rehearsal at 15:30 that day, the
    model lesson the day after, real-time coaching two days after. Now, for a try on Tue Jan 19
    (the Monday is MLK Day): model lesson and rehearsal on Thu Jan 14, real-time coaching on
    Fri Jan 15, the observation on Tue Jan 19, the debrief on Wed Jan 20."""
    defaults = support_plan_defaults(
        kinds=SUPPORT_PLANS[NeedArea.DELIVERY],
        due_on=D(2027, 1, 19),
        school_days=CALENDAR,
        tz=NEW_YORK,
        now=NOW,
    )

    assert {k: _local(v) for k, v in defaults.sessions.items()} == {
        SessionKind.MODEL_LESSON: _at(D(2027, 1, 14), 10),
        SessionKind.REHEARSAL: _at(D(2027, 1, 14), 15, 30),
        SessionKind.REAL_TIME_COACHING: _at(D(2027, 1, 15), 10),
        SessionKind.DEBRIEF: _at(D(2027, 1, 20), 15, 30),
    }
    assert _local(defaults.observation_at) == _at(D(2027, 1, 19), 10)


def test_default_progress_monitoring_plan_reviews_the_slips_the_afternoon_of_the_try():
    defaults = support_plan_defaults(
        kinds=SUPPORT_PLANS[NeedArea.PROGRESS_MONITORING],
        due_on=D(2027, 1, 13),
        school_days=CALENDAR,
        tz=NEW_YORK,
        now=NOW,
    )

    assert {k: _local(v) for k, v in defaults.sessions.items()} == {
        SessionKind.CO_PLANNING: _at(D(2027, 1, 12), 15, 30),
        SessionKind.DATA_REVIEW: _at(D(2027, 1, 13), 15, 30),
        SessionKind.DEBRIEF: _at(D(2027, 1, 14), 15, 30),
    }


def test_a_try_too_soon_for_practice_moves_the_observation_and_says_so():
    """Due tomorrow (Thu Jan 8): the delivery practice cannot all come first, so it is packed
    from now on and the observation moves after it; the note tells the coach."""
    defaults = support_plan_defaults(
        kinds=SUPPORT_PLANS[NeedArea.DELIVERY],
        due_on=D(2027, 1, 8),
        school_days=CALENDAR,
        tz=NEW_YORK,
        now=NOW,
    )

    _assert_in_order(defaults, SUPPORT_PLANS[NeedArea.DELIVERY], CALENDAR)
    assert defaults.note.startswith("The move is due Fri 08 Jan: too soon for the practice")


@pytest.mark.parametrize("need_area", NeedArea.values)
def test_the_move_due_date_proposed_leaves_room_for_practice(need_area):
    kinds = SUPPORT_PLANS[need_area]
    due_on = move_due_default(kinds=kinds, today=D(2027, 1, 14), school_days=CALENDAR)

    assert CALENDAR.is_school_day(due_on)
    defaults = support_plan_defaults(
        kinds=kinds,
        due_on=due_on,
        school_days=CALENDAR,
        tz=NEW_YORK,
        now=_at(D(2027, 1, 14), 8),
    )
    assert defaults.note == ""
    assert _local(defaults.observation_at).date() == due_on


# --- The order rule --------------------------------------------------------------------------

OBSERVED = _at(D(2027, 1, 13), 10)


@pytest.mark.parametrize("kind", PRACTICE_KINDS)
def test_practice_after_the_first_observation_is_refused_unless_a_follow_up(kind):
    after = _at(D(2027, 1, 13), 15, 30)

    errors = support_plan_order_errors(
        sessions=[(kind, after, False)], observation_at=OBSERVED, school_days=CALENDAR, tz=NEW_YORK
    )
    follow_up = support_plan_order_errors(
        sessions=[(kind, after, True)], observation_at=OBSERVED, school_days=CALENDAR, tz=NEW_YORK
    )

    assert errors[kind].endswith(
        "comes after the first observation (Wed 13 Jan 10:00): practice comes before the try. "
        "Plan it before the observation, or tick “This is a follow-up” if it follows up on the "
        "try."
    )
    assert follow_up == {}


def test_a_debrief_more_than_two_school_days_after_the_observation_is_refused():
    """Wed Jan 13 observation: Fri Jan 15 is 2 school days after (fine); Tue Jan 19 is 3 (the
    Monday is a holiday), refused."""

    def check(day):
        return support_plan_order_errors(
            sessions=[(SessionKind.DEBRIEF, _at(day, 15, 30), False)],
            observation_at=OBSERVED,
            school_days=CALENDAR,
            tz=NEW_YORK,
        )

    assert check(D(2027, 1, 15)) == {}
    assert check(D(2027, 1, 19)) == {
        SessionKind.DEBRIEF: "The debrief is 3 school days after the observation (Wed 13 Jan): "
        "hold it within 2 school days, by Fri 15 Jan, while the lesson is fresh."
    }
    assert "comes after the observation" in check(D(2027, 1, 12))[SessionKind.DEBRIEF]


# --- The service (what the API calls too) ----------------------------------------------------


@pytest.fixture
def cycle():
    cycle = f.CoachingCycleFactory(assessment__assessed_on=D(2027, 1, 4))
    AgreedMove.objects.filter(cycle=cycle).delete()
    f.AgreedMoveFactory(cycle=cycle, due_on=D(2027, 1, 13))
    return cycle


def test_the_service_refuses_a_rehearsal_after_the_observation_and_saves_nothing(cycle):
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError) as excinfo:
        cycle_plan_support(
            cycle=cycle,
            sessions=[(SessionKind.REHEARSAL, _at(D(2027, 1, 13), 15, 30))],
            observation_at=OBSERVED,
        )

    assert list(excinfo.value.message_dict) == [SessionKind.REHEARSAL]
    assert not CoachingSession.objects.filter(cycle=cycle).exists()


def test_the_service_checks_against_the_cycles_scheduled_observation(cycle):
    f.ObservationFactory(
        cycle=cycle, teacher=cycle.teacher, scheduled_for=OBSERVED, started_at=None
    )

    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError):
            cycle_plan_support(
                cycle=cycle, sessions=[(SessionKind.MODEL_LESSON, _at(D(2027, 1, 14), 10))]
            )
        [session] = cycle_plan_support(
            cycle=cycle, sessions=[(SessionKind.MODEL_LESSON, _at(D(2027, 1, 14), 10), True)]
        )

    assert session.is_follow_up is True


def test_the_service_keeps_practice_before_the_try_not_marked_follow_up(cycle):
    with time_machine.travel(NOW, tick=False):
        sessions = cycle_plan_support(
            cycle=cycle,
            sessions=[
                (SessionKind.REHEARSAL, _at(D(2027, 1, 12), 15, 30), True),
                (SessionKind.DEBRIEF, _at(D(2027, 1, 14), 15, 30)),
            ],
            observation_at=OBSERVED,
        )

    assert [(s.kind, s.is_follow_up) for s in sessions] == [
        (SessionKind.REHEARSAL, True),
        (SessionKind.DEBRIEF, False),
    ]


# --- The plan page -----------------------------------------------------------------------------


@pytest.fixture
def coach_cycle(client, school_world):
    """A planned delivery cycle of coach1 with its move due Wed Jan 13 2027."""
    teacher = f.TeacherFactory(school=school_world.school_a)
    f.CaseloadAssignmentFactory(coach=school_world.coach1, teacher=teacher)
    cycle = f.CoachingCycleFactory(
        teacher=teacher, coach=school_world.coach1, assessment__assessed_on=D(2027, 1, 4)
    )
    f.AgreedMoveFactory(cycle=cycle, due_on=D(2027, 1, 13))
    return cycle


@pytest.fixture
def at_now(client, school_world):
    """Travel to NOW, signed in as coach1 (a sign-in from the real today would have expired)."""
    with time_machine.travel(NOW, tick=False):
        client.force_login(school_world.coach1)
        yield


def _form(**overrides) -> dict:
    return {
        "model_lesson_include": "on",
        "model_lesson_at": "2027-01-11T10:00",
        "rehearsal_include": "on",
        "rehearsal_at": "2027-01-11T15:30",
        "real_time_coaching_at": "",
        "debrief_include": "on",
        "debrief_at": "2027-01-14T15:30",
        "observation_at": "2027-01-13T10:00",
        "focus": "Boards up within 10 seconds",
        **overrides,
    }


def test_the_plan_page_proposes_practice_first_on_school_days(
    client, school_world, coach_cycle, at_now
):
    NonSchoolDay.objects.create(
        school=school_world.school_a,
        starts_on=D(2027, 1, 11),
        ends_on=D(2027, 1, 11),
        name="Staff training day",
    )

    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("cycle_plan", args=[coach_cycle.pk]))

    html = response.content.decode()
    assert "Practice comes before the try" in html
    # Wed Jan 13 try: two school days before is Fri Jan 8 (Mon Jan 11 is closed).
    assert 'value="2027-01-08T10:00"' in html  # model lesson
    assert 'value="2027-01-08T15:30"' in html  # rehearsal
    assert 'value="2027-01-12T10:00"' in html  # real-time coaching
    assert 'value="2027-01-13T10:00"' in html  # the observation, on the due date
    assert 'value="2027-01-14T15:30"' in html  # the debrief
    assert html.count("This is a follow-up") == 3  # one per practice row


def test_the_plan_page_refuses_a_rehearsal_after_the_observation_next_to_it(
    client, coach_cycle, at_now
):
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("cycle_plan", args=[coach_cycle.pk]),
            _form(rehearsal_at="2027-01-13T15:30"),
        )

    assert response.status_code == 200
    [message] = response.context["form"].errors["rehearsal_at"]
    assert "comes after the first observation (Wed 13 Jan 10:00)" in message
    assert not CoachingSession.objects.filter(cycle=coach_cycle).exists()
    assert not Observation.objects.filter(cycle=coach_cycle).exists()


def test_the_plan_page_takes_a_rehearsal_after_the_observation_ticked_as_a_follow_up(
    client, coach_cycle, at_now
):
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("cycle_plan", args=[coach_cycle.pk]),
            _form(rehearsal_at="2027-01-13T15:30", rehearsal_follow_up="on"),
        )

    assert response.status_code == 302
    rehearsal = CoachingSession.objects.get(cycle=coach_cycle, kind=SessionKind.REHEARSAL)
    assert rehearsal.is_follow_up is True
    assert Observation.objects.filter(cycle=coach_cycle).count() == 1


def test_the_plan_page_refuses_a_debrief_a_week_after_the_observation(client, coach_cycle, at_now):
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("cycle_plan", args=[coach_cycle.pk]), _form(debrief_at="2027-01-20T15:30")
        )

    assert response.status_code == 200
    [message] = response.context["form"].errors["debrief_at"]
    assert message.startswith("The debrief is 5 school days after the observation (Wed 13 Jan)")
    assert not CoachingSession.objects.filter(cycle=coach_cycle).exists()
