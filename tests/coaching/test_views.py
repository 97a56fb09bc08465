"""Role home pages: sign-in routing, what each role sees, and what it must not see."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import CycleState
from teachers.models import Role
from tests.factories import (
    AgreedMoveFactory,
    CoachingSessionFactory,
    MembershipFactory,
    RevisitFactory,
    TimeEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGES = ["home", "caseload", "dashboard", "my_move"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_sign_in_page_has_title_and_labelled_fields(client):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert "<title>Sign in" in html
    assert re.search(r'<label\s+for="id_username"', html)
    assert re.search(r'<label\s+for="id_password"', html)


@pytest.mark.parametrize(
    ("username", "landing"),
    [
        ("coach1", "caseload"),
        ("principal_a", "dashboard"),
        ("leader", "dashboard"),
        ("teacher1a", "my_move"),
        # Administrators and superusers land in the app, never in the Django admin.
        ("admin_d", "dashboard"),
        ("root", "dashboard"),
    ],
)
def test_each_role_lands_on_its_home_page_after_sign_in(client, school_world, username, landing):
    response = client.post(reverse("login"), {"username": username, "password": "pw"})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(response.url).url == reverse(landing)


def test_wrong_password_shows_an_error_and_does_not_sign_in(client, school_world):
    response = client.post(reverse("login"), {"username": "coach1", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_user_without_a_role_is_told_so(client):
    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "no role at a school yet" in response.content.decode()


@pytest.mark.parametrize("name", ["caseload", "dashboard"])
def test_teacher_cannot_open_coach_or_leader_pages(client, school_world, name):
    client.force_login(school_world.t1a.user)

    assert client.get(reverse(name)).status_code == 403


def test_coach_cannot_open_the_leaders_dashboard(client, school_world):
    client.force_login(school_world.coach1)

    assert client.get(reverse("dashboard")).status_code == 403


def test_principal_dashboard_shows_own_school_figures_only(client, school_world):
    w = school_world
    RevisitFactory(cycle=w.c1a, due_on=timezone.localdate() - datetime.timedelta(days=2))
    TimeEntryFactory(coach=w.coach1, school=w.school_a, minutes=60, category="direct_coaching")
    TimeEntryFactory(coach=w.coach1, school=w.school_a, minutes=40, category="admin")
    client.force_login(w.principal_a)

    response = client.get(reverse("dashboard"))

    html = response.content.decode()
    [school] = response.context["schools"]
    assert school.school == w.school_a
    figures = {c.coach: c for c in school.coaches}
    assert figures[w.coach1].caseload == 2
    assert figures[w.coach1].open_cycles == 2
    assert figures[w.coach1].overdue_revisits == 1
    assert figures[w.coach1].direct_share == pytest.approx(0.6)
    assert figures[w.coach2].caseload == 2
    assert "60%" in html
    assert w.school_b.name not in html and w.coach_b.display_name not in html


def test_dashboard_never_shows_coaching_notes(client, school_world):
    w = school_world
    CoachingSessionFactory(cycle=w.c1b, notes="CONFIDENTIAL: teacher is anxious about review")
    client.force_login(w.principal_a)

    html = client.get(reverse("dashboard")).content.decode()

    assert "CONFIDENTIAL" not in html
    assert w.o1b.notes.first().text not in html


def test_district_leader_dashboard_lists_every_school_of_the_district(client, school_world):
    w = school_world
    client.force_login(w.district_leader)

    schools = [s.school for s in client.get(reverse("dashboard")).context["schools"]]

    assert schools == [w.school_a, w.school_b]


def test_teacher_sees_own_move_script_and_earlier_outcomes(client, school_world):
    w = school_world
    AgreedMoveFactory(cycle=w.c1a, script="Boards up in 3, 2, 1 — show me.")
    AgreedMoveFactory(cycle=w.c2a, script="Turn to your partner and finish the sentence.")
    w.c1a.state = CycleState.ACTIVE
    w.c1a.save()
    client.force_login(w.t1a.user)

    response = client.get(reverse("my_move"))

    html = response.content.decode()
    assert "Boards up in 3, 2, 1 — show me." in html
    assert "Turn to your partner" not in html
    assert response.context["mine"].earlier_cycles == [w.c1a_old]
    assert "Progressing" in html


def test_teacher_membership_without_a_profile_gets_a_clear_message(client, school_world):
    user = UserFactory()
    MembershipFactory(user=user, role=Role.TEACHER, school=school_world.school_a)
    client.force_login(user)

    response = client.get(reverse("my_move"))

    assert response.status_code == 200
    assert "not linked to a teacher profile" in response.content.decode()
