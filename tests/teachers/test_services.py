"""Writes about memberships, teachers and caseloads: happy paths and clean refusals."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from teachers.models import CaseloadAssignment, Membership, Role, Teacher
from teachers.services import caseload_assign, membership_grant, teacher_create
from tests.factories import (
    CaseloadAssignmentFactory,
    DistrictFactory,
    MembershipFactory,
    SchoolFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 3)


# --- membership_grant ------------------------------------------------------------------------


def test_membership_grant_creates_a_school_role():
    user, school = UserFactory(), SchoolFactory()
    membership = membership_grant(user=user, role=Role.COACH, school=school)
    assert (membership.user, membership.role, membership.school) == (user, Role.COACH, school)
    assert membership.is_active


def test_membership_grant_is_idempotent():
    user, school = UserFactory(), SchoolFactory()
    first = membership_grant(user=user, role=Role.COACH, school=school)
    second = membership_grant(user=user, role=Role.COACH, school=school)
    assert second.pk == first.pk
    assert Membership.objects.filter(user=user).count() == 1


def test_membership_grant_reactivates_a_deactivated_role():
    membership = MembershipFactory(role=Role.PRINCIPAL, is_active=False)
    granted = membership_grant(user=membership.user, role=Role.PRINCIPAL, school=membership.school)
    assert granted.pk == membership.pk
    membership.refresh_from_db()
    assert membership.is_active
    assert Membership.objects.filter(user=membership.user).count() == 1


def test_membership_grant_district_wide_role():
    user, district = UserFactory(), DistrictFactory()
    membership = membership_grant(user=user, role=Role.DISTRICT_LEADER, district=district)
    assert membership.school is None
    assert membership.district == district
    assert membership_grant(user=user, role=Role.DISTRICT_LEADER, district=district) == membership


def test_membership_grant_refuses_a_coach_for_a_whole_district_and_saves_nothing():
    user, district = UserFactory(), DistrictFactory()
    with pytest.raises(ValidationError) as excinfo:
        membership_grant(user=user, role=Role.COACH, district=district)
    assert "for one school, or for a whole district" in str(excinfo.value)
    assert not Membership.objects.filter(user=user).exists()


def test_membership_grant_refuses_an_unknown_role_on_the_role_field():
    user, school = UserFactory(), SchoolFactory()
    with pytest.raises(ValidationError) as excinfo:
        membership_grant(user=user, role="bogus", school=school)
    assert "role" in excinfo.value.message_dict
    assert not Membership.objects.filter(user=user).exists()


# --- teacher_create --------------------------------------------------------------------------


def test_teacher_create_saves_the_profile():
    school, user = SchoolFactory(), UserFactory()
    teacher = teacher_create(
        school=school,
        first_name="Ana",
        last_name="Silva",
        email="ana@example.org",
        subject="Science",
        years_experience=4,
        user=user,
    )
    teacher.refresh_from_db()
    assert (teacher.school, teacher.full_name, teacher.subject) == (school, "Ana Silva", "Science")
    assert teacher.user == user


def test_teacher_create_refuses_an_email_already_used_at_the_school():
    existing = TeacherFactory(email="ana@example.org")
    with pytest.raises(ValidationError) as excinfo:
        teacher_create(
            school=existing.school, first_name="Ana", last_name="B", email="ana@example.org"
        )
    assert "Another teacher at this school has this email address." in excinfo.value.messages
    assert Teacher.objects.filter(school=existing.school).count() == 1
    # The same address at another school is fine.
    teacher_create(school=SchoolFactory(), first_name="Ana", last_name="B", email="ana@example.org")


def test_teacher_create_refuses_more_than_60_years_of_experience_on_that_field():
    school = SchoolFactory()
    with pytest.raises(ValidationError) as excinfo:
        teacher_create(school=school, first_name="A", last_name="B", years_experience=61)
    assert "years_experience" in excinfo.value.message_dict
    assert not Teacher.objects.filter(school=school).exists()
    teacher_create(school=school, first_name="A", last_name="B", years_experience=60)


def test_teacher_create_refuses_an_unknown_disposition_on_that_field():
    school = SchoolFactory()
    with pytest.raises(ValidationError) as excinfo:
        teacher_create(school=school, first_name="A", last_name="B", disposition="grumpy")
    assert "disposition" in excinfo.value.message_dict
    assert not Teacher.objects.filter(school=school).exists()


# --- caseload_assign -------------------------------------------------------------------------


@pytest.fixture
def two_coaches_one_teacher(db):
    teacher = TeacherFactory()
    coach1 = MembershipFactory(role=Role.COACH, school=teacher.school).user
    coach2 = MembershipFactory(role=Role.COACH, school=teacher.school).user
    return teacher, coach1, coach2


def test_caseload_assign_puts_the_teacher_on_the_caseload(two_coaches_one_teacher):
    teacher, coach1, _ = two_coaches_one_teacher
    assignment = caseload_assign(coach=coach1, teacher=teacher, started_on=TODAY)
    assert (assignment.coach, assignment.teacher, assignment.started_on) == (coach1, teacher, TODAY)
    assert assignment.ended_on is None


def test_caseload_assign_to_a_new_coach_ends_the_previous_assignment(two_coaches_one_teacher):
    teacher, coach1, coach2 = two_coaches_one_teacher
    first = caseload_assign(coach=coach1, teacher=teacher, started_on=TODAY)
    later = TODAY + datetime.timedelta(days=10)
    second = caseload_assign(coach=coach2, teacher=teacher, started_on=later)
    first.refresh_from_db()
    assert first.ended_on == later
    assert second.coach == coach2
    current = CaseloadAssignment.objects.filter(teacher=teacher, ended_on__isnull=True)
    assert list(current.values_list("coach_id", flat=True)) == [coach2.pk]


def test_caseload_assign_to_the_same_coach_keeps_the_current_assignment(two_coaches_one_teacher):
    teacher, coach1, _ = two_coaches_one_teacher
    first = caseload_assign(coach=coach1, teacher=teacher, started_on=TODAY)
    again = caseload_assign(coach=coach1, teacher=teacher, started_on=TODAY)
    assert again.pk == first.pk
    assert CaseloadAssignment.objects.filter(teacher=teacher).count() == 1


def test_caseload_assign_backdated_before_the_current_start_ends_it_the_day_it_started(
    two_coaches_one_teacher,
):
    teacher, coach1, coach2 = two_coaches_one_teacher
    first = caseload_assign(coach=coach1, teacher=teacher, started_on=TODAY)
    caseload_assign(coach=coach2, teacher=teacher, started_on=TODAY - datetime.timedelta(days=5))
    first.refresh_from_db()
    assert first.ended_on == TODAY


def test_caseload_assign_refuses_a_non_coach_and_keeps_the_previous_assignment(
    two_coaches_one_teacher,
):
    teacher, coach1, _ = two_coaches_one_teacher
    first = caseload_assign(coach=coach1, teacher=teacher, started_on=TODAY)
    principal = MembershipFactory(role=Role.PRINCIPAL, school=teacher.school).user
    with pytest.raises(ValidationError) as excinfo:
        caseload_assign(coach=principal, teacher=teacher, started_on=TODAY)
    assert excinfo.value.message_dict["coach"] == [
        "This person is not a coach at the teacher's school."
    ]
    # Nothing half-saved: the previous assignment was not ended.
    first.refresh_from_db()
    assert first.ended_on is None
    assert CaseloadAssignment.objects.filter(teacher=teacher).count() == 1


def test_caseload_assign_refuses_a_coach_of_another_school(two_coaches_one_teacher):
    teacher, _, _ = two_coaches_one_teacher
    elsewhere = MembershipFactory(role=Role.COACH, school=SchoolFactory()).user
    with pytest.raises(ValidationError) as excinfo:
        caseload_assign(coach=elsewhere, teacher=teacher, started_on=TODAY)
    assert "coach" in excinfo.value.message_dict
    assert not CaseloadAssignment.objects.filter(teacher=teacher).exists()


def test_caseload_factory_gives_the_coach_a_coach_role_at_the_school():
    assignment = CaseloadAssignmentFactory()
    assert Membership.objects.filter(
        user=assignment.coach, role=Role.COACH, school=assignment.teacher.school, is_active=True
    ).exists()
    assignment.full_clean()
