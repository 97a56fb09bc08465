"""Writes for coaching cycles: the happy path through a cycle, and clean refusals that leave
nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.models import (
    AgreedMove,
    Assessment,
    CoachingCycle,
    CoachingSession,
    CycleState,
    Debrief,
    NeedArea,
    Outcome,
    ProblemOfPractice,
    Revisit,
    RevisitStatus,
    SessionKind,
    TimeCategory,
    TimeEntry,
)
from coaching.services import (
    agreed_move_set,
    cycle_close,
    cycle_start,
    cycle_transition,
    debrief_record,
    persistent_problem_open,
    revisit_complete,
    revisit_mark_missed,
    revisit_schedule,
    session_log,
    time_entry_log,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 3)
NOON = datetime.datetime(2025, 3, 4, 12, 0, tzinfo=datetime.UTC)
OPEN_MESSAGE = "This teacher already has a cycle under way; close it before starting another."


@pytest.fixture
def caseload(db):
    """A coach with one teacher on the caseload."""
    assignment = f.CaseloadAssignmentFactory()
    return assignment.coach, assignment.teacher


def _start(teacher, coach, **extra):
    fields = {
        "evidence": "Six of 25 students answered.",
        "need_area": NeedArea.DELIVERY,
        "rationale": "Planning is solid; participation is not.",
        "assessed_on": TODAY,
    }
    return cycle_start(teacher=teacher, coach=coach, **(fields | extra))


def _agree(cycle, move=None):
    return agreed_move_set(
        cycle=cycle,
        move=move or f.MoveFactory(need_area=cycle.assessment.need_area),
        next_day_action="Mini whiteboards for hinge questions.",
        script="Boards up in 3, 2, 1.",
        success_indicator="20 of 25 boards up in 10 seconds.",
        due_on=TODAY + datetime.timedelta(days=1),
        agreed_on=TODAY,
    )


@pytest.fixture
def planned_cycle(caseload):
    coach, teacher = caseload
    return _start(teacher, coach)


@pytest.fixture
def active_cycle(planned_cycle):
    _agree(planned_cycle)
    return cycle_transition(cycle=planned_cycle, to_state=CycleState.ACTIVE)


# --- cycle_start -----------------------------------------------------------------------------


def test_cycle_start_creates_the_assessment_and_a_planned_cycle(caseload):
    coach, teacher = caseload
    cycle = _start(teacher, coach)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.PLANNED
    assert (cycle.teacher, cycle.coach, cycle.opened_on) == (teacher, coach, TODAY)
    assert (cycle.outcome, cycle.closed_on) == ("", None)
    assessment = Assessment.objects.get(teacher=teacher)
    assert cycle.assessment == assessment
    assert (assessment.need_area, assessment.coach, assessment.assessed_on) == (
        NeedArea.DELIVERY,
        coach,
        TODAY,
    )


def test_cycle_start_links_a_persistent_problem(caseload):
    coach, teacher = caseload
    problem = persistent_problem_open(
        teacher=teacher,
        statement="Pupils give up quickly on tricky tasks.",
        category=ProblemOfPractice.ENLISTING_PARTICIPATION,
        opened_on=TODAY,
    )
    cycle = _start(teacher, coach, persistent_problem=problem)
    assert list(problem.cycles.all()) == [cycle]


def test_cycle_start_refuses_a_teacher_with_an_open_cycle_and_saves_nothing(planned_cycle):
    with pytest.raises(ValidationError) as excinfo:
        _start(planned_cycle.teacher, planned_cycle.coach)
    assert excinfo.value.messages == [OPEN_MESSAGE]
    assert Assessment.objects.filter(teacher=planned_cycle.teacher).count() == 1
    assert CoachingCycle.objects.filter(teacher=planned_cycle.teacher).count() == 1


def test_cycle_start_after_the_previous_cycle_closed_opens_a_new_one(planned_cycle):
    cycle_close(cycle=planned_cycle, outcome=Outcome.ABANDONED, closed_on=TODAY)
    second = _start(planned_cycle.teacher, planned_cycle.coach)
    assert second.pk != planned_cycle.pk
    assert second.state == CycleState.PLANNED
    assert Assessment.objects.filter(teacher=planned_cycle.teacher).count() == 2


def test_cycle_start_refuses_an_unknown_need_area_and_saves_nothing(caseload):
    coach, teacher = caseload
    with pytest.raises(ValidationError) as excinfo:
        _start(teacher, coach, need_area="classroom_management")
    assert "need_area" in excinfo.value.message_dict
    assert not Assessment.objects.exists()
    assert not CoachingCycle.objects.exists()


def test_cycle_start_refused_after_the_assessment_was_saved_rolls_the_assessment_back(
    caseload, monkeypatch
):
    """The assessment and the cycle are one write: if the cycle is refused (here by a
    validation failure injected into the cycle), the assessment does not stay behind."""
    coach, teacher = caseload

    def refuse(self):
        raise ValidationError({"teacher": "Refused for the test."})

    monkeypatch.setattr(CoachingCycle, "clean", refuse)
    with pytest.raises(ValidationError) as excinfo:
        _start(teacher, coach)
    assert excinfo.value.message_dict == {"teacher": ["Refused for the test."]}
    assert not Assessment.objects.exists()
    assert not CoachingCycle.objects.exists()


def test_cycle_start_refuses_another_teachers_persistent_problem(caseload):
    coach, teacher = caseload
    other_problem = f.PersistentProblemFactory(teacher=f.TeacherFactory(school=teacher.school))
    with pytest.raises(ValidationError):
        _start(teacher, coach, persistent_problem=other_problem)
    assert not Assessment.objects.exists()


# --- agreed_move_set and cycle_transition ----------------------------------------------------


def test_agreed_move_set_then_transition_makes_the_cycle_active(planned_cycle):
    agreed = _agree(planned_cycle)
    cycle = cycle_transition(cycle=planned_cycle, to_state=CycleState.ACTIVE)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.ACTIVE
    assert cycle.agreed_move == agreed
    assert agreed.move.need_area == NeedArea.DELIVERY


def test_agreed_move_set_refuses_a_move_of_another_need_area_on_move(planned_cycle):
    with pytest.raises(ValidationError) as excinfo:
        _agree(planned_cycle, move=f.MoveFactory(need_area=NeedArea.PLANNING))
    assert excinfo.value.message_dict == {
        "move": ["Pick a move for the cycle's need area (Delivery)."]
    }
    assert not AgreedMove.objects.exists()


def test_agreed_move_set_replaces_the_move_while_the_cycle_is_planned(planned_cycle):
    first = _agree(planned_cycle)
    second_move = f.MoveFactory(need_area=NeedArea.DELIVERY)
    second = _agree(planned_cycle, move=second_move)
    assert second.pk == first.pk
    assert AgreedMove.objects.get(cycle=planned_cycle).move == second_move


def test_agreed_move_set_refuses_to_replace_the_move_once_active(active_cycle):
    original = active_cycle.agreed_move.move
    with pytest.raises(ValidationError) as excinfo:
        _agree(active_cycle)
    assert excinfo.value.messages == ["The agreed move is fixed once the cycle is under way."]
    assert AgreedMove.objects.get(cycle=active_cycle).move == original


def test_cycle_transition_to_active_needs_an_agreed_move(planned_cycle):
    with pytest.raises(ValidationError) as excinfo:
        cycle_transition(cycle=planned_cycle, to_state=CycleState.ACTIVE)
    assert excinfo.value.messages == ["Agree on the move before the cycle starts."]
    planned_cycle.refresh_from_db()
    assert planned_cycle.state == CycleState.PLANNED


@pytest.mark.parametrize("to_state", [CycleState.DEBRIEFED, CycleState.CLOSED, "bogus"])
def test_cycle_transition_refuses_a_skip_from_planned(planned_cycle, to_state):
    _agree(planned_cycle)
    with pytest.raises(ValidationError) as excinfo:
        cycle_transition(cycle=planned_cycle, to_state=to_state)
    assert excinfo.value.messages == [f"A planned cycle cannot become {to_state}."]
    planned_cycle.refresh_from_db()
    assert planned_cycle.state == CycleState.PLANNED


def test_cycle_transition_from_debriefed_back_to_active(active_cycle):
    cycle_transition(cycle=active_cycle, to_state=CycleState.DEBRIEFED)
    cycle = cycle_transition(cycle=active_cycle, to_state=CycleState.ACTIVE)
    assert cycle.state == CycleState.ACTIVE


# --- session_log and debrief_record ----------------------------------------------------------


def test_session_log_records_a_rehearsal(active_cycle):
    session = session_log(
        cycle=active_cycle,
        kind=SessionKind.REHEARSAL,
        held_at=NOON,
        duration_minutes=20,
        practised="Countdown and boards up.",
        rounds=3,
    )
    session.refresh_from_db()
    assert (session.cycle, session.kind, session.rounds, session.when) == (
        active_cycle,
        SessionKind.REHEARSAL,
        3,
        NOON,
    )


def test_session_log_refuses_a_session_without_a_time(active_cycle):
    with pytest.raises(ValidationError) as excinfo:
        session_log(cycle=active_cycle, kind=SessionKind.REHEARSAL)
    assert "Give the time the session is planned for or was held." in excinfo.value.messages
    assert not CoachingSession.objects.exists()


def test_session_log_refuses_a_duration_over_480_minutes_on_that_field(active_cycle):
    with pytest.raises(ValidationError) as excinfo:
        session_log(
            cycle=active_cycle, kind=SessionKind.REHEARSAL, held_at=NOON, duration_minutes=481
        )
    assert "duration_minutes" in excinfo.value.message_dict
    assert not CoachingSession.objects.exists()


def test_session_log_on_a_closed_cycle_is_refused(active_cycle):
    cycle_close(cycle=active_cycle, outcome=Outcome.PROGRESSING, closed_on=TODAY)
    active_cycle.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        session_log(cycle=active_cycle, kind=SessionKind.REHEARSAL, held_at=NOON)
    assert excinfo.value.messages == ["This cycle is closed; start a new one to log sessions."]
    assert not CoachingSession.objects.exists()


def test_debrief_record_moves_an_active_cycle_to_debriefed(active_cycle):
    session = session_log(cycle=active_cycle, kind=SessionKind.DEBRIEF, held_at=NOON)
    debrief = debrief_record(
        session=session,
        students_showed="22 of 25 boards up.",
        next_step="Add a why prompt.",
        indicator_met=True,
        teacher_reflection="Calmer than cold calling.",
    )
    active_cycle.refresh_from_db()
    assert active_cycle.state == CycleState.DEBRIEFED
    assert Debrief.objects.get(session__cycle=active_cycle) == debrief
    assert debrief.indicator_met is True


def test_debrief_record_on_a_session_that_is_not_a_debrief_is_refused(active_cycle):
    session = session_log(cycle=active_cycle, kind=SessionKind.REHEARSAL, held_at=NOON)
    with pytest.raises(ValidationError) as excinfo:
        debrief_record(session=session, students_showed="x", next_step="y")
    assert excinfo.value.messages == ["Only a debrief session has a debrief record."]
    assert not Debrief.objects.exists()
    active_cycle.refresh_from_db()
    assert active_cycle.state == CycleState.ACTIVE


def test_debrief_record_without_a_next_step_is_refused_and_the_cycle_stays_active(
    active_cycle,
):
    session = session_log(cycle=active_cycle, kind=SessionKind.DEBRIEF, held_at=NOON)
    with pytest.raises(ValidationError) as excinfo:
        debrief_record(session=session, students_showed="22 of 25.", next_step="")
    assert "next_step" in excinfo.value.message_dict
    assert not Debrief.objects.exists()
    active_cycle.refresh_from_db()
    assert active_cycle.state == CycleState.ACTIVE


def test_second_debrief_for_one_session_is_refused(active_cycle):
    session = session_log(cycle=active_cycle, kind=SessionKind.DEBRIEF, held_at=NOON)
    debrief_record(session=session, students_showed="22 of 25.", next_step="Why prompt.")
    with pytest.raises(ValidationError):
        debrief_record(session=session, students_showed="again", next_step="again")
    assert Debrief.objects.count() == 1


# --- cycle_close -----------------------------------------------------------------------------


def test_cycle_close_sets_outcome_and_date_and_cancels_the_scheduled_revisit(active_cycle):
    revisit = revisit_schedule(cycle=active_cycle, due_on=TODAY + datetime.timedelta(days=14))
    done = f.RevisitFactory(cycle=active_cycle, status=RevisitStatus.DONE, completed_on=TODAY)
    closed = cycle_close(cycle=active_cycle, outcome=Outcome.MASTERED, closed_on=TODAY)
    closed.refresh_from_db()
    assert (closed.state, closed.outcome, closed.closed_on) == (
        CycleState.CLOSED,
        Outcome.MASTERED,
        TODAY,
    )
    revisit.refresh_from_db()
    done.refresh_from_db()
    assert revisit.status == RevisitStatus.CANCELLED
    assert done.status == RevisitStatus.DONE


def test_cycle_close_defaults_the_closing_date_to_today(active_cycle):
    closed = cycle_close(cycle=active_cycle, outcome=Outcome.NOT_YET)
    assert closed.closed_on == timezone.localdate()


@pytest.mark.parametrize("outcome", ["", "bogus"])
def test_cycle_close_with_a_bad_outcome_is_refused_on_outcome(active_cycle, outcome):
    revisit = revisit_schedule(cycle=active_cycle, due_on=TODAY + datetime.timedelta(days=14))
    with pytest.raises(ValidationError) as excinfo:
        cycle_close(cycle=active_cycle, outcome=outcome, closed_on=TODAY)
    assert excinfo.value.message_dict == {"outcome": ["Choose an outcome."]}
    active_cycle.refresh_from_db()
    assert (active_cycle.state, active_cycle.outcome, active_cycle.closed_on) == (
        CycleState.ACTIVE,
        "",
        None,
    )
    revisit.refresh_from_db()
    assert revisit.status == RevisitStatus.SCHEDULED


def test_cycle_close_before_the_cycle_opened_is_refused_and_the_revisit_kept(active_cycle):
    revisit = revisit_schedule(cycle=active_cycle, due_on=TODAY + datetime.timedelta(days=14))
    with pytest.raises(ValidationError) as excinfo:
        cycle_close(
            cycle=active_cycle,
            outcome=Outcome.MASTERED,
            closed_on=TODAY - datetime.timedelta(days=1),
        )
    assert "A cycle cannot close before it opened." in excinfo.value.messages
    active_cycle.refresh_from_db()
    assert active_cycle.state == CycleState.ACTIVE
    revisit.refresh_from_db()
    assert revisit.status == RevisitStatus.SCHEDULED


def test_cycle_close_twice_is_refused(active_cycle):
    cycle_close(cycle=active_cycle, outcome=Outcome.MASTERED, closed_on=TODAY)
    with pytest.raises(ValidationError) as excinfo:
        cycle_close(cycle=active_cycle, outcome=Outcome.ABANDONED, closed_on=TODAY)
    assert excinfo.value.messages == ["This cycle is already closed."]
    active_cycle.refresh_from_db()
    assert active_cycle.outcome == Outcome.MASTERED


# --- Revisits --------------------------------------------------------------------------------


def test_revisit_schedule_twice_keeps_one_scheduled_revisit_with_the_new_date(active_cycle):
    first = revisit_schedule(
        cycle=active_cycle, due_on=TODAY + datetime.timedelta(days=14), reason="14 days"
    )
    moved = revisit_schedule(
        cycle=active_cycle, due_on=TODAY + datetime.timedelta(days=21), reason="moved"
    )
    assert moved.pk == first.pk
    scheduled = Revisit.objects.filter(cycle=active_cycle, status=RevisitStatus.SCHEDULED)
    assert list(scheduled.values_list("id", "due_on", "reason")) == [
        (first.pk, TODAY + datetime.timedelta(days=21), "moved")
    ]


def test_revisit_schedule_after_the_last_was_done_adds_a_new_one(active_cycle):
    first = revisit_schedule(cycle=active_cycle, due_on=TODAY)
    revisit_complete(revisit=first, completed_on=TODAY)
    second = revisit_schedule(cycle=active_cycle, due_on=TODAY + datetime.timedelta(days=14))
    assert second.pk != first.pk
    assert Revisit.objects.filter(cycle=active_cycle).count() == 2


def test_revisit_schedule_on_a_closed_cycle_is_refused(active_cycle):
    cycle_close(cycle=active_cycle, outcome=Outcome.MASTERED, closed_on=TODAY)
    active_cycle.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        revisit_schedule(cycle=active_cycle, due_on=TODAY)
    assert excinfo.value.messages == ["A closed cycle has no revisits."]
    assert not Revisit.objects.exists()


def test_revisit_complete_marks_a_scheduled_revisit_done(active_cycle):
    revisit = revisit_schedule(cycle=active_cycle, due_on=TODAY)
    revisit_complete(revisit=revisit, completed_on=TODAY)
    revisit.refresh_from_db()
    assert (revisit.status, revisit.completed_on) == (RevisitStatus.DONE, TODAY)


def test_revisit_complete_on_a_done_revisit_is_refused(active_cycle):
    revisit = revisit_schedule(cycle=active_cycle, due_on=TODAY)
    revisit_complete(revisit=revisit, completed_on=TODAY)
    with pytest.raises(ValidationError) as excinfo:
        revisit_complete(revisit=revisit, completed_on=TODAY + datetime.timedelta(days=3))
    assert excinfo.value.messages == ["Only a scheduled revisit can be marked done."]
    revisit.refresh_from_db()
    assert revisit.completed_on == TODAY


def test_revisit_mark_missed_and_then_it_cannot_be_done(active_cycle):
    revisit = revisit_schedule(cycle=active_cycle, due_on=TODAY)
    revisit_mark_missed(revisit=revisit)
    revisit.refresh_from_db()
    assert revisit.status == RevisitStatus.MISSED
    with pytest.raises(ValidationError):
        revisit_mark_missed(revisit=revisit)
    with pytest.raises(ValidationError):
        revisit_complete(revisit=revisit)
    revisit.refresh_from_db()
    assert (revisit.status, revisit.completed_on) == (RevisitStatus.MISSED, None)


# --- time_entry_log --------------------------------------------------------------------------


def test_time_entry_log_records_minutes_against_the_cycle(active_cycle):
    entry = time_entry_log(
        coach=active_cycle.coach,
        school=active_cycle.teacher.school,
        minutes=45,
        category=TimeCategory.OBSERVATION,
        entry_date=TODAY,
        cycle=active_cycle,
    )
    entry.refresh_from_db()
    assert (entry.minutes, entry.category, entry.cycle) == (45, "observation", active_cycle)


@pytest.mark.parametrize("minutes", [0, 1441])
def test_time_entry_log_refuses_minutes_outside_a_day_on_minutes(active_cycle, minutes):
    with pytest.raises(ValidationError) as excinfo:
        time_entry_log(
            coach=active_cycle.coach,
            school=active_cycle.teacher.school,
            minutes=minutes,
            category=TimeCategory.ADMIN,
        )
    assert "minutes" in excinfo.value.message_dict
    assert not TimeEntry.objects.exists()


def test_time_entry_log_refuses_a_cycle_of_another_school_on_cycle(active_cycle):
    with pytest.raises(ValidationError) as excinfo:
        time_entry_log(
            coach=active_cycle.coach,
            school=f.SchoolFactory(),
            minutes=30,
            category=TimeCategory.DIRECT_COACHING,
            cycle=active_cycle,
        )
    assert excinfo.value.message_dict == {"cycle": ["This cycle belongs to another school."]}
    assert not TimeEntry.objects.exists()


# --- The whole cycle -------------------------------------------------------------------------


def test_a_cycle_runs_from_assessment_to_close(caseload):
    coach, teacher = caseload
    cycle = _start(teacher, coach)
    _agree(cycle)
    cycle_transition(cycle=cycle, to_state=CycleState.ACTIVE)
    session_log(cycle=cycle, kind=SessionKind.REHEARSAL, held_at=NOON, rounds=2)
    debrief = session_log(cycle=cycle, kind=SessionKind.DEBRIEF, held_at=NOON)
    debrief_record(session=debrief, students_showed="22 of 25.", next_step="Why prompt.")
    revisit = revisit_schedule(cycle=cycle, due_on=TODAY + datetime.timedelta(days=14))
    revisit_complete(revisit=revisit, completed_on=TODAY + datetime.timedelta(days=14))
    cycle_close(cycle=cycle, outcome=Outcome.MASTERED, closed_on=TODAY + datetime.timedelta(15))
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CLOSED
    assert cycle.sessions.count() == 2
    assert _start(teacher, coach, assessed_on=TODAY + datetime.timedelta(16)).is_open
