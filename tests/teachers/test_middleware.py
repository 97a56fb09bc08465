import pytest
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, SchoolFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db


def _active_zone_during_request(client, user) -> str:
    """The time zone active while the home page's template renders."""
    seen: list[str] = []

    def spy(**kwargs) -> None:
        seen.append(timezone.get_current_timezone_name())

    client.force_login(user)
    template_rendered.connect(spy, dispatch_uid="tz-spy")
    try:
        client.get(reverse("home"))
    finally:
        template_rendered.disconnect(dispatch_uid="tz-spy")
    return seen[0]


def test_pages_show_times_in_the_teachers_school_time_zone(client):
    school = SchoolFactory(time_zone="America/Los_Angeles")
    user = UserFactory()  # no role: the home page renders a template
    TeacherFactory(school=school, user=user)

    assert _active_zone_during_request(client, user) == "America/Los_Angeles"


def test_pages_show_times_in_a_district_leaders_first_school_time_zone(client):
    school = SchoolFactory(name="Aardvark Elementary", time_zone="America/Denver")
    SchoolFactory(name="Zebra High", district=school.district, time_zone="America/Chicago")
    user = UserFactory()
    MembershipFactory(user=user, role="district_leader", school=None, district=school.district)

    client.force_login(user)
    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert client.session["school_time_zone"] == "America/Denver"


def test_a_user_without_a_school_keeps_the_site_time_zone(client):
    user = UserFactory()

    assert _active_zone_during_request(client, user) == "UTC"
