"""Rules on schools, memberships, teachers and caseloads, held by the database itself.

Each refusal bypasses ``full_clean`` (``objects.create`` / ``update``) so only the database
constraint can stop it, and sits next to the matching accepted case with the same setup.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from teachers.models import CaseloadAssignment, Membership, Role, School, Teacher
from tests.factories import (
    PASSWORD,
    CaseloadAssignmentFactory,
    DistrictFactory,
    MembershipFactory,
    SchoolFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 3)


# --- Users -----------------------------------------------------------------------------------


def test_user_factory_gives_a_working_password():
    user = UserFactory()
    assert user.check_password(PASSWORD)
    assert not user.check_password("wrong")


def test_user_email_is_unique_ignoring_case_at_the_database():
    UserFactory(email="Ana@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="other", email="ana@example.ORG")


def test_users_without_email_do_not_clash():
    User.objects.create(username="one", email="")
    User.objects.create(username="two", email="")
    assert User.objects.filter(email="").count() == 2


# --- Schools ---------------------------------------------------------------------------------


@pytest.mark.parametrize("hours", ["0", "40.1", "-1"])
def test_school_hours_per_cycle_out_of_range_is_refused_by_the_database(hours):
    district = DistrictFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        School.objects.create(district=district, name="X", slug="x", default_cycle_hours=hours)


@pytest.mark.parametrize("hours", ["0.1", "2.5", "40"])
def test_school_hours_per_cycle_in_range_is_accepted(hours):
    district = DistrictFactory()
    School.objects.create(district=district, name="X", slug="x", default_cycle_hours=hours)
    assert School.objects.filter(slug="x").exists()


# --- Memberships -----------------------------------------------------------------------------


@pytest.mark.parametrize("hours", ["0", "300.1", "-5"])
def test_coach_hours_per_month_out_of_range_is_refused_by_the_database(hours):
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(hours_per_month=hours)


@pytest.mark.parametrize("hours", [None, "0.5", "60", "300"])
def test_coach_hours_per_month_in_range_or_empty_is_accepted(hours):
    membership = MembershipFactory()
    Membership.objects.filter(pk=membership.pk).update(hours_per_month=hours)
    membership.refresh_from_db()
    assert membership.hours_per_month == (None if hours is None else Decimal(hours))


def test_coach_membership_at_a_school_is_accepted():
    user, school = UserFactory(), SchoolFactory()
    Membership.objects.create(user=user, role=Role.COACH, school=school)
    assert Membership.objects.filter(user=user, role=Role.COACH, school=school).exists()


def test_coach_membership_for_a_district_without_school_is_refused_by_the_database():
    user, school = UserFactory(), SchoolFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.COACH, district=school.district)
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", [Role.DISTRICT_LEADER, Role.ADMINISTRATOR])
def test_district_wide_role_without_school_is_accepted(role):
    user, district = UserFactory(), DistrictFactory()
    Membership.objects.create(user=user, role=role, district=district)
    assert Membership.objects.filter(user=user, role=role, district=district).exists()


@pytest.mark.parametrize("role", [Role.DISTRICT_LEADER, Role.ADMINISTRATOR])
def test_membership_with_both_school_and_district_is_refused_by_the_database(role):
    user, school = UserFactory(), SchoolFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=role, school=school, district=school.district)


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.ADMINISTRATOR])
def test_membership_with_neither_school_nor_district_is_refused_by_the_database(role):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=role)


def test_membership_role_outside_the_choices_is_refused_by_the_database():
    membership = MembershipFactory(role=Role.COACH)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(role="bogus")
    Membership.objects.filter(pk=membership.pk).update(role=Role.PRINCIPAL)
    membership.refresh_from_db()
    assert membership.role == Role.PRINCIPAL


def test_same_role_twice_at_one_school_is_refused_by_the_database():
    membership = MembershipFactory(role=Role.COACH)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=membership.user, role=Role.COACH, school=membership.school)
    Membership.objects.create(user=membership.user, role=Role.PRINCIPAL, school=membership.school)
    assert Membership.objects.filter(user=membership.user).count() == 2


def test_same_district_role_twice_is_refused_by_the_database():
    membership = MembershipFactory(district_wide=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user, role=membership.role, district=membership.district
        )
    Membership.objects.create(
        user=membership.user, role=Role.ADMINISTRATOR, district=membership.district
    )
    assert Membership.objects.filter(user=membership.user).count() == 2


def test_membership_full_clean_names_the_school_xor_district_rule():
    user, school = UserFactory(), SchoolFactory()
    with pytest.raises(ValidationError) as excinfo:
        Membership(user=user, role=Role.COACH, district=school.district).full_clean()
    assert "for one school, or for a whole district" in str(excinfo.value)
    Membership(user=user, role=Role.COACH, school=school).full_clean()


# --- Teachers --------------------------------------------------------------------------------


def test_teacher_years_of_experience_above_60_is_refused_by_the_database():
    teacher = TeacherFactory(years_experience=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Teacher.objects.filter(pk=teacher.pk).update(years_experience=61)
    Teacher.objects.filter(pk=teacher.pk).update(years_experience=60)
    teacher.refresh_from_db()
    assert teacher.years_experience == 60


@pytest.mark.parametrize("field", ["disposition", "orientation", "time_focus"])
def test_teacher_profile_choice_outside_the_choices_is_refused_by_the_database(field):
    teacher = TeacherFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Teacher.objects.filter(pk=teacher.pk).update(**{field: "bogus"})


def test_teacher_email_is_unique_per_school_at_the_database():
    first = TeacherFactory(email="t@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Teacher.objects.create(
            school=first.school, first_name="A", last_name="B", email="t@example.org"
        )
    # The same address at another school, and blank addresses, are fine.
    Teacher.objects.create(
        school=SchoolFactory(), first_name="A", last_name="B", email="t@example.org"
    )
    Teacher.objects.create(school=first.school, first_name="C", last_name="D", email="")
    Teacher.objects.create(school=first.school, first_name="E", last_name="F", email="")
    assert Teacher.objects.filter(email="t@example.org").count() == 2


def test_teacher_full_name_joins_first_and_last_name():
    teacher = TeacherFactory(first_name="Ana", last_name="Silva")
    assert teacher.full_name == "Ana Silva"
    assert str(teacher) == "Ana Silva"


# --- Caseload assignments --------------------------------------------------------------------


def test_second_current_caseload_assignment_for_a_teacher_is_refused_by_the_database():
    first = CaseloadAssignmentFactory(started_on=TODAY)
    other_coach = MembershipFactory(role=Role.COACH, school=first.teacher.school).user
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseloadAssignment.objects.create(
            coach=other_coach, teacher=first.teacher, started_on=TODAY
        )
    assert CaseloadAssignment.objects.filter(teacher=first.teacher).count() == 1


def test_new_caseload_assignment_after_the_previous_one_ended_is_accepted():
    first = CaseloadAssignmentFactory(started_on=TODAY)
    other_coach = MembershipFactory(role=Role.COACH, school=first.teacher.school).user
    CaseloadAssignment.objects.filter(pk=first.pk).update(ended_on=TODAY)
    CaseloadAssignment.objects.create(coach=other_coach, teacher=first.teacher, started_on=TODAY)
    assert CaseloadAssignment.objects.filter(teacher=first.teacher).count() == 2


def test_caseload_assignment_cannot_end_before_it_starts_at_the_database():
    assignment = CaseloadAssignmentFactory(started_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseloadAssignment.objects.filter(pk=assignment.pk).update(
            ended_on=TODAY - datetime.timedelta(days=1)
        )
    CaseloadAssignment.objects.filter(pk=assignment.pk).update(ended_on=TODAY)


def test_caseload_assignment_validation_refuses_a_coach_without_a_coach_role_there():
    teacher = TeacherFactory()
    not_a_coach = MembershipFactory(role=Role.PRINCIPAL, school=teacher.school).user
    assignment = CaseloadAssignment(coach=not_a_coach, teacher=teacher, started_on=TODAY)
    with pytest.raises(ValidationError) as excinfo:
        assignment.full_clean()
    assert excinfo.value.message_dict["coach"] == [
        "This person is not a coach at the teacher's school."
    ]
    MembershipFactory(user=not_a_coach, role=Role.COACH, school=teacher.school)
    assignment.full_clean()


def test_caseload_assignment_validation_refuses_a_coach_of_another_school():
    teacher = TeacherFactory()
    coach_elsewhere = MembershipFactory(role=Role.COACH, school=SchoolFactory()).user
    with pytest.raises(ValidationError) as excinfo:
        CaseloadAssignment(coach=coach_elsewhere, teacher=teacher, started_on=TODAY).full_clean()
    assert "coach" in excinfo.value.message_dict


def test_caseload_assignment_validation_refuses_a_deactivated_coach_role():
    assignment = CaseloadAssignmentFactory.build(teacher=TeacherFactory(), coach=UserFactory())
    membership = MembershipFactory(
        user=assignment.coach, role=Role.COACH, school=assignment.teacher.school
    )
    assignment.full_clean()
    membership.is_active = False
    membership.save()
    with pytest.raises(ValidationError) as excinfo:
        assignment.full_clean()
    assert "coach" in excinfo.value.message_dict
