"""The School admin shows the school's days of the week and its holidays and breaks inline, and
refuses a break that ends before it starts next to the field."""

import datetime

import pytest
from django.urls import reverse

from teachers.models import NonSchoolDay
from teachers.services import non_school_day_add
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _school_form(school, **inline) -> dict:
    data = {
        "district": school.district_id,
        "name": school.name,
        "slug": school.slug,
        "time_zone": school.time_zone,
        "default_cycle_hours": "2.5",
        "school_weekdays": "12345",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "non_school_days-TOTAL_FORMS": "1" if inline else "0",
        "non_school_days-INITIAL_FORMS": "0",
    }
    data.update({f"non_school_days-0-{k}": v for k, v in inline.items()})
    return data


def test_school_list_shows_the_school_days_in_words(admin_client):
    SchoolFactory(name="Six-day school", school_weekdays="123456")

    page = admin_client.get(reverse("admin:teachers_school_changelist")).content.decode()

    assert "Monday to Saturday" in page


def test_school_page_lists_its_holidays_inline(admin_client):
    school = SchoolFactory()
    non_school_day_add(
        school=school,
        starts_on=datetime.date(2026, 12, 21),
        ends_on=datetime.date(2027, 1, 1),
        name="Winter break",
    )

    response = admin_client.get(reverse("admin:teachers_school_change", args=[school.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Winter break" in page and "Mon 21 Dec 2026 – Fri 1 Jan 2027" in page
    assert 'name="school_weekdays"' in page


def test_school_page_adds_a_holiday_inline(admin_client):
    school = SchoolFactory()
    url = reverse("admin:teachers_school_change", args=[school.pk])

    response = admin_client.post(
        url, _school_form(school, name="Snow day", starts_on="2026-12-10", ends_on="2026-12-10")
    )

    assert response.status_code == 302
    assert NonSchoolDay.objects.get(school=school).name == "Snow day"


def test_school_page_refuses_a_break_ending_before_it_starts(admin_client):
    school = SchoolFactory()
    url = reverse("admin:teachers_school_change", args=[school.pk])

    response = admin_client.post(
        url, _school_form(school, name="Break", starts_on="2026-12-10", ends_on="2026-12-01")
    )

    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not NonSchoolDay.objects.exists()
