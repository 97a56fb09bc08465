"""Rules on cycles, moves, sessions, revisits and time, held by the database itself.

Each refusal bypasses ``full_clean`` (``objects.create`` / ``update``) so only the database
constraint can stop it, and sits next to the matching accepted case with the same setup.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coaching.models import (
    AgreedMove,
    Assessment,
    CoachingCycle,
    CoachingSession,
    CycleState,
    Move,
    NeedArea,
    Outcome,
    PersistentProblem,
    Revisit,
    RevisitStatus,
    SessionKind,
    TimeCategory,
    TimeEntry,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 3)


@pytest.fixture
def cycle(db):
    return f.CoachingCycleFactory(assessment__assessed_on=TODAY)


def _second_cycle(teacher, **fields):
    """A second cycle for ``teacher`` written straight to the database (no full_clean)."""
    assessment = f.AssessmentFactory(teacher=teacher, assessed_on=TODAY)
    return CoachingCycle.objects.create(
        teacher=teacher, coach=assessment.coach, assessment=assessment, opened_on=TODAY, **fields
    )


def _close(cycle):
    CoachingCycle.objects.filter(pk=cycle.pk).update(
        state=CycleState.CLOSED, outcome=Outcome.MASTERED, closed_on=TODAY
    )


# --- Factories are valid by default ----------------------------------------------------------

ALL_FACTORIES = [
    f.UserFactory,
    f.DistrictFactory,
    f.SchoolFactory,
    f.MembershipFactory,
    f.TeacherFactory,
    f.CaseloadAssignmentFactory,
    f.MoveFactory,
    f.PersistentProblemFactory,
    f.AssessmentFactory,
    f.CoachingCycleFactory,
    f.AgreedMoveFactory,
    f.CoachingSessionFactory,
    f.DebriefFactory,
    f.RevisitFactory,
    f.ContextBriefFactory,
    f.TimeEntryFactory,
    f.ObservationFactory,
    f.ObservationNoteFactory,
    f.EngagementSampleFactory,
    f.StudentEvidenceFactory,
]


@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=lambda factory: factory.__name__)
def test_factory_default_instance_passes_full_validation(factory):
    factory().full_clean()


def test_factory_variants_pass_full_validation():
    cycle = f.CoachingCycleFactory(assessment__need_area=NeedArea.PLANNING)
    agreed = f.AgreedMoveFactory(cycle=cycle)
    assert agreed.move.need_area == NeedArea.PLANNING
    f.TimeEntryFactory(cycle=cycle).full_clean()
    f.CoachingCycleFactory(closed=True).full_clean()
    f.MembershipFactory(district_wide=True).full_clean()


# --- One open cycle per teacher --------------------------------------------------------------


@pytest.mark.parametrize("state", [CycleState.PLANNED, CycleState.ACTIVE, CycleState.DEBRIEFED])
def test_second_open_cycle_for_a_teacher_is_refused_by_the_database(cycle, state):
    with pytest.raises(IntegrityError), transaction.atomic():
        _second_cycle(cycle.teacher, state=state)
    assert CoachingCycle.objects.filter(teacher=cycle.teacher).count() == 1


@pytest.mark.parametrize("state", [CycleState.PLANNED, CycleState.ACTIVE, CycleState.DEBRIEFED])
def test_second_cycle_after_the_first_is_closed_is_accepted(cycle, state):
    _close(cycle)
    _second_cycle(cycle.teacher, state=state)
    assert CoachingCycle.objects.filter(teacher=cycle.teacher).count() == 2


def test_reopening_a_closed_cycle_while_another_is_open_is_refused_by_the_database(cycle):
    _close(cycle)
    _second_cycle(cycle.teacher)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingCycle.objects.filter(pk=cycle.pk).update(
            state=CycleState.ACTIVE, outcome="", closed_on=None
        )


def test_open_cycles_of_different_teachers_do_not_clash(cycle):
    _second_cycle(f.TeacherFactory(school=cycle.teacher.school))
    assert CoachingCycle.objects.filter(state=CycleState.PLANNED).count() == 2


# --- Outcome and closing date iff closed -----------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"state": CycleState.CLOSED, "outcome": "", "closed_on": TODAY},
        {"state": CycleState.CLOSED, "outcome": Outcome.MASTERED, "closed_on": None},
        {"state": CycleState.CLOSED, "outcome": "", "closed_on": None},
        {"state": CycleState.CLOSED, "outcome": "bogus", "closed_on": TODAY},
        {"state": CycleState.ACTIVE, "outcome": Outcome.MASTERED, "closed_on": None},
        {"state": CycleState.ACTIVE, "outcome": "", "closed_on": TODAY},
    ],
    ids=[
        "closed-no-outcome",
        "closed-no-date",
        "closed-neither",
        "closed-bogus-outcome",
        "open-with-outcome",
        "open-with-date",
    ],
)
def test_outcome_and_closing_date_only_and_always_on_a_closed_cycle(cycle, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingCycle.objects.filter(pk=cycle.pk).update(**fields)
    cycle.refresh_from_db()
    assert (cycle.state, cycle.outcome, cycle.closed_on) == (CycleState.PLANNED, "", None)


@pytest.mark.parametrize("outcome", Outcome.values)
def test_closed_cycle_with_outcome_and_closing_date_is_accepted(cycle, outcome):
    CoachingCycle.objects.filter(pk=cycle.pk).update(
        state=CycleState.CLOSED, outcome=outcome, closed_on=TODAY
    )
    cycle.refresh_from_db()
    assert not cycle.is_open


def test_closed_cycle_is_created_with_outcome_and_date_but_not_without(cycle):
    _close(cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        _second_cycle(cycle.teacher, state=CycleState.CLOSED)
    _second_cycle(cycle.teacher, state=CycleState.CLOSED, outcome=Outcome.NOT_YET, closed_on=TODAY)


def test_cycle_closing_before_it_opened_is_refused_by_the_database(cycle):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingCycle.objects.filter(pk=cycle.pk).update(
            state=CycleState.CLOSED,
            outcome=Outcome.MASTERED,
            closed_on=TODAY - datetime.timedelta(days=1),
        )


def test_cycle_state_outside_the_choices_is_refused_by_the_database(cycle):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingCycle.objects.filter(pk=cycle.pk).update(state="bogus")
    CoachingCycle.objects.filter(pk=cycle.pk).update(state=CycleState.ACTIVE)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.ACTIVE


def test_cycle_validation_refuses_an_assessment_about_another_teacher(cycle):
    other_assessment = f.AssessmentFactory()
    candidate = CoachingCycle(
        teacher=cycle.teacher, coach=cycle.coach, assessment=other_assessment, opened_on=TODAY
    )
    with pytest.raises(ValidationError) as excinfo:
        candidate.full_clean()
    assert excinfo.value.message_dict["assessment"] == ["This assessment is about another teacher."]


def test_cycle_validation_names_the_one_open_cycle_rule(cycle):
    assessment = f.AssessmentFactory(teacher=cycle.teacher, assessed_on=TODAY)
    candidate = CoachingCycle(
        teacher=cycle.teacher, coach=cycle.coach, assessment=assessment, opened_on=TODAY
    )
    with pytest.raises(ValidationError) as excinfo:
        candidate.full_clean()
    assert any("already has a cycle under way" in m for m in excinfo.value.messages)
    _close(cycle)
    candidate.full_clean()


def test_one_assessment_opens_only_one_cycle_at_the_database(cycle):
    _close(cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingCycle.objects.create(
            teacher=cycle.teacher, coach=cycle.coach, assessment=cycle.assessment, opened_on=TODAY
        )


# --- Library and assessment choices ----------------------------------------------------------


def test_move_need_area_outside_the_choices_is_refused_by_the_database():
    move = f.MoveFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Move.objects.filter(pk=move.pk).update(need_area="classroom_management")
    Move.objects.filter(pk=move.pk).update(need_area=NeedArea.PROGRESS_MONITORING)


def test_assessment_need_area_outside_the_choices_is_refused_by_the_database():
    assessment = f.AssessmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(need_area="bogus")
    Assessment.objects.filter(pk=assessment.pk).update(need_area=NeedArea.PLANNING)


def test_persistent_problem_category_outside_the_choices_is_refused_by_the_database():
    problem = f.PersistentProblemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PersistentProblem.objects.filter(pk=problem.pk).update(category="bogus")
    PersistentProblem.objects.filter(pk=problem.pk).update(category="containing_behavior")


def test_persistent_problem_resolved_before_opened_is_refused_by_the_database():
    problem = f.PersistentProblemFactory(opened_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersistentProblem.objects.filter(pk=problem.pk).update(
            resolved_on=TODAY - datetime.timedelta(days=1)
        )
    PersistentProblem.objects.filter(pk=problem.pk).update(resolved_on=TODAY)


# --- Agreed move -----------------------------------------------------------------------------


def test_a_cycle_has_at_most_one_agreed_move_at_the_database(cycle):
    agreed = f.AgreedMoveFactory(cycle=cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreedMove.objects.create(
            cycle=cycle,
            move=agreed.move,
            next_day_action="x",
            script="x",
            success_indicator="x",
            due_on=TODAY,
        )
    assert AgreedMove.objects.filter(cycle=cycle).count() == 1


def test_agreed_move_validation_refuses_a_move_of_another_need_area(cycle):
    agreed = f.AgreedMoveFactory.build(cycle=cycle, move=f.MoveFactory(need_area=NeedArea.PLANNING))
    with pytest.raises(ValidationError) as excinfo:
        agreed.full_clean()
    assert excinfo.value.message_dict == {
        "move": ["Pick a move for the cycle's need area (Delivery)."]
    }
    agreed.move = f.MoveFactory(need_area=NeedArea.DELIVERY)
    agreed.full_clean()


def test_agreed_move_validation_refuses_a_due_date_before_the_cycle_opens(cycle):
    agreed = f.AgreedMoveFactory.build(cycle=cycle, move=f.MoveFactory())
    agreed.due_on = TODAY - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        agreed.full_clean()
    assert "due_on" in excinfo.value.message_dict
    agreed.due_on = TODAY
    agreed.full_clean()


# --- Sessions and debriefs -------------------------------------------------------------------


def test_session_kind_outside_the_choices_is_refused_by_the_database(cycle):
    session = f.CoachingSessionFactory(cycle=cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingSession.objects.filter(pk=session.pk).update(kind="chat")
    CoachingSession.objects.filter(pk=session.pk).update(kind=SessionKind.REHEARSAL)


def test_session_without_any_time_is_refused_by_the_database(cycle):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingSession.objects.create(cycle=cycle, kind=SessionKind.REHEARSAL)
    CoachingSession.objects.create(
        cycle=cycle, kind=SessionKind.REHEARSAL, scheduled_for=timezone.now()
    )


@pytest.mark.parametrize(
    ("field", "bad", "good"),
    [
        ("duration_minutes", 0, 1),
        ("duration_minutes", 481, 480),
        ("exit_slips_meeting_pct", 101, 100),
        ("rounds", 51, 50),
    ],
)
def test_session_numbers_out_of_range_are_refused_by_the_database(cycle, field, bad, good):
    session = f.CoachingSessionFactory(cycle=cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingSession.objects.filter(pk=session.pk).update(**{field: bad})
    CoachingSession.objects.filter(pk=session.pk).update(**{field: good})


def test_debrief_validation_refuses_a_session_that_is_not_a_debrief(cycle):
    debrief = f.DebriefFactory.build(
        session=f.CoachingSessionFactory(cycle=cycle, kind=SessionKind.REHEARSAL)
    )
    with pytest.raises(ValidationError) as excinfo:
        debrief.full_clean()
    assert excinfo.value.message_dict == {"session": ["A debrief belongs to a debrief session."]}
    debrief.session = f.CoachingSessionFactory(cycle=cycle, kind=SessionKind.DEBRIEF)
    debrief.full_clean()


# --- Revisits --------------------------------------------------------------------------------


def test_second_scheduled_revisit_for_a_cycle_is_refused_by_the_database(cycle):
    f.RevisitFactory(cycle=cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        Revisit.objects.create(cycle=cycle, due_on=TODAY, status=RevisitStatus.SCHEDULED)
    assert Revisit.objects.filter(cycle=cycle).count() == 1


def test_new_scheduled_revisit_after_the_previous_is_done_is_accepted(cycle):
    first = f.RevisitFactory(cycle=cycle)
    Revisit.objects.filter(pk=first.pk).update(status=RevisitStatus.DONE, completed_on=TODAY)
    Revisit.objects.create(cycle=cycle, due_on=TODAY, status=RevisitStatus.SCHEDULED)
    assert Revisit.objects.filter(cycle=cycle).count() == 2


def test_scheduled_revisits_of_different_cycles_do_not_clash(cycle):
    f.RevisitFactory(cycle=cycle)
    f.RevisitFactory()
    assert Revisit.objects.filter(status=RevisitStatus.SCHEDULED).count() == 2


@pytest.mark.parametrize(
    "fields",
    [
        {"status": RevisitStatus.DONE, "completed_on": None},
        {"status": RevisitStatus.MISSED, "completed_on": TODAY},
        {"status": "bogus"},
    ],
    ids=["done-without-date", "missed-with-date", "bogus-status"],
)
def test_revisit_status_and_completion_date_inconsistent_is_refused_by_the_database(cycle, fields):
    revisit = f.RevisitFactory(cycle=cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        Revisit.objects.filter(pk=revisit.pk).update(**fields)
    Revisit.objects.filter(pk=revisit.pk).update(status=RevisitStatus.DONE, completed_on=TODAY)


def test_revisit_is_overdue_only_while_scheduled_and_past_due(cycle):
    revisit = f.RevisitFactory(cycle=cycle, due_on=TODAY)
    assert not revisit.is_overdue(today=TODAY)
    assert revisit.is_overdue(today=TODAY + datetime.timedelta(days=1))
    revisit.status = RevisitStatus.CANCELLED
    assert not revisit.is_overdue(today=TODAY + datetime.timedelta(days=1))


# --- Time entries ----------------------------------------------------------------------------


@pytest.mark.parametrize("minutes", [0, 1441, 5000])
def test_time_entry_minutes_outside_1_to_1440_are_refused_by_the_database(cycle, minutes):
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.create(
            coach=cycle.coach,
            school=cycle.teacher.school,
            minutes=minutes,
            category=TimeCategory.OBSERVATION,
        )
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize("minutes", [1, 1440])
def test_time_entry_minutes_from_1_to_1440_are_accepted(cycle, minutes):
    TimeEntry.objects.create(
        coach=cycle.coach,
        school=cycle.teacher.school,
        minutes=minutes,
        category=TimeCategory.OBSERVATION,
    )
    assert TimeEntry.objects.get().minutes == minutes


def test_time_entry_category_outside_the_choices_is_refused_by_the_database(cycle):
    entry = f.TimeEntryFactory(cycle=cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.filter(pk=entry.pk).update(category="lunch")
    TimeEntry.objects.filter(pk=entry.pk).update(category=TimeCategory.ADMIN)


def test_time_entry_validation_refuses_a_cycle_of_another_school(cycle):
    entry = f.TimeEntryFactory.build(coach=cycle.coach, school=f.SchoolFactory(), cycle=cycle)
    with pytest.raises(ValidationError) as excinfo:
        entry.full_clean()
    assert excinfo.value.message_dict == {"cycle": ["This cycle belongs to another school."]}
    entry.school = cycle.teacher.school
    entry.full_clean()
