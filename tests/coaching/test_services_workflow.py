"""Services behind each step of the coach workflow (issue 3)."""

import datetime
import math
import uuid
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.models import (
    CoachingCycle,
    CoachingSession,
    CycleState,
    Debrief,
    NeedArea,
    Outcome,
    Revisit,
    RevisitStatus,
    SessionKind,
    TimeCategory,
    TimeEntry,
)
from coaching.services import (
    SUPPORT_PLANS,
    DebriefDecision,
    agreed_move_set,
    cycle_observation_finish,
    cycle_observation_start,
    cycle_plan_support,
    cycle_schedule_observation,
    debrief_conclude,
    session_log,
    session_update,
    time_entry_correct,
    time_entry_log,
)
from core.formatting import day_as_written
from observations.models import Observation
from teachers.models import School
from teachers.school_days import SchoolDays
from teachers.services import teacher_profile_update
from tests import factories as f

pytestmark = pytest.mark.django_db
NOW = timezone.now()
# The factories' schools' time zone. A request runs in its school's zone (the
# SchoolTimeZoneMiddleware); these tests call the services directly, in that zone too.
SCHOOL_TZ = zoneinfo.ZoneInfo(School._meta.get_field("time_zone").default)
TODAY = timezone.localdate(timezone=SCHOOL_TZ)


@pytest.fixture(autouse=True)
def _in_the_schools_time_zone():
    with timezone.override(SCHOOL_TZ):
        yield


@pytest.fixture
def planned():
    """A planned cycle on its coach's caseload, with its agreed move."""
    assignment = f.CaseloadAssignmentFactory()
    cycle = f.CoachingCycleFactory(
        teacher=assignment.teacher, coach=assignment.coach, opened_on=TODAY
    )
    f.AgreedMoveFactory(cycle=cycle, due_on=TODAY + datetime.timedelta(days=1))
    return cycle


@pytest.fixture
def active(planned):
    observation = cycle_schedule_observation(
        cycle=planned, scheduled_for=NOW + datetime.timedelta(minutes=5)
    )
    cycle_observation_start(observation=observation)
    planned.refresh_from_db()
    return planned


def test_support_plans_follow_the_need_area_in_the_order_of_practice():
    assert SUPPORT_PLANS[NeedArea.PLANNING] == (SessionKind.CO_PLANNING, SessionKind.DEBRIEF)
    assert SUPPORT_PLANS[NeedArea.DELIVERY] == (
        SessionKind.MODEL_LESSON,
        SessionKind.REHEARSAL,
        SessionKind.REAL_TIME_COACHING,
        SessionKind.DEBRIEF,
    )
    assert SUPPORT_PLANS[NeedArea.PROGRESS_MONITORING] == (
        SessionKind.CO_PLANNING,
        SessionKind.DATA_REVIEW,
        SessionKind.DEBRIEF,
    )


def test_plan_support_schedules_each_session(planned):
    when = NOW + datetime.timedelta(days=1)

    sessions = cycle_plan_support(
        cycle=planned, sessions=[(SessionKind.REHEARSAL, when), (SessionKind.MODEL_LESSON, when)]
    )

    assert [s.kind for s in sessions] == [SessionKind.REHEARSAL, SessionKind.MODEL_LESSON]
    assert all(s.held_at is None and s.scheduled_for == when for s in sessions)
    assert not TimeEntry.objects.exists()  # planned sessions are not time yet


@pytest.mark.parametrize(
    "sessions",
    [[], [(SessionKind.REHEARSAL, NOW - datetime.timedelta(days=2))]],
    ids=["empty", "in-the-past"],
)
def test_plan_support_refuses_an_empty_or_past_plan(planned, sessions):
    with pytest.raises(ValidationError):
        cycle_plan_support(cycle=planned, sessions=sessions)

    assert not CoachingSession.objects.exists()


def test_schedule_observation_uses_the_cycle_coach_and_refuses_the_past(planned):
    observation = cycle_schedule_observation(
        cycle=planned, scheduled_for=NOW + datetime.timedelta(days=1), focus="Who answers?"
    )
    assert (observation.observer, observation.teacher) == (planned.coach, planned.teacher)

    with pytest.raises(ValidationError) as excinfo:
        cycle_schedule_observation(cycle=planned, scheduled_for=NOW - datetime.timedelta(days=1))

    assert "scheduled_for" in excinfo.value.message_dict
    assert Observation.objects.count() == 1


def test_first_visit_makes_a_planned_cycle_active(planned):
    observation = cycle_schedule_observation(cycle=planned, scheduled_for=NOW)

    cycle_observation_start(observation=observation)

    planned.refresh_from_db()
    observation.refresh_from_db()
    assert planned.state == CycleState.ACTIVE
    assert observation.started_at is not None


def test_a_visit_cannot_start_a_cycle_without_an_agreed_move():
    cycle = f.CoachingCycleFactory(opened_on=TODAY)
    observation = cycle_schedule_observation(cycle=cycle, scheduled_for=NOW)

    with pytest.raises(ValidationError, match="Agree on the move"):
        cycle_observation_start(observation=observation)

    observation.refresh_from_db()
    assert observation.started_at is None  # nothing half-saved


def test_finishing_a_visit_logs_its_minutes_as_observation_time(active):
    observation = Observation.objects.get(cycle=active)
    started = observation.started_at

    cycle_observation_finish(
        observation=observation, ended_at=started + datetime.timedelta(minutes=24, seconds=10)
    )
    cycle_observation_finish(
        observation=observation, ended_at=started + datetime.timedelta(minutes=30)
    )

    entry = TimeEntry.objects.get()
    assert entry.observation == observation
    assert entry.category == TimeCategory.OBSERVATION
    assert entry.minutes == 30  # corrected in place, not logged twice
    assert entry.coach == active.coach and entry.cycle == active


def test_finishing_a_visit_that_never_started_is_refused(planned):
    observation = cycle_schedule_observation(cycle=planned, scheduled_for=NOW)

    with pytest.raises(ValidationError):
        cycle_observation_finish(observation=observation)

    assert not TimeEntry.objects.exists()


def test_a_held_session_counts_as_direct_time_and_follows_corrections(planned):
    session = session_log(
        cycle=planned, kind=SessionKind.REHEARSAL, held_at=NOW, duration_minutes=25, rounds=3
    )
    assert TimeEntry.objects.get(session=session).minutes == 25

    session_update(session=session, duration_minutes=40)
    assert TimeEntry.objects.get(session=session).minutes == 40
    assert session.history.count() == 2  # the correction is kept

    session_update(session=session, held_at=None, scheduled_for=NOW)
    # No longer held: its entry is archived (counts nowhere), not deleted.
    assert TimeEntry.objects.get(session=session).archived_at is not None


def test_direct_category_of_session_time(planned):
    session = session_log(
        cycle=planned, kind=SessionKind.CO_PLANNING, held_at=NOW, duration_minutes=30
    )

    assert TimeEntry.objects.get(session=session).category == TimeCategory.DIRECT_COACHING


def test_agreeing_a_move_due_in_the_past_is_refused(planned):
    cycle = f.CoachingCycleFactory(opened_on=TODAY - datetime.timedelta(days=10))

    with pytest.raises(ValidationError) as excinfo:
        agreed_move_set(
            cycle=cycle,
            move=f.MoveFactory(need_area=cycle.assessment.need_area),
            next_day_action="x",
            script="y",
            success_indicator="z",
            due_on=TODAY - datetime.timedelta(days=1),
        )

    assert "due_on" in excinfo.value.message_dict


def _conclude(cycle, **kwargs):
    values = {
        "students_showed": "22 of 25 boards up within 10 seconds.",
        "next_step": "Add a why-prompt after boards go up.",
        "indicator_met": True,
        "teacher_reflection": "Calmer than cold calling.",
        "decision": DebriefDecision.CONTINUE,
        "revisit_due_on": SchoolDays().add(TODAY, 15),  # in the 10 to 20 school-day window
        "duration_minutes": 20,
    }
    return debrief_conclude(cycle=cycle, **{**values, **kwargs})


def test_debrief_continue_records_the_debrief_and_schedules_the_revisit(active):
    debrief = _conclude(active)

    active.refresh_from_db()
    assert active.state == CycleState.DEBRIEFED
    assert debrief.session.kind == SessionKind.DEBRIEF and debrief.indicator_met is True
    revisit = Revisit.objects.get(cycle=active, status=RevisitStatus.SCHEDULED)
    assert revisit.due_on == SchoolDays().add(TODAY, 15)
    assert revisit.off_rule_reason == ""
    assert TimeEntry.objects.get(session=debrief.session).minutes == 20


def test_debrief_mastered_closes_the_cycle(active):
    _conclude(active, decision=DebriefDecision.MASTERED, revisit_due_on=None)

    active.refresh_from_db()
    assert (active.state, active.outcome) == (CycleState.CLOSED, Outcome.MASTERED)
    assert not Revisit.objects.filter(status=RevisitStatus.SCHEDULED).exists()


def test_debrief_close_needs_an_outcome(active):
    with pytest.raises(ValidationError) as excinfo:
        _conclude(active, decision=DebriefDecision.CLOSE, outcome="")
    assert "outcome" in excinfo.value.message_dict

    _conclude(active, decision=DebriefDecision.CLOSE, outcome=Outcome.NOT_YET)
    active.refresh_from_db()
    assert active.outcome == Outcome.NOT_YET


@pytest.mark.parametrize(
    ("due_on", "field"),
    [
        (TODAY - datetime.timedelta(days=1), "revisit_due_on"),
        (TODAY, "revisit_due_on"),
        (SchoolDays().add(TODAY, 2), "revisit_off_rule_reason"),
        (SchoolDays().add(TODAY, 21), "revisit_off_rule_reason"),
        (SchoolDays().add(TODAY, 61), "revisit_due_on"),
    ],
    ids=["yesterday", "today", "2 school days", "21 school days", "61 school days"],
)
def test_debrief_refuses_a_revisit_outside_the_window_and_saves_nothing(active, due_on, field):
    with pytest.raises(ValidationError) as excinfo:
        _conclude(active, revisit_due_on=due_on)

    assert list(excinfo.value.message_dict) == [field]
    assert not Debrief.objects.exists()
    assert not CoachingSession.objects.filter(kind=SessionKind.DEBRIEF).exists()
    active.refresh_from_db()
    assert active.state == CycleState.ACTIVE


def test_debrief_before_the_move_is_observed_is_refused(planned):
    with pytest.raises(ValidationError, match="active cycle"):
        _conclude(planned)

    assert not Debrief.objects.exists()


def test_a_manual_time_entry_can_be_corrected_with_history(planned):
    entry = time_entry_log(
        coach=planned.coach, school=planned.teacher.school, minutes=45, category="admin"
    )

    time_entry_correct(entry=entry, minutes=30, category="meetings")

    entry.refresh_from_db()
    assert (entry.minutes, entry.category) == (30, "meetings")
    assert [h.minutes for h in entry.history.order_by("history_date")] == [45, 30]


def test_time_from_a_session_is_corrected_through_the_session(planned):
    session = session_log(
        cycle=planned, kind=SessionKind.MODEL_LESSON, held_at=NOW, duration_minutes=50
    )

    with pytest.raises(ValidationError, match="through its session"):
        time_entry_correct(entry=session.time_entry, minutes=5)

    assert TimeEntry.objects.get().minutes == 50


def test_observation_minutes_round_up(active):
    observation = Observation.objects.get(cycle=active)
    seconds = 61

    cycle_observation_finish(
        observation=observation,
        ended_at=observation.started_at + datetime.timedelta(seconds=seconds),
    )

    assert TimeEntry.objects.get().minutes == math.ceil(seconds / 60)
    assert CoachingCycle.objects.get().state == CycleState.ACTIVE


def test_debrief_holds_the_debrief_the_plan_scheduled(active):
    planned_debrief = session_log(
        cycle=active, kind=SessionKind.DEBRIEF, scheduled_for=NOW + datetime.timedelta(days=1)
    )

    debrief = _conclude(active)

    assert debrief.session == planned_debrief
    assert CoachingSession.objects.filter(kind=SessionKind.DEBRIEF).count() == 1
    planned_debrief.refresh_from_db()
    assert planned_debrief.held_at is not None


def test_a_planned_debrief_cannot_be_marked_held_without_its_record(planned):
    scheduled = session_log(cycle=planned, kind=SessionKind.DEBRIEF, scheduled_for=NOW)
    with pytest.raises(ValidationError) as excinfo:
        session_update(session=scheduled, held_at=NOW)
    assert "held_at" in excinfo.value.message_dict

    scheduled.refresh_from_db()
    assert scheduled.held_at is None


def test_starting_a_started_visit_again_does_not_reopen_a_debriefed_cycle(active):
    observation = Observation.objects.get(cycle=active)
    _conclude(active)

    cycle_observation_start(observation=observation)

    active.refresh_from_db()
    assert active.state == CycleState.DEBRIEFED


def test_a_visit_in_a_closed_cycle_cannot_start(planned):
    observation = cycle_schedule_observation(cycle=planned, scheduled_for=NOW)
    planned.state, planned.outcome, planned.closed_on = CycleState.CLOSED, Outcome.NOT_YET, TODAY
    planned.save()

    with pytest.raises(ValidationError, match="closed"):
        cycle_observation_start(observation=observation)

    observation.refresh_from_db()
    assert observation.started_at is None


def test_finishing_a_finished_visit_again_keeps_the_first_end_time(active):
    observation = Observation.objects.get(cycle=active)
    first_end = observation.started_at + datetime.timedelta(minutes=20)
    cycle_observation_finish(observation=observation, ended_at=first_end)

    cycle_observation_finish(observation=observation)

    observation.refresh_from_db()
    assert observation.ended_at == first_end
    assert TimeEntry.objects.get().minutes == 20


# --- Time for a future day; refused values do not stay on the caller's object ------------------

YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)
FUTURE_DAY = {
    "entry_date": [
        "Time cannot be logged for a future day: pick a date from "
        f"{day_as_written(TODAY - datetime.timedelta(days=5 * 365))} to today, "
        f"{day_as_written(TODAY)}."
    ]
}


def _log(cycle: CoachingCycle, **fields) -> TimeEntry:
    values = {"minutes": 45, "category": TimeCategory.ADMIN, "note": "Weekly report", **fields}
    return time_entry_log(coach=cycle.coach, school=cycle.teacher.school, **values)


@pytest.fixture
def logged(planned):
    """A manual entry of yesterday."""
    return _log(planned, entry_date=YESTERDAY)


@pytest.mark.parametrize("day", [TODAY, YESTERDAY])
def test_time_can_be_logged_for_today_or_a_past_day(planned, day):
    entry = _log(planned, entry_date=day)

    entry.refresh_from_db()
    assert entry.entry_date == day


def test_time_cannot_be_logged_for_a_future_day(planned):
    with pytest.raises(ValidationError) as excinfo:
        _log(planned, entry_date=TOMORROW)

    assert excinfo.value.message_dict == FUTURE_DAY
    assert not TimeEntry.objects.exists()


def test_the_same_form_key_sent_twice_logs_one_entry(planned):
    key = uuid.uuid4()

    first = _log(planned, entry_date=YESTERDAY, client_id=key)
    again = _log(planned, entry_date=TODAY, minutes=10, client_id=key)

    assert again.pk == first.pk and again.minutes == 45
    assert TimeEntry.objects.count() == 1


def test_a_form_key_of_another_coach_is_refused(planned):
    key = uuid.uuid4()
    _log(planned, client_id=key)
    other = f.UserFactory()

    with pytest.raises(ValidationError):
        time_entry_log(
            coach=other, school=planned.teacher.school, minutes=5, category="admin", client_id=key
        )

    assert TimeEntry.objects.count() == 1


def test_a_correction_can_move_an_entry_to_today(logged):
    time_entry_correct(entry=logged, entry_date=TODAY, minutes=30)

    logged.refresh_from_db()
    assert (logged.entry_date, logged.minutes) == (TODAY, 30)


def test_a_correction_to_a_future_day_is_refused_and_changes_nothing(logged):
    with pytest.raises(ValidationError) as excinfo:
        time_entry_correct(entry=logged, entry_date=TOMORROW, minutes=30)

    assert excinfo.value.message_dict == FUTURE_DAY
    assert (logged.entry_date, logged.minutes) == (YESTERDAY, 45)  # the caller's object
    assert logged.history.count() == 1


def test_a_refused_correction_leaves_the_callers_entry_as_stored(logged):
    with pytest.raises(ValidationError) as excinfo:
        time_entry_correct(entry=logged, minutes=2000, note="Corrected note")

    assert "minutes" in excinfo.value.message_dict
    assert (logged.minutes, logged.note) == (45, "Weekly report")  # not refreshed by the test
    assert logged.history.count() == 1


@pytest.fixture
def teacher():
    return f.TeacherFactory(subject="Mathematics", years_experience=3)


def test_a_teacher_profile_update_is_saved(teacher):
    teacher_profile_update(teacher=teacher, subject="Science", years_experience=4)

    assert (teacher.subject, teacher.years_experience) == ("Science", 4)
    teacher.refresh_from_db()
    assert (teacher.subject, teacher.years_experience) == ("Science", 4)


def test_a_refused_teacher_profile_update_leaves_the_callers_teacher_as_stored(teacher):
    with pytest.raises(ValidationError) as excinfo:
        teacher_profile_update(teacher=teacher, subject="Science", years_experience=99)

    assert "years_experience" in excinfo.value.message_dict
    assert (teacher.subject, teacher.years_experience) == ("Mathematics", 3)


def test_the_visit_after_a_debrief_is_the_revisit_and_marks_it_done(active):
    _conclude(active)  # debriefed, revisit scheduled in 21 days
    follow_up = cycle_schedule_observation(cycle=active, scheduled_for=NOW)

    cycle_observation_start(observation=follow_up)

    revisit = Revisit.objects.get(cycle=active)
    assert (revisit.status, revisit.completed_on) == (RevisitStatus.DONE, TODAY)
    active.refresh_from_db()
    assert active.state == CycleState.ACTIVE


def test_the_first_visit_of_a_planned_cycle_leaves_revisits_alone(planned):
    revisit = f.RevisitFactory(cycle=planned)
    visit = cycle_schedule_observation(cycle=planned, scheduled_for=NOW)

    cycle_observation_start(observation=visit)

    revisit.refresh_from_db()
    assert revisit.status == RevisitStatus.SCHEDULED
