"""A roster import reaches only its own district's people: a bundle whose row names (by
sourcedId or email) a person of another district is refused, and changes nothing, whether the
row would move, rename, switch off or switch back on that person.

Each refusal test shares its setup with a success test: district B imported first, then a
bundle for district A; the success tests show A's import works when its rows are its own."""

from __future__ import annotations

import pytest

from accounts.models import User
from coaching.access import READ, cycles_for
from rosters.services import roster_bundle_import
from teachers.models import District, Membership, Role, Teacher
from tests.factories import (
    CoachingCycleFactory,
    MembershipFactory,
    TeacherFactory,
    UserFactory,
)
from tests.rosters.bundles import bundle_files, default_users, org, user
from tests.rosters.test_services import snapshot

pytestmark = pytest.mark.django_db

A_ORGS = [org("dA", "Hillside Unified", "district"), org("sA", "Hillside School", "school", "dA")]


def run(files, *, district=None, dry_run=False):
    return roster_bundle_import(files=files, district=district, dry_run=dry_run)


@pytest.fixture
def two_districts():
    """District B imported from the default bundle (Ada Lovelace is its teacher t-1, with a
    cycle), and district A, empty, whose administrator imports next."""
    outcome = run(bundle_files())
    assert outcome.ok, outcome.problems
    ada = User.objects.get(sourced_id="t-1")
    cycle = CoachingCycleFactory(teacher=Teacher.objects.get(user=ada))
    district_a = District.objects.create(name="Hillside Unified", slug="hillside")
    return {"b": outcome.district, "a": district_a, "ada": ada, "cycle": cycle}


def assert_refused_unchanged(outcome, before, *, column, says="a person of another district"):
    assert not outcome.ok
    problem = outcome.problems[0]
    assert (problem.file, problem.line, problem.field) == ("users.csv", 2, column)
    assert says in problem.message
    assert snapshot() == before


def test_a_school_of_another_district_in_the_bundle_is_refused_without_naming_that_district(
    two_districts,
):
    before = snapshot()
    orgs = [*A_ORGS, org("sch-1", "Renamed elsewhere", "school", "dA")]
    rows = [user("h-1", "teacher", "sA", "Hedy", "Lamarr", "hedy@hillside.example")]

    outcome = run(bundle_files(orgs, rows), district=two_districts["a"])

    assert not outcome.ok
    problem = outcome.problems[0]
    assert (problem.file, problem.line, problem.field) == ("orgs.csv", 4, "sourcedId")
    assert "another district" in problem.message
    assert two_districts["b"].name not in str(outcome.problems)
    assert snapshot() == before


def test_a_district_imports_its_own_new_teacher(two_districts):
    rows = [user("h-1", "teacher", "sA", "Hedy", "Lamarr", "hedy@hillside.example")]
    outcome = run(bundle_files(A_ORGS, rows), district=two_districts["a"])
    assert outcome.ok, outcome.problems
    assert Teacher.objects.get(user__sourced_id="h-1").school.district == two_districts["a"]


def test_a_district_cannot_take_another_districts_teacher_by_sourced_id(two_districts):
    rows = [user("t-1", "teacher", "sA", "Evil", "Name", "", username="x1")]
    before = snapshot()
    for dry_run in (True, False):
        outcome = run(bundle_files(A_ORGS, rows), district=two_districts["a"], dry_run=dry_run)
        assert_refused_unchanged(outcome, before, column="sourcedId")
    profile = Teacher.objects.get(user=two_districts["ada"])
    assert (profile.school.district, profile.first_name) == (two_districts["b"], "Ada")


def test_a_district_cannot_switch_off_another_districts_teacher(two_districts):
    rows = [user("t-1", "teacher", "sA", "Ada", "Lovelace", "", "x1", status="tobedeleted")]
    before = snapshot()
    outcome = run(bundle_files(A_ORGS, rows), district=two_districts["a"])
    assert_refused_unchanged(outcome, before, column="sourcedId")
    assert Teacher.objects.get(user=two_districts["ada"]).is_active


def test_a_district_cannot_take_another_districts_person_by_email(two_districts):
    rows = [user("h-9", "teacher", "sA", "Ada", "Lovelace", "ADA@riverside.example")]
    before = snapshot()
    outcome = run(bundle_files(A_ORGS, rows), district=two_districts["a"])
    assert_refused_unchanged(
        outcome, before, column="email", says="the email of another person imported"
    )


def test_a_district_cannot_wake_and_re_email_a_person_another_district_switched_off(
    two_districts,
):
    users = default_users()
    users[0]["status"] = "tobedeleted"  # B switches Ada off
    assert run(bundle_files(users=users), district=two_districts["b"]).ok
    ada = two_districts["ada"]
    ada.refresh_from_db()
    assert not ada.is_active
    rows = [user("t-1", "teacher", "sA", "Ada", "Lovelace", "attacker@evil.example", "x1")]
    before = snapshot()
    outcome = run(bundle_files(A_ORGS, rows), district=two_districts["a"])
    assert_refused_unchanged(outcome, before, column="sourcedId")
    ada.refresh_from_db()
    assert (ada.is_active, ada.email) == (False, "ada@riverside.example")
    assert not cycles_for(ada, READ).filter(pk=two_districts["cycle"].pk).exists()


def test_an_account_made_by_hand_without_roles_is_linked_by_email(two_districts):
    made = UserFactory(email="hedy@hillside.example", username="hedy")
    rows = [user("h-1", "teacher", "sA", "Hedy", "Lamarr", "hedy@hillside.example")]
    outcome = run(bundle_files(A_ORGS, rows), district=two_districts["a"])
    assert outcome.ok, outcome.problems
    made.refresh_from_db()
    assert made.sourced_id == "h-1"
    assert Membership.objects.filter(user=made, role=Role.TEACHER, is_active=True).exists()


def test_an_account_with_a_role_in_another_district_is_not_linked_by_email(two_districts):
    made = UserFactory(email="hedy@hillside.example", username="hedy")
    MembershipFactory(user=made, role=Role.COACH, school=two_districts["b"].schools.first())
    rows = [user("h-1", "teacher", "sA", "Hedy", "Lamarr", "hedy@hillside.example")]
    before = snapshot()
    outcome = run(bundle_files(A_ORGS, rows), district=two_districts["a"])
    assert_refused_unchanged(outcome, before, column="email")


def test_an_account_made_by_hand_at_another_district_is_not_linked_by_email(two_districts):
    """Not imported (no sourcedId), a teacher profile at district B's school only."""
    made = UserFactory(email="hedy@hillside.example", username="hedy")
    TeacherFactory(user=made, school=two_districts["b"].schools.first())
    rows = [user("h-1", "teacher", "sA", "Hedy", "Lamarr", "hedy@hillside.example")]
    before = snapshot()
    outcome = run(bundle_files(A_ORGS, rows), district=two_districts["a"])
    assert_refused_unchanged(outcome, before, column="email")


def test_a_person_of_both_districts_keeps_their_account_and_profile_elsewhere(two_districts):
    """Ada, B's teacher, also holds a principal role at A's school (given by hand): A's import
    may change her roles in A, not her account or her teacher profile at B's school."""
    ada = two_districts["ada"]
    first = run(bundle_files(A_ORGS, []), district=two_districts["a"])
    assert first.ok, first.problems
    school_a = two_districts["a"].schools.get()
    MembershipFactory(user=ada, role=Role.PRINCIPAL, school=school_a)
    rows = [user("t-1", "teacher", "sA", "Someone", "Else", "new@hillside.example", "x1")]
    outcome = run(bundle_files(A_ORGS, rows), district=two_districts["a"])
    assert outcome.ok, outcome.problems
    ada.refresh_from_db()
    profile = Teacher.objects.get(user=ada)
    assert (ada.first_name, ada.email, ada.is_active) == ("Ada", "ada@riverside.example", True)
    assert (profile.school.district, profile.first_name) == (two_districts["b"], "Ada")
    assert Membership.objects.filter(user=ada, role=Role.TEACHER, school=school_a).exists()
