"""Shared fixtures. Import them explicitly into each test module that uses them."""

import copy
import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.models import CoachingCycle, CycleState
from observations.models import Observation, Phase
from teachers.models import District, Membership, Role, School, Teacher
from tests.factories import (
    AgreedMoveFactory,
    CaseloadAssignmentFactory,
    CoachingCycleFactory,
    DistrictFactory,
    EngagementSampleFactory,
    MembershipFactory,
    ObservationFactory,
    ObservationNoteFactory,
    SchoolFactory,
    StudentEvidenceFactory,
    TeacherFactory,
    UserFactory,
)


@dataclass
class SchoolWorld:
    """Two schools in one district (A and B) and a third school (C) in another district.

    Teachers (``t1a`` .. ``tc``), their open cycles (``c1a`` ..) and one observation per open
    cycle (``o1a`` ..). ``t1a`` also has an earlier closed, unshared cycle ``c1a_old`` with its
    observation ``o1a_old``. Shared with the principal: ``c1a``, ``c2b``, ``cb``, ``cc``.
    """

    district: District
    other_district: District
    school_a: School
    school_b: School
    school_c: School
    # School A
    principal_a: User
    coach1: User
    coach2: User
    coach1_membership: Membership
    t1a: Teacher  # coach1's caseload, has a login
    t1b: Teacher  # coach1's caseload, no login
    t2a: Teacher  # coach2's caseload, has a login
    t2b: Teacher  # coach2's caseload, no login
    # District-wide (district of A and B)
    district_leader: User
    administrator: User
    # School B
    principal_b: User
    coach_b: User
    tb: Teacher
    # School C (other district)
    principal_c: User
    coach_c: User
    tc: Teacher
    # Others
    superuser: User
    inactive_principal: User  # principal at school A whose account is deactivated
    # Cycles and observations
    c1a: CoachingCycle
    c1a_old: CoachingCycle
    c1b: CoachingCycle
    c2a: CoachingCycle
    c2b: CoachingCycle
    cb: CoachingCycle
    cc: CoachingCycle
    o1a: Observation
    o1a_old: Observation
    o1b: Observation
    o2a: Observation
    o2b: Observation
    ob: Observation
    oc: Observation
    # Administrator of the other district, set by the access sweep's fixture (roster imports).
    roster_administrator: User | None = None

    @property
    def school_a_teachers(self) -> set[int]:
        return {self.t1a.id, self.t1b.id, self.t2a.id, self.t2b.id}

    @property
    def school_a_cycles(self) -> set[int]:
        return {c.id for c in (self.c1a, self.c1a_old, self.c1b, self.c2a, self.c2b)}

    @property
    def school_a_observations(self) -> set[int]:
        return {o.id for o in (self.o1a, self.o1a_old, self.o1b, self.o2a, self.o2b)}

    @property
    def all_teachers(self) -> set[int]:
        return self.school_a_teachers | {self.tb.id, self.tc.id}

    @property
    def all_cycles(self) -> set[int]:
        return self.school_a_cycles | {self.cb.id, self.cc.id}

    @property
    def all_observations(self) -> set[int]:
        return self.school_a_observations | {self.ob.id, self.oc.id}


def _member(role: str, *, school=None, district=None, **user_fields):
    user = UserFactory(**user_fields)
    membership = MembershipFactory(user=user, role=role, school=school, district=district)
    return user, membership


def _teacher_with_login(school, username: str) -> Teacher:
    user, _ = _member(Role.TEACHER, school=school, username=username)
    return TeacherFactory(school=school, user=user)


def _observed_cycle(teacher, coach, *, shared: bool, closed: bool = False):
    """A cycle with one observation holding a note, two engagement sweeps and evidence."""
    cycle = CoachingCycleFactory(
        teacher=teacher, coach=coach, shared_with_principal=shared, closed=closed
    )
    observation = ObservationFactory(cycle=cycle)
    ObservationNoteFactory(observation=observation)
    EngagementSampleFactory(observation=observation, phase=Phase.BEFORE_MOVE, engaged_count=12)
    EngagementSampleFactory(observation=observation, phase=Phase.AFTER_MOVE, engaged_count=21)
    StudentEvidenceFactory(observation=observation)
    return cycle, observation


def build_school_world() -> SchoolWorld:
    """Three schools in two districts, their people, caseloads and observed cycles."""
    district = DistrictFactory(name="North District")
    other_district = DistrictFactory(name="South District")
    school_a = SchoolFactory(district=district, name="School A")
    school_b = SchoolFactory(district=district, name="School B")
    school_c = SchoolFactory(district=other_district, name="School C")

    principal_a, _ = _member(Role.PRINCIPAL, school=school_a, username="principal_a")
    coach1, coach1_membership = _member(Role.COACH, school=school_a, username="coach1")
    coach2, _ = _member(Role.COACH, school=school_a, username="coach2")
    district_leader, _ = _member(Role.DISTRICT_LEADER, district=district, username="leader")
    administrator, _ = _member(Role.ADMINISTRATOR, district=district, username="admin_d")
    inactive_principal, _ = _member(
        Role.PRINCIPAL, school=school_a, username="inactive_principal", is_active=False
    )
    principal_b, _ = _member(Role.PRINCIPAL, school=school_b, username="principal_b")
    coach_b, _ = _member(Role.COACH, school=school_b, username="coach_b")
    principal_c, _ = _member(Role.PRINCIPAL, school=school_c, username="principal_c")
    coach_c, _ = _member(Role.COACH, school=school_c, username="coach_c")
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)

    t1a = _teacher_with_login(school_a, "teacher1a")
    t1b = TeacherFactory(school=school_a)
    t2a = _teacher_with_login(school_a, "teacher2a")
    t2b = TeacherFactory(school=school_a)
    tb = _teacher_with_login(school_b, "teacherb")
    tc = _teacher_with_login(school_c, "teacherc")
    for coach, teacher in [
        (coach1, t1a),
        (coach1, t1b),
        (coach2, t2a),
        (coach2, t2b),
        (coach_b, tb),
        (coach_c, tc),
    ]:
        CaseloadAssignmentFactory(coach=coach, teacher=teacher)

    c1a_old, o1a_old = _observed_cycle(t1a, coach1, shared=False, closed=True)
    c1a, o1a = _observed_cycle(t1a, coach1, shared=True)
    c1b, o1b = _observed_cycle(t1b, coach1, shared=False)
    c2a, o2a = _observed_cycle(t2a, coach2, shared=False)
    c2b, o2b = _observed_cycle(t2b, coach2, shared=True)
    cb, ob = _observed_cycle(tb, coach_b, shared=True)
    cc, oc = _observed_cycle(tc, coach_c, shared=True)

    return SchoolWorld(
        district=district,
        other_district=other_district,
        school_a=school_a,
        school_b=school_b,
        school_c=school_c,
        principal_a=principal_a,
        coach1=coach1,
        coach2=coach2,
        coach1_membership=coach1_membership,
        t1a=t1a,
        t1b=t1b,
        t2a=t2a,
        t2b=t2b,
        district_leader=district_leader,
        administrator=administrator,
        principal_b=principal_b,
        coach_b=coach_b,
        tb=tb,
        principal_c=principal_c,
        coach_c=coach_c,
        tc=tc,
        superuser=superuser,
        inactive_principal=inactive_principal,
        c1a=c1a,
        c1a_old=c1a_old,
        c1b=c1b,
        c2a=c2a,
        c2b=c2b,
        cb=cb,
        cc=cc,
        o1a=o1a,
        o1a_old=o1a_old,
        o1b=o1b,
        o2a=o2a,
        o2b=o2b,
        ob=ob,
        oc=oc,
    )


# Fixtures a test uses when its rows must be committed: another thread or process reads them.
NEEDS_COMMITTED_ROWS = {
    "transactional_db",
    "live_server",
    "page",
    "celery_worker",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _needs_committed_rows(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transaction_marked = bool(marker and marker.kwargs.get("transaction"))
    return transaction_marked or bool(NEEDS_COMMITTED_ROWS & set(item.fixturenames))


def _uses_the_database(item) -> bool:
    return bool(item.get_closest_marker("django_db")) or "db" in item.fixturenames


def _can_share_a_world(items) -> bool:
    """Every test of the module that uses the database uses the world (a test that counts rows
    of an empty database must not find the world's), and none needs committed rows."""
    users = [item for item in items if _uses_the_database(item)]
    return bool(users) and all(
        "school_world" in item.fixturenames and not _needs_committed_rows(item) for item in users
    )


@pytest.fixture(scope="module", autouse=True)
def _module_school_world(request) -> Iterator[SchoolWorld | None]:
    """The school world built once for a test module and rolled back after its last test, the
    way TestCase.setUpTestData works: each test runs in a savepoint inside it and gets its own
    copy of the objects (``school_world``). Only for a module whose tests all use the world and
    run in a transaction (_can_share_a_world); elsewhere each test builds its own world."""
    items = [item for item in request.session.items if item.module is request.module]
    if not _can_share_a_world(items):
        yield None
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_school_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def school_world(request, db) -> SchoolWorld:
    shared = request.getfixturevalue("_module_school_world")
    return build_school_world() if shared is None else copy.deepcopy(shared)


# --- A coach signed in, a visit planned, a cycle under way (the observation pages' tests) -----


@pytest.fixture
def coach(client, school_world):
    client.force_login(school_world.coach1)
    return client


@pytest.fixture
def planned_visit(school_world):
    """A visit in coach1's planned cycle c1a with its move agreed, not started yet."""
    w = school_world
    AgreedMoveFactory(
        cycle=w.c1a,
        move__name="Mini whiteboards on hinge questions",
        success_indicator="At least 20 of 25 boards up within 10 seconds.",
    )
    return ObservationFactory(
        cycle=w.c1a,
        started_at=None,
        scheduled_for=timezone.now() + datetime.timedelta(hours=1),
        focus="Who answers the hinge questions?",
    )


@pytest.fixture
def active_cycle(school_world):
    """coach1's cycle c1a, under way: move agreed, observed (o1a has 12/25 before and 21/25
    after the move)."""
    w = school_world
    AgreedMoveFactory(cycle=w.c1a, move__name="Mini whiteboards on hinge questions")
    w.c1a.state = CycleState.ACTIVE
    w.c1a.save()
    return w.c1a
