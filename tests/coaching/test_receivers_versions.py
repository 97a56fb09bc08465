"""Data versions (coaching.receivers): a row created, saved or deleted gives its school a new
version (the global one for the move library, schools and districts) and leaves the other
schools alone; rows that define someone's reach give that person a new version too, before
and after a move to another school or coach."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from accounts.models import User
from coaching.models import (
    AgreedMove,
    Assessment,
    CoachingCycle,
    CoachingSession,
    Debrief,
    Move,
    PersistentProblem,
    Reflection,
    Revisit,
    SessionKind,
    TimeEntry,
)
from coaching.receivers import GLOBAL_MODELS, SCHOOL_PATHS, USER_FIELDS
from core.page_cache import GLOBAL, data_versions, school_scope, user_scope
from observations.models import EngagementSample, Observation, ObservationNote, StudentEvidence
from teachers.models import (
    CaseloadAssignment,
    District,
    Membership,
    NonSchoolDay,
    Role,
    School,
    Teacher,
)
from tests.factories import (
    AgreedMoveFactory,
    AssessmentFactory,
    CaseloadAssignmentFactory,
    CoachingCycleFactory,
    CoachingSessionFactory,
    DebriefFactory,
    DistrictFactory,
    EngagementSampleFactory,
    MembershipFactory,
    MoveFactory,
    NonSchoolDayFactory,
    ObservationFactory,
    ObservationNoteFactory,
    PersistentProblemFactory,
    ReflectionFactory,
    RevisitFactory,
    SchoolFactory,
    StudentEvidenceFactory,
    TeacherFactory,
    TimeEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Rows:
    """What the row under test hangs from, all at ``school`` (``other_school`` holds nothing of
    it), made before the versions are read."""

    district: District
    school: School
    other_school: School
    coach: User
    other_coach: User  # a second coach at ``school``
    person: User  # no role, no teacher record
    teacher: Teacher  # no sign-in, on no caseload
    cycle: CoachingCycle  # the teacher's open cycle, no agreed move yet
    observation: Observation
    debrief_session: CoachingSession
    move: Move


@pytest.fixture
def rows(db) -> Rows:
    district = DistrictFactory()
    school = SchoolFactory(district=district)
    other_school = SchoolFactory(district=district)
    coach = MembershipFactory(role=Role.COACH, school=school).user
    other_coach = MembershipFactory(role=Role.COACH, school=school).user
    teacher = TeacherFactory(school=school)
    cycle = CoachingCycleFactory(teacher=teacher, coach=coach)
    return Rows(
        district=district,
        school=school,
        other_school=other_school,
        coach=coach,
        other_coach=other_coach,
        person=UserFactory(),
        teacher=teacher,
        cycle=cycle,
        observation=ObservationFactory(cycle=cycle),
        debrief_session=CoachingSessionFactory(cycle=cycle, kind=SessionKind.DEBRIEF),
        move=MoveFactory(),
    )


# How to make one row of each model at ``rows.school`` (global models: anywhere).
MAKE: dict[type, Callable[[Rows], object]] = {
    Teacher: lambda r: TeacherFactory(school=r.school, user=r.person),
    CaseloadAssignment: lambda r: CaseloadAssignmentFactory(coach=r.coach, teacher=r.teacher),
    PersistentProblem: lambda r: PersistentProblemFactory(teacher=r.teacher),
    Assessment: lambda r: AssessmentFactory(teacher=r.teacher, coach=r.coach),
    CoachingCycle: lambda r: CoachingCycleFactory(teacher=r.teacher, coach=r.coach, closed=True),
    Observation: lambda r: ObservationFactory(teacher=r.teacher, observer=r.coach),
    ObservationNote: lambda r: ObservationNoteFactory(observation=r.observation),
    EngagementSample: lambda r: EngagementSampleFactory(observation=r.observation),
    StudentEvidence: lambda r: StudentEvidenceFactory(observation=r.observation),
    AgreedMove: lambda r: AgreedMoveFactory(cycle=r.cycle, move=r.move),
    CoachingSession: lambda r: CoachingSessionFactory(cycle=r.cycle),
    Revisit: lambda r: RevisitFactory(cycle=r.cycle),
    Debrief: lambda r: DebriefFactory(session=r.debrief_session),
    Reflection: lambda r: ReflectionFactory(cycle=r.cycle, session=r.debrief_session),
    TimeEntry: lambda r: TimeEntryFactory(coach=r.coach, school=r.school),
    NonSchoolDay: lambda r: NonSchoolDayFactory(school=r.school),
    Move: lambda r: MoveFactory(),
    School: lambda r: SchoolFactory(district=r.district),
    District: lambda r: DistrictFactory(),
    Membership: lambda r: MembershipFactory(user=r.person, role=Role.PRINCIPAL, school=r.school),
}
VERSIONED_MODELS = [*SCHOOL_PATHS, *GLOBAL_MODELS, Membership]


def _save(row) -> None:
    row.save()


def _delete(row) -> None:
    row.delete()


CHANGES = {"create": None, "save": _save, "delete": _delete}


def _versions(r: Rows, *people: User) -> dict[str, str]:
    return data_versions(
        scopes=[
            GLOBAL,
            school_scope(r.school.pk),
            school_scope(r.other_school.pk),
            *(user_scope(p.pk) for p in people),
        ]
    )


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {scope for scope in before if after[scope] != before[scope]}


def _change(r: Rows, make: Callable[[Rows], object], change: str, *people: User) -> set[str]:
    """The scopes whose version a change of the row ``make`` makes gave a new value."""
    if change == "create":
        before = _versions(r, *people)
        make(r)
    else:
        row = make(r)
        before = _versions(r, *people)
        CHANGES[change](row)
    return _changed(before, _versions(r, *people))


def test_every_versioned_model_has_a_row_to_change_here():
    assert set(MAKE) == set(VERSIONED_MODELS)


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize(
    "model", [m for m in VERSIONED_MODELS if m not in GLOBAL_MODELS], ids=lambda m: m.__name__
)
def test_a_changed_row_gives_its_school_a_new_version_and_leaves_another_school_alone(
    rows, model, change
):
    changed = _change(rows, MAKE[model], change)

    assert school_scope(rows.school.pk) in changed
    assert school_scope(rows.other_school.pk) not in changed
    assert GLOBAL not in changed


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("model", GLOBAL_MODELS, ids=lambda m: m.__name__)
def test_a_changed_library_move_school_or_district_gives_the_global_version_a_new_value(
    rows, model, change
):
    changed = _change(rows, MAKE[model], change)

    assert changed == {GLOBAL}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("model", USER_FIELDS, ids=lambda m: m.__name__)
def test_a_changed_row_that_defines_someones_reach_gives_them_a_new_version(rows, model, change):
    person = {Teacher: rows.person, CaseloadAssignment: rows.coach, Membership: rows.person}[model]

    changed = _change(rows, MAKE[model], change, person, rows.other_coach)

    assert user_scope(person.pk) in changed
    assert user_scope(rows.other_coach.pk) not in changed


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_district_wide_role_gives_the_global_version_and_the_person_a_new_value(
    rows, change
):
    def make(r: Rows) -> Membership:
        return MembershipFactory(
            user=r.person, role=Role.DISTRICT_LEADER, school=None, district=r.district
        )

    changed = _change(rows, make, change, rows.person)

    assert changed == {GLOBAL, user_scope(rows.person.pk)}


def test_a_teacher_moved_to_another_school_gives_both_schools_a_new_version(rows):
    teacher = TeacherFactory(school=rows.school, user=rows.person)
    before = _versions(rows, rows.person)

    teacher.school = rows.other_school
    teacher.save()

    assert _changed(before, _versions(rows, rows.person)) == {
        school_scope(rows.school.pk),
        school_scope(rows.other_school.pk),
        user_scope(rows.person.pk),
    }


def test_a_role_moved_to_another_school_gives_both_schools_a_new_version(rows):
    membership = MembershipFactory(user=rows.person, role=Role.PRINCIPAL, school=rows.school)
    before = _versions(rows, rows.person)

    membership.school = rows.other_school
    membership.save()

    assert _changed(before, _versions(rows, rows.person)) == {
        school_scope(rows.school.pk),
        school_scope(rows.other_school.pk),
        user_scope(rows.person.pk),
    }


def test_a_caseload_handed_to_another_coach_gives_both_coaches_a_new_version(rows):
    assignment = CaseloadAssignmentFactory(coach=rows.coach, teacher=rows.teacher)
    before = _versions(rows, rows.coach, rows.other_coach)

    assignment.coach = rows.other_coach
    assignment.save()

    assert _changed(before, _versions(rows, rows.coach, rows.other_coach)) == {
        school_scope(rows.school.pk),
        user_scope(rows.coach.pk),
        user_scope(rows.other_coach.pk),
    }


def test_with_the_versioned_cache_off_a_change_gives_no_new_version(rows, settings):
    settings.VERSIONED_CACHE = False

    changed = _change(rows, MAKE[Teacher], "save", rows.person)

    assert changed == set()
