"""Bad input in the admin gets a message next to the field, never a 500 or a half-saved row."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from coaching.models import CoachingCycle, CycleState
from notifications.models import Reminder, ReminderKind
from observations.models import EngagementSample, Phase
from tests.factories import (
    AssessmentFactory,
    ClipFactory,
    ObservationFactory,
    RevisitFactory,
    TimeEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _sweep_form(observation, engaged: int, present: int) -> dict:
    return {
        "observation": observation.pk,
        "taken_at_0": "2026-11-20",
        "taken_at_1": "09:15:00",
        "phase": Phase.BEFORE_MOVE,
        "engaged_count": engaged,
        "present_count": present,
    }


def test_admin_saves_a_possible_engagement_sweep(admin_client):
    observation = ObservationFactory()

    response = admin_client.post(
        reverse("admin:observations_engagementsample_add"), _sweep_form(observation, 20, 25)
    )

    assert response.status_code == 302
    assert EngagementSample.objects.get().engaged_count == 20


def test_admin_refuses_more_engaged_than_present_with_a_message(admin_client):
    observation = ObservationFactory()

    response = admin_client.post(
        reverse("admin:observations_engagementsample_add"), _sweep_form(observation, 30, 25)
    )

    assert response.status_code == 200
    assert "cannot outnumber the students present" in response.content.decode()
    assert not EngagementSample.objects.exists()


def _cycle_form(assessment) -> dict:
    return {
        "teacher": assessment.teacher.pk,
        "coach": assessment.coach.pk,
        "assessment": assessment.pk,
        "state": CycleState.PLANNED,
        "outcome": "",
        "opened_on": "2026-11-20",
        # empty inline formsets
        **{
            f"{prefix}-{key}": value
            for prefix in ("agreed_move", "sessions", "revisits")
            for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()
        },
    }


def test_admin_refuses_a_second_open_cycle_for_a_teacher(admin_client):
    first = AssessmentFactory()
    admin_client.post(reverse("admin:coaching_coachingcycle_add"), _cycle_form(first))
    assert CoachingCycle.objects.count() == 1
    second = AssessmentFactory(teacher=first.teacher, coach=first.coach)

    response = admin_client.post(reverse("admin:coaching_coachingcycle_add"), _cycle_form(second))

    assert response.status_code == 200
    assert "already has a cycle under way" in response.content.decode()
    assert CoachingCycle.objects.count() == 1


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:coaching_coachingsession_changelist",
        "admin:coaching_debrief_changelist",
        "admin:coaching_contextbrief_changelist",
        "admin:notifications_reminder_changelist",
        "admin:observations_observation_changelist",
        "admin:observations_studentevidence_changelist",
    ],
)
def test_coaching_content_in_the_admin_is_for_superusers_only(client, url_name):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.all())  # every model permission there is
    superuser = UserFactory(is_staff=True, is_superuser=True)

    client.force_login(staff)
    assert client.get(reverse(url_name)).status_code == 403
    client.force_login(superuser)
    assert client.get(reverse(url_name)).status_code == 200


def test_staff_administrators_still_manage_schools_people_and_the_library(client):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.all())
    client.force_login(staff)

    for name in ["teachers_school", "teachers_teacher", "coaching_move", "coaching_timeentry"]:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name


def test_reminder_records_are_read_only_for_superusers(admin_client):
    reminder = Reminder.objects.create(
        kind=ReminderKind.MOVE_TOMORROW, key="move:1:2026-03-09", email="t@example.org", subject="S"
    )

    listing = admin_client.get(reverse("admin:notifications_reminder_changelist"))
    page = admin_client.get(reverse("admin:notifications_reminder_change", args=[reminder.pk]))
    posted = admin_client.post(
        reverse("admin:notifications_reminder_change", args=[reminder.pk]),
        {"email": "x@example.org"},
    )

    assert listing.status_code == 200 and "t@example.org" in listing.content.decode()
    assert page.status_code == 200
    assert posted.status_code == 403
    reminder.refresh_from_db()
    assert reminder.email == "t@example.org"


ADMIN_PAGES = {
    "revisit": ("admin:coaching_revisit", lambda w, text: RevisitFactory(cycle=w.c1a, reason=text)),
    "time entry": (
        "admin:coaching_timeentry",
        lambda w, text: TimeEntryFactory(coach=w.coach1, school=w.school_a, note=text),
    ),
    "clip": ("admin:clips_clip", lambda w, text: ClipFactory(cycle=w.c1a, title=text)),
}
OTHER_DISTRICT = {
    "revisit": lambda w, text: RevisitFactory(cycle=w.cc, reason=text),
    "time entry": lambda w, text: TimeEntryFactory(coach=w.coach_c, school=w.school_c, note=text),
    "clip": lambda w, text: ClipFactory(cycle=w.cc, title=text),
}


@pytest.mark.parametrize("kind", list(ADMIN_PAGES))
def test_staff_see_their_own_districts_rows_and_never_another_districts(client, school_world, kind):
    """A staff administrator of the North district (every model permission) lists and opens
    its own rows; a row of the South district is absent from the list, its search and its page,
    as if it did not exist. A superuser sees both."""
    w = school_world
    staff = w.administrator
    staff.is_staff = True
    staff.save()
    staff.user_permissions.set(Permission.objects.all())
    url_name, make_mine = ADMIN_PAGES[kind]
    mine = make_mine(w, "Ours: back after the fractions unit")
    theirs = OTHER_DISTRICT[kind](w, "Theirs: the South district's words")

    client.force_login(staff)
    listing = client.get(reverse(f"{url_name}_changelist")).content.decode()
    searched = client.get(reverse(f"{url_name}_changelist"), {"q": "Theirs"}).content.decode()
    own_page = client.get(reverse(f"{url_name}_change", args=[mine.pk]))
    other_page = client.get(reverse(f"{url_name}_change", args=[theirs.pk]), follow=True)
    other_history = client.get(reverse(f"{url_name}_history", args=[theirs.pk]), follow=True)

    mine_url = reverse(f"{url_name}_change", args=[mine.pk])
    theirs_url = reverse(f"{url_name}_change", args=[theirs.pk])
    assert mine_url in listing
    assert theirs_url not in listing and theirs_url not in searched and "Theirs" not in listing
    assert own_page.status_code == 200 and "Ours: back after" in own_page.content.decode()
    assert "Theirs" not in other_page.content.decode()
    assert "Theirs" not in other_history.content.decode()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert theirs_url in client.get(reverse(f"{url_name}_changelist")).content.decode()
