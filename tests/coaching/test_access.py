"""The one access policy (coaching/access.py), role by role, on the shared ``school_world``.

Sets of ids are compared exactly, so a row leaking in or missing both fail. Each Http404 check
sits next to the same user's in-scope row being returned, with the same setup.
"""

from operator import attrgetter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from coaching.access import (
    CHANGE,
    LEADER_ROLES,
    READ,
    VIEW,
    cycle_get_for_user,
    cycles_for,
    observation_get_for_user,
    observations_for,
    schools_for,
    teacher_get_for_user,
    teachers_for,
    time_entries_for,
)
from teachers.models import Membership, Role
from teachers.services import caseload_assign

ACTIONS = [VIEW, READ, CHANGE]

# Every signed-in person in the world, by the attribute path that finds them.
ALL_USERS = [
    "t1a.user",
    "t2a.user",
    "tb.user",
    "tc.user",
    "coach1",
    "coach2",
    "coach_b",
    "coach_c",
    "principal_a",
    "principal_b",
    "principal_c",
    "district_leader",
    "administrator",
    "superuser",
    "inactive_principal",
]


def ids(queryset) -> set[int]:
    return set(queryset.values_list("id", flat=True))


def scope(user, action):
    """(teacher ids, cycle ids, observation ids) the user may reach with ``action``."""
    return (
        ids(teachers_for(user, action)),
        ids(cycles_for(user, action)),
        ids(observations_for(user, action)),
    )


def row_ids(world, *names) -> set[int]:
    return {getattr(world, name).id for name in names}


NOTHING = (set(), set(), set())


# --- Teachers --------------------------------------------------------------------------------


@pytest.mark.parametrize("action", [VIEW, READ])
def test_teacher_sees_only_their_own_row_cycles_and_observations(school_world, action):
    w = school_world
    assert scope(w.t1a.user, action) == (
        row_ids(w, "t1a"),
        row_ids(w, "c1a", "c1a_old"),
        row_ids(w, "o1a", "o1a_old"),
    )


@pytest.mark.parametrize("action", [VIEW, READ])
def test_teacher_at_another_school_sees_only_their_own(school_world, action):
    w = school_world
    assert scope(w.tb.user, action) == (row_ids(w, "tb"), row_ids(w, "cb"), row_ids(w, "ob"))


def test_teacher_changes_nothing_not_even_their_own_cycle(school_world):
    assert scope(school_world.t1a.user, CHANGE) == NOTHING


@pytest.mark.parametrize("action", [VIEW, READ])
def test_teacher_cannot_see_another_teachers_cycle(school_world, action):
    w = school_world
    user = w.t1a.user
    assert cycle_get_for_user(user=user, cycle_id=w.c1a.id, action=action) == w.c1a
    with pytest.raises(Http404):
        cycle_get_for_user(user=user, cycle_id=w.c2a.id, action=action)
    with pytest.raises(Http404):
        cycle_get_for_user(user=user, cycle_id=w.cb.id, action=action)


def test_teacher_cannot_see_another_teacher_at_the_same_school_or_elsewhere(school_world):
    w = school_world
    user = w.t1a.user
    assert teacher_get_for_user(user=user, teacher_id=w.t1a.id) == w.t1a
    for other in (w.t1b, w.t2a, w.tb, w.tc):
        with pytest.raises(Http404):
            teacher_get_for_user(user=user, teacher_id=other.id)


# --- Coaches ---------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_coach_reaches_exactly_their_caseload(school_world, action):
    w = school_world
    assert scope(w.coach1, action) == (
        row_ids(w, "t1a", "t1b"),
        row_ids(w, "c1a", "c1a_old", "c1b"),
        row_ids(w, "o1a", "o1a_old", "o1b"),
    )
    assert scope(w.coach2, action) == (
        row_ids(w, "t2a", "t2b"),
        row_ids(w, "c2a", "c2b"),
        row_ids(w, "o2a", "o2b"),
    )
    assert scope(w.coach_b, action) == (row_ids(w, "tb"), row_ids(w, "cb"), row_ids(w, "ob"))


@pytest.mark.parametrize("action", ACTIONS)
def test_coach_cannot_reach_another_coachs_caseload_at_the_same_school(school_world, action):
    w = school_world
    assert cycle_get_for_user(user=w.coach1, cycle_id=w.c1b.id, action=action) == w.c1b
    with pytest.raises(Http404):
        cycle_get_for_user(user=w.coach1, cycle_id=w.c2b.id, action=action)
    assert teacher_get_for_user(user=w.coach1, teacher_id=w.t1b.id, action=action) == w.t1b
    with pytest.raises(Http404):
        teacher_get_for_user(user=w.coach1, teacher_id=w.t2b.id, action=action)
    assert observation_get_for_user(user=w.coach1, observation_id=w.o1b.id, action=action)
    with pytest.raises(Http404):
        observation_get_for_user(user=w.coach1, observation_id=w.o2b.id, action=action)


@pytest.mark.parametrize("action", ACTIONS)
def test_coach_cannot_reach_other_schools(school_world, action):
    w = school_world
    _, cycles, observations = scope(w.coach1, action)
    assert not cycles & row_ids(w, "cb", "cc")
    assert not observations & row_ids(w, "ob", "oc")
    with pytest.raises(Http404):
        teacher_get_for_user(user=w.coach1, teacher_id=w.tb.id, action=action)


def test_coach_whose_coach_role_is_deactivated_loses_the_caseload(school_world):
    w = school_world
    assert ids(teachers_for(w.coach1, CHANGE)) == row_ids(w, "t1a", "t1b")
    Membership.objects.filter(pk=w.coach1_membership.pk).update(is_active=False)
    assert scope(w.coach1, VIEW) == NOTHING
    assert scope(w.coach1, CHANGE) == NOTHING
    assert ids(teachers_for(w.coach1, READ)) == set()
    with pytest.raises(Http404):
        cycle_get_for_user(user=w.coach1, cycle_id=w.c1b.id, action=CHANGE)


def test_coach_whose_coach_role_is_deactivated_reads_no_coaching_content(school_world):
    w = school_world
    Membership.objects.filter(pk=w.coach1_membership.pk).update(is_active=False)
    assert ids(cycles_for(w.coach1, READ)) == set()
    assert ids(observations_for(w.coach1, READ)) == set()


def test_coach_loses_a_teacher_moved_to_another_coach(school_world):
    w = school_world
    caseload_assign(coach=w.coach2, teacher=w.t1b)
    for action in (VIEW, CHANGE):
        assert ids(teachers_for(w.coach1, action)) == row_ids(w, "t1a")
        assert ids(teachers_for(w.coach2, action)) == row_ids(w, "t2a", "t2b", "t1b")
        assert ids(cycles_for(w.coach2, action)) == row_ids(w, "c2a", "c2b", "c1b")
    with pytest.raises(Http404):
        cycle_get_for_user(user=w.coach1, cycle_id=w.c1b.id, action=CHANGE)


# --- Principals ------------------------------------------------------------------------------


def test_principal_views_all_teachers_cycles_and_observations_of_their_school(school_world):
    w = school_world
    assert scope(w.principal_a, VIEW) == (
        w.school_a_teachers,
        w.school_a_cycles,
        w.school_a_observations,
    )


def test_principal_views_nothing_of_another_school_or_district(school_world):
    w = school_world
    assert scope(w.principal_b, VIEW) == (row_ids(w, "tb"), row_ids(w, "cb"), row_ids(w, "ob"))
    assert scope(w.principal_c, VIEW) == (row_ids(w, "tc"), row_ids(w, "cc"), row_ids(w, "oc"))
    assert teacher_get_for_user(user=w.principal_a, teacher_id=w.t2b.id) == w.t2b
    for other in (w.tb, w.tc):
        with pytest.raises(Http404):
            teacher_get_for_user(user=w.principal_a, teacher_id=other.id)


def test_principal_reads_only_the_cycles_shared_with_them(school_world):
    w = school_world
    assert ids(cycles_for(w.principal_a, READ)) == row_ids(w, "c1a", "c2b")
    assert ids(observations_for(w.principal_a, READ)) == row_ids(w, "o1a", "o2b")
    # Teachers' profiles are not coaching content a principal reads.
    assert ids(teachers_for(w.principal_a, READ)) == set()


def test_principal_cannot_read_an_unshared_cycle_of_their_school(school_world):
    w = school_world
    assert cycle_get_for_user(user=w.principal_a, cycle_id=w.c1a.id, action=READ) == w.c1a
    for unshared in (w.c1a_old, w.c1b, w.c2a):
        with pytest.raises(Http404):
            cycle_get_for_user(user=w.principal_a, cycle_id=unshared.id, action=READ)
    # The same teacher's earlier, unshared cycle keeps its observations private.
    assert observation_get_for_user(user=w.principal_a, observation_id=w.o1a.id, action=READ)
    with pytest.raises(Http404):
        observation_get_for_user(user=w.principal_a, observation_id=w.o1a_old.id, action=READ)


def test_principal_cannot_read_cycles_shared_at_another_school(school_world):
    w = school_world
    assert ids(cycles_for(w.principal_b, READ)) == row_ids(w, "cb")
    assert ids(cycles_for(w.principal_c, READ)) == row_ids(w, "cc")
    with pytest.raises(Http404):
        cycle_get_for_user(user=w.principal_b, cycle_id=w.c1a.id, action=READ)


def test_principal_changes_nothing(school_world):
    assert scope(school_world.principal_a, CHANGE) == NOTHING


def test_principal_whose_role_is_deactivated_sees_nothing(school_world):
    w = school_world
    Membership.objects.filter(user=w.principal_a).update(is_active=False)
    assert scope(w.principal_a, VIEW) == NOTHING
    assert scope(w.principal_a, READ) == NOTHING


# --- District leaders and administrators -----------------------------------------------------


@pytest.mark.parametrize("who", ["district_leader", "administrator"])
def test_district_wide_role_views_both_schools_of_the_district_only(school_world, who):
    w = school_world
    user = getattr(w, who)
    assert scope(user, VIEW) == (
        w.school_a_teachers | row_ids(w, "tb"),
        w.school_a_cycles | row_ids(w, "cb"),
        w.school_a_observations | row_ids(w, "ob"),
    )
    assert cycle_get_for_user(user=user, cycle_id=w.cb.id) == w.cb
    with pytest.raises(Http404):
        cycle_get_for_user(user=user, cycle_id=w.cc.id)
    with pytest.raises(Http404):
        observation_get_for_user(user=user, observation_id=w.oc.id)


@pytest.mark.parametrize("who", ["district_leader", "administrator"])
def test_district_wide_role_reads_and_changes_no_coaching_content(school_world, who):
    w = school_world
    user = getattr(w, who)
    assert scope(user, READ) == NOTHING
    assert scope(user, CHANGE) == NOTHING
    assert cycle_get_for_user(user=user, cycle_id=w.c1b.id, action=VIEW) == w.c1b
    with pytest.raises(Http404):
        cycle_get_for_user(user=user, cycle_id=w.c1b.id, action=READ)


# --- Superusers, inactive and anonymous users ------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_superuser_reaches_everything(school_world, action):
    w = school_world
    assert scope(w.superuser, action) == (w.all_teachers, w.all_cycles, w.all_observations)


@pytest.mark.parametrize("action", ACTIONS)
def test_inactive_user_reaches_nothing(school_world, action):
    w = school_world
    assert Membership.objects.filter(user=w.inactive_principal, is_active=True).exists()
    assert scope(w.inactive_principal, action) == NOTHING
    with pytest.raises(Http404):
        cycle_get_for_user(user=w.inactive_principal, cycle_id=w.c1a.id, action=action)


@pytest.mark.parametrize("action", ACTIONS)
def test_deactivated_superuser_reaches_nothing(school_world, action):
    w = school_world
    w.superuser.is_active = False
    w.superuser.save()
    assert scope(w.superuser, action) == NOTHING


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_user_reaches_nothing(school_world, action):
    w = school_world
    anonymous = AnonymousUser()
    assert scope(anonymous, action) == NOTHING
    assert ids(schools_for(anonymous)) == set()
    with pytest.raises(Http404):
        teacher_get_for_user(user=anonymous, teacher_id=w.t1a.id, action=action)


# --- Schools ---------------------------------------------------------------------------------


def test_schools_for_follows_memberships(school_world):
    w = school_world
    a, b, c = w.school_a.id, w.school_b.id, w.school_c.id
    assert ids(schools_for(w.t1a.user)) == {a}
    assert ids(schools_for(w.coach_b)) == {b}
    assert ids(schools_for(w.principal_c)) == {c}
    assert ids(schools_for(w.district_leader)) == {a, b}
    assert ids(schools_for(w.superuser)) >= {a, b, c}
    assert ids(schools_for(w.inactive_principal)) == set()


def test_schools_for_leader_roles_gives_dashboard_schools_only_to_leaders(school_world):
    w = school_world
    a, b = w.school_a.id, w.school_b.id
    assert ids(schools_for(w.principal_a, LEADER_ROLES)) == {a}
    assert ids(schools_for(w.administrator, LEADER_ROLES)) == {a, b}
    assert ids(schools_for(w.coach1, LEADER_ROLES)) == set()
    assert ids(schools_for(w.t1a.user, LEADER_ROLES)) == set()
    assert ids(schools_for(w.coach1, (Role.COACH,))) == {a}


# --- Get-for-user helpers: in scope returned, out of scope 404 -------------------------------

GETTERS = {
    "teacher": lambda user, row_id, action: teacher_get_for_user(
        user=user, teacher_id=row_id, action=action
    ),
    "cycle": lambda user, row_id, action: cycle_get_for_user(
        user=user, cycle_id=row_id, action=action
    ),
    "observation": lambda user, row_id, action: observation_get_for_user(
        user=user, observation_id=row_id, action=action
    ),
}


@pytest.mark.parametrize(
    ("who", "kind", "action", "inside", "outside"),
    [
        ("t1a.user", "teacher", VIEW, "t1a", "t1b"),
        ("t1a.user", "cycle", READ, "c1a_old", "c2a"),
        ("t1a.user", "observation", READ, "o1a", "o1b"),
        ("tb.user", "cycle", VIEW, "cb", "c1a"),
        ("coach1", "teacher", CHANGE, "t1b", "t2a"),
        ("coach1", "cycle", CHANGE, "c1b", "c2b"),
        ("coach1", "observation", READ, "o1b", "o2b"),
        ("coach1", "cycle", VIEW, "c1a", "cb"),
        ("coach_b", "observation", CHANGE, "ob", "o1a"),
        ("principal_a", "teacher", VIEW, "t2b", "tb"),
        ("principal_a", "cycle", VIEW, "c1b", "cb"),
        ("principal_a", "cycle", READ, "c2b", "c2a"),
        ("principal_a", "observation", READ, "o1a", "o1a_old"),
        ("principal_a", "observation", VIEW, "o2a", "ob"),
        ("principal_b", "cycle", READ, "cb", "c1a"),
        ("principal_c", "cycle", READ, "cc", "cb"),
        ("district_leader", "teacher", VIEW, "tb", "tc"),
        ("district_leader", "observation", VIEW, "o2a", "oc"),
        ("administrator", "cycle", VIEW, "cb", "cc"),
    ],
)
def test_get_for_user_returns_rows_in_scope_and_404s_outside(
    school_world, who, kind, action, inside, outside
):
    w = school_world
    user = attrgetter(who)(w)
    get = GETTERS[kind]
    assert get(user, getattr(w, inside).id, action) == getattr(w, inside)
    with pytest.raises(Http404):
        get(user, getattr(w, outside).id, action)


def test_get_for_user_404s_for_a_row_that_does_not_exist(school_world):
    with pytest.raises(Http404):
        cycle_get_for_user(user=school_world.superuser, cycle_id=10**9)


# --- Invariants over every user --------------------------------------------------------------


@pytest.mark.parametrize("who", ALL_USERS)
def test_reading_or_changing_never_reaches_beyond_viewing(school_world, who):
    """Content (READ) and writes (CHANGE) only ever concern rows the user may VIEW."""
    user = attrgetter(who)(school_world)
    teachers, cycles, observations = scope(user, VIEW)
    for action in (READ, CHANGE):
        t, c, o = scope(user, action)
        assert t <= teachers
        assert c <= cycles
        assert o <= observations


@pytest.mark.parametrize("who", ALL_USERS)
def test_scoping_evaluates_in_one_query(school_world, who, django_assert_num_queries):
    user = attrgetter(who)(school_world)
    expected = 0 if not user.is_active else 1  # an inactive user gets .none(): no query
    for action in ACTIONS:
        with django_assert_num_queries(expected):
            list(teachers_for(user, action))
        with django_assert_num_queries(expected):
            list(cycles_for(user, action))
        with django_assert_num_queries(expected):
            list(observations_for(user, action))


def test_scoping_an_anonymous_user_runs_no_query(django_assert_num_queries, db):
    anonymous = AnonymousUser()
    with django_assert_num_queries(0):
        list(teachers_for(anonymous))
        list(cycles_for(anonymous))
        list(observations_for(anonymous))


# --- Time entries ----------------------------------------------------------------------------


def _time_world(world):
    """An entry by each of coach1 and coach2 at school A, one by coach_c at school C, one
    archived entry of coach1, and one by a principal (no coach role) at school A."""
    from django.utils import timezone

    from tests.factories import TimeEntryFactory

    entries = {
        "coach1": TimeEntryFactory(coach=world.coach1, school=world.school_a),
        "coach2": TimeEntryFactory(coach=world.coach2, school=world.school_a),
        "coach_c": TimeEntryFactory(coach=world.coach_c, school=world.school_c),
        "not_a_coach": TimeEntryFactory(coach=world.principal_a, school=world.school_a),
    }
    TimeEntryFactory(coach=world.coach1, school=world.school_a, archived_at=timezone.now())
    return {name: entry.id for name, entry in entries.items()}


def test_coach_views_and_changes_only_their_own_time_entries(school_world):
    entries = _time_world(school_world)
    for action in (VIEW, CHANGE):
        assert ids(time_entries_for(school_world.coach1, action)) == {entries["coach1"]}


def test_principal_views_the_time_of_coaches_at_their_school_and_changes_none(school_world):
    entries = _time_world(school_world)
    principal = school_world.principal_a
    assert ids(time_entries_for(principal, VIEW)) == {
        entries["coach1"],
        entries["coach2"],
        entries["not_a_coach"],  # their own entry
    }
    assert ids(time_entries_for(school_world.district_leader, VIEW)) == {
        entries["coach1"],
        entries["coach2"],
    }
    assert ids(time_entries_for(principal, CHANGE)) == {entries["not_a_coach"]}


def test_time_entries_of_another_district_and_anonymous_get_nothing(school_world):
    entries = _time_world(school_world)
    assert entries["coach_c"] not in ids(time_entries_for(school_world.principal_a, VIEW))
    assert ids(time_entries_for(AnonymousUser(), VIEW)) == set()
