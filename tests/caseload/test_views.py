"""The coach's caseload page: their own teachers, what is overdue, and a query count that does
not grow with the caseload."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import CycleState
from tests.factories import (
    AgreedMoveFactory,
    CaseloadAssignmentFactory,
    CoachingCycleFactory,
    CoachingSessionFactory,
    RevisitFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def test_coach_caseload_lists_own_teachers_with_their_agreed_move(client, school_world):
    w = school_world
    AgreedMoveFactory(cycle=w.c1a, move__name="Cold call after wait time")
    AgreedMoveFactory(cycle=w.c2a, move__name="Stop and jot")
    client.force_login(w.coach1)

    html = client.get(reverse("caseload")).content.decode()

    assert w.t1a.full_name in html and w.t1b.full_name in html
    assert "Cold call after wait time" in html
    # coach2's teachers and their move are not on coach1's caseload.
    assert w.t2a.full_name not in html and w.t2b.full_name not in html
    assert "Stop and jot" not in html


def test_caseload_flags_overdue_revisits_and_teachers_without_a_cycle(client, school_world):
    w = school_world
    RevisitFactory(cycle=w.c1a, due_on=timezone.localdate() - datetime.timedelta(days=3))
    no_cycle = TeacherFactory(school=w.school_a, first_name="Nadia", last_name="Nocycle")
    CaseloadAssignmentFactory(coach=w.coach1, teacher=no_cycle)
    client.force_login(w.coach1)

    response = client.get(reverse("caseload"))

    assert response.context["overdue_count"] == 1
    assert response.context["without_cycle_count"] == 1
    assert "Overdue" in response.content.decode()


def test_caseload_query_count_does_not_grow_with_the_caseload(client, school_world, settings):
    settings.VERSIONED_CACHE = False  # count the queries of rendering, not of a cached page
    w = school_world
    client.force_login(w.coach1)
    client.get(reverse("caseload"))  # warm up session and content types

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("caseload"))
    for _ in range(6):
        teacher = TeacherFactory(school=w.school_a)
        CaseloadAssignmentFactory(coach=w.coach1, teacher=teacher)
        cycle = CoachingCycleFactory(teacher=teacher, coach=w.coach1, state=CycleState.PLANNED)
        AgreedMoveFactory(cycle=cycle)
        RevisitFactory(cycle=cycle)
        CoachingSessionFactory(cycle=cycle)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("caseload"))

    assert len(response.context["rows"]) == 8
    assert len(large) == len(small)
