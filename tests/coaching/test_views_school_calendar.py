"""The school calendar page (/schools/<slug>/calendar/): a principal or administrator sets the
school's days of the week, adds and removes holidays and breaks, imports the district's .ics
file; refused input comes back next to its field with nothing saved; anybody else gets a 404."""

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teachers.models import NonSchoolDay
from teachers.services import CALENDAR_FILE_MAX_BYTES, non_school_day_add
from tests.teachers.test_services_calendar import DISTRICT_ICS, _ics, _timed_event

pytestmark = pytest.mark.django_db

D = datetime.date
# Monday 7 December 2026, mid-morning in New York (the schools' default time zone).
MONDAY = datetime.datetime(2026, 12, 7, 15, 0, tzinfo=datetime.UTC)
travel = time_machine.travel(MONDAY, tick=False)


def _page(school) -> str:
    return reverse("school_calendar", kwargs={"school_slug": school.slug})


def _remove(school, day) -> str:
    return reverse(
        "school_calendar_day_remove", kwargs={"school_slug": school.slug, "day_id": day.pk}
    )


def _add(**fields) -> dict:
    return {"action": "add", **{f"day-{k}": v for k, v in fields.items()}}


def _upload(data: bytes, name: str = "district.ics") -> dict:
    return {
        "action": "import",
        "ics-file": SimpleUploadedFile(name, data, content_type="text/calendar"),
    }


def _field_errors(html: str, field_id: str) -> str:
    """The text of the error block crispy renders right under the field ``field_id``."""
    match = re.search(
        rf'id="error_\d+_id_{field_id}"[^>]*>\s*<strong>(.*?)</strong>', html, re.DOTALL
    )
    return match[1] if match else ""


@pytest.fixture
def principal(client, school_world):
    client.force_login(school_world.principal_a)
    return client


# --- Holidays and breaks ---------------------------------------------------------------------


@travel
def test_principal_adds_a_holiday_and_sees_it_listed(principal, school_world):
    school = school_world.school_a

    response = principal.post(_page(school), _add(name="Staff development", starts_on="2026-12-18"))

    assert response.status_code == 302 and response.url == _page(school)
    day = NonSchoolDay.objects.get(school=school)
    assert (day.name, day.starts_on, day.ends_on, day.source_uid) == (
        "Staff development",
        D(2026, 12, 18),
        D(2026, 12, 18),
        "",
    )
    page = principal.get(response.url).content.decode()
    assert "Added Staff development, Fri 18 Dec 2026: 1 school day off." in page
    assert "Fri 18 Dec 2026" in page and "Staff development" in page


@travel
def test_principal_adds_a_break_over_a_weekend(principal, school_world):
    school = school_world.school_a

    response = principal.post(
        _page(school), _add(name="Winter break", starts_on="2026-12-21", ends_on="2027-01-01")
    )

    assert response.status_code == 302
    page = principal.get(response.url).content.decode()
    assert "Added Winter break, Mon 21 Dec 2026 – Fri 1 Jan 2027: 10 school days off." in page
    row = principal.get(_page(school)).context["calendar"].rows[0]
    assert (row.day.name, row.school_days_out, row.dates) == (
        "Winter break",
        10,
        "Mon 21 Dec 2026 – Fri 1 Jan 2027",
    )


@travel
def test_a_break_ending_before_it_starts_is_refused_next_to_the_last_day(principal, school_world):
    school = school_world.school_a

    response = principal.post(
        _page(school), _add(name="Winter break", starts_on="2027-01-01", ends_on="2026-12-21")
    )

    assert response.status_code == 200
    assert response.context["day_form"].errors == {
        "ends_on": ["The last day cannot be before the first day."]
    }
    html = response.content.decode()
    assert _field_errors(html, "day-ends_on") == "The last day cannot be before the first day."
    assert 'value="Winter break"' in html  # what was typed stays
    assert not NonSchoolDay.objects.exists()


@travel
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "", "starts_on": "2026-12-18"}, "name", "This field is required."),
        ({"name": "Day", "starts_on": ""}, "starts_on", "This field is required."),
        ({"name": "Day", "starts_on": "tomorrow"}, "starts_on", "Enter a valid date."),
        ({"name": "Day", "starts_on": "9999-12-31"}, "starts_on", "Pick a date between"),
        (
            {"name": "Renovation", "starts_on": "2026-08-01", "ends_on": "2027-08-02"},
            "ends_on",
            "A holiday or break lasts at most a year.",
        ),
        ({"name": "x" * 121, "starts_on": "2026-12-18"}, "name", "at most 120 characters"),
    ],
)
def test_bad_days_off_are_refused_next_to_their_field(
    principal, school_world, fields, field, message
):
    response = principal.post(_page(school_world.school_a), _add(**fields))

    assert response.status_code == 200
    errors = response.context["day_form"].errors
    assert list(errors) == [field] and message in errors[field][0]
    assert message in _field_errors(response.content.decode(), f"day-{field}")
    assert not NonSchoolDay.objects.exists()


@travel
def test_the_same_holiday_sent_twice_is_added_once(principal, school_world):
    school = school_world.school_a
    data = _add(name="Staff development", starts_on="2026-12-18")
    assert principal.post(_page(school), data).status_code == 302

    response = principal.post(_page(school), data)  # Back, then submit again

    assert response.status_code == 200
    assert "is already on the calendar" in response.content.decode()
    assert NonSchoolDay.objects.filter(school=school).count() == 1


@travel
def test_principal_removes_a_day_off_after_confirming(principal, school_world):
    school = school_world.school_a
    day = non_school_day_add(school=school, starts_on=D(2026, 12, 18), name="Staff development")
    kept = non_school_day_add(school=school, starts_on=D(2027, 1, 18), name="MLK Day")

    confirm = principal.get(_remove(school, day))
    assert confirm.status_code == 200
    assert "Remove Staff development?" in confirm.content.decode()
    assert NonSchoolDay.objects.filter(pk=day.pk).exists()  # a GET removes nothing

    response = principal.post(_remove(school, day))

    assert response.status_code == 302 and response.url == _page(school)
    assert list(NonSchoolDay.objects.values_list("pk", flat=True)) == [kept.pk]
    page = principal.get(_page(school)).content.decode()
    assert "Removed Staff development, Fri 18 Dec 2026." in page
    assert principal.post(_remove(school, day)).status_code == 404  # gone: sent again


@travel
def test_the_list_shows_this_school_year_and_later(principal, school_world):
    school = school_world.school_a
    non_school_day_add(school=school, starts_on=D(2026, 5, 25), name="Memorial Day")  # last year
    non_school_day_add(school=school, starts_on=D(2026, 9, 7), name="Labor Day")  # this year, past
    non_school_day_add(
        school=school, starts_on=D(2026, 12, 7), ends_on=D(2026, 12, 8), name="Snow days"
    )
    non_school_day_add(school=school, starts_on=D(2027, 9, 6), name="Labor Day 2027")
    non_school_day_add(school=school_world.school_b, starts_on=D(2026, 12, 9), name="School B day")

    response = principal.get(_page(school))

    calendar = response.context["calendar"]
    assert [r.day.name for r in calendar.rows] == ["Labor Day", "Snow days", "Labor Day 2027"]
    assert [(r.is_past, r.is_now) for r in calendar.rows] == [
        (True, False),
        (False, True),
        (False, False),
    ]
    assert calendar.earlier_count == 1
    assert (calendar.today_closure, calendar.next_school_day) == ("Snow days", D(2026, 12, 9))
    html = response.content.decode()
    assert "Memorial Day" not in html and "School B day" not in html
    assert "no school (Snow days)" in html and "Next school day: Wed 9 Dec 2026" in html


# --- School days of the week -----------------------------------------------------------------


@travel
def test_principal_sets_a_six_day_week(principal, school_world):
    school = school_world.school_a
    page = principal.get(_page(school))
    assert page.context["weekdays_form"]["weekdays"].value() == [1, 2, 3, 4, 5]

    response = principal.post(
        _page(school), {"action": "weekdays", "weekdays-weekdays": ["1", "2", "3", "4", "5", "6"]}
    )

    assert response.status_code == 302
    school.refresh_from_db()
    assert school.school_weekdays == "123456"
    html = principal.get(_page(school)).content.decode()
    assert "School days are now Monday to Saturday." in html


@travel
@pytest.mark.parametrize(
    ("weekdays", "message"),
    [([], "Tick at least one day of the week."), (["8"], "Select a valid choice.")],
)
def test_impossible_weekdays_are_refused_next_to_the_field(
    principal, school_world, weekdays, message
):
    school = school_world.school_a

    response = principal.post(_page(school), {"action": "weekdays", "weekdays-weekdays": weekdays})

    assert response.status_code == 200
    assert message in response.context["weekdays_form"].errors["weekdays"][0]
    assert message in _field_errors(response.content.decode(), "weekdays-weekdays")
    school.refresh_from_db()
    assert school.school_weekdays == "12345"


# --- Importing the district's calendar -------------------------------------------------------


@travel
def test_principal_imports_the_district_calendar(principal, school_world):
    school = school_world.school_a

    response = principal.post(_page(school), _upload(DISTRICT_ICS))

    assert response.status_code == 302
    assert NonSchoolDay.objects.filter(school=school).count() == 4
    html = principal.get(_page(school)).content.decode()
    assert (
        "Calendar imported: 4 added, 0 changed, 0 already there, "
        "1 timed events skipped (not whole days)." in html
    )
    assert "Winter Break - Schools and Offices Closed" in html
    assert "imported" in html

    again = principal.post(_page(school), _upload(DISTRICT_ICS))
    assert again.status_code == 302
    assert "0 added, 0 changed, 4 already there" in principal.get(_page(school)).content.decode()
    assert NonSchoolDay.objects.filter(school=school).count() == 4


@travel
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Name,Date\nLabor Day,2026-09-07\n", "does not start with BEGIN:VCALENDAR"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not an iCalendar (.ics) file"),
        (_ics(_timed_event("board@x", "Board meeting")), "no whole-day events"),
        (DISTRICT_ICS[: len(DISTRICT_ICS) // 2], "broken and could not be read"),
        (b"", "The submitted file is empty."),
        (b"x" * (CALENDAR_FILE_MAX_BYTES + 1), "larger than 2 MB"),
    ],
    ids=["csv", "binary", "no whole days", "cut short", "empty", "too big"],
)
def test_a_bad_calendar_file_is_refused_next_to_the_field(principal, school_world, data, reason):
    school = school_world.school_a
    kept = non_school_day_add(school=school, starts_on=D(2026, 12, 18), name="Staff development")

    response = principal.post(_page(school), _upload(data))

    assert response.status_code == 200
    errors = response.context["import_form"].errors
    assert list(errors) == ["file"] and reason in errors["file"][0], errors
    assert reason in _field_errors(response.content.decode(), "ics-file")
    assert list(NonSchoolDay.objects.values_list("pk", flat=True)) == [kept.pk]


@travel
def test_a_post_without_a_file_asks_for_one(principal, school_world):
    response = principal.post(_page(school_world.school_a), {"action": "import"})

    assert response.status_code == 200
    assert response.context["import_form"].errors == {"file": ["This field is required."]}


@travel
def test_a_post_with_no_action_is_a_400_with_the_reason(principal, school_world):
    response = principal.post(_page(school_world.school_a), {"day-name": "x"})

    assert response.status_code == 400
    assert "Choose what to change" in response.content.decode()
    assert not NonSchoolDay.objects.exists()


# --- Who may edit ------------------------------------------------------------------------------


@travel
@pytest.mark.parametrize("who", ["principal_b", "principal_c", "coach1", "t1a.user"])
def test_anybody_but_the_schools_leaders_gets_404(client, school_world, who):
    """A principal of another school (of the same district or not), a coach and a teacher of
    the school: 404 on every page and every POST; nothing saved."""
    w = school_world
    user = w.t1a.user if who == "t1a.user" else getattr(w, who)
    school = w.school_a
    day = non_school_day_add(school=school, starts_on=D(2026, 12, 18), name="Staff development")
    client.force_login(user)

    responses = [
        client.get(_page(school)),
        client.post(_page(school), _add(name="Snow day", starts_on="2026-12-10")),
        client.post(_page(school), {"action": "weekdays", "weekdays-weekdays": ["1"]}),
        client.post(_page(school), _upload(DISTRICT_ICS)),
        client.get(_remove(school, day)),
        client.post(_remove(school, day)),
    ]

    assert [r.status_code for r in responses] == [404] * 6
    assert list(NonSchoolDay.objects.values_list("pk", flat=True)) == [day.pk]
    school.refresh_from_db()
    assert school.school_weekdays == "12345"
    index = client.get(reverse("school_calendar_index"))
    own = {"principal_b": w.school_b, "principal_c": w.school_c}.get(who)
    if own:  # their own school's calendar, never school A's
        assert index.status_code == 302 and index.url == _page(own)
    else:
        assert index.status_code == 404


@travel
def test_a_day_of_another_school_is_404_under_this_schools_address(principal, school_world):
    other = non_school_day_add(
        school=school_world.school_b, starts_on=D(2026, 12, 18), name="School B day"
    )
    url = reverse(
        "school_calendar_day_remove",
        kwargs={"school_slug": school_world.school_a.slug, "day_id": other.pk},
    )

    assert principal.post(url).status_code == 404
    assert NonSchoolDay.objects.filter(pk=other.pk).exists()


@travel
@pytest.mark.parametrize("who", ["administrator", "district_leader", "superuser"])
def test_district_roles_and_superusers_edit_the_district_schools(client, school_world, who):
    w = school_world
    client.force_login(getattr(w, who))

    response = client.post(_page(w.school_b), _add(name="Snow day", starts_on="2026-12-10"))

    assert response.status_code == 302
    assert NonSchoolDay.objects.filter(school=w.school_b, name="Snow day").exists()
    index = client.get(reverse("school_calendar_index"))
    assert index.status_code == 200
    listed = [school for school, _ in index.context["rows"]]
    assert {w.school_a, w.school_b} <= set(listed)
    assert (w.school_c in listed) == (who == "superuser")
    if who != "superuser":
        assert client.get(_page(w.school_c)).status_code == 404


@travel
def test_a_principal_of_one_school_goes_straight_to_its_calendar(principal, school_world):
    response = principal.get(reverse("school_calendar_index"))

    assert response.status_code == 302 and response.url == _page(school_world.school_a)


def test_visitors_are_sent_to_sign_in(client, school_world):
    response = client.get(_page(school_world.school_a))
    assert response.status_code == 302 and "login" in response.url


@travel
@pytest.mark.parametrize(
    ("who", "shown"),
    [("principal_a", True), ("administrator", True), ("coach1", False), ("t1a.user", False)],
)
def test_the_menu_links_the_school_calendar_for_leaders_only(client, school_world, who, shown):
    user = school_world.t1a.user if who == "t1a.user" else getattr(school_world, who)
    client.force_login(user)
    home = client.get(reverse("home"), follow=True).content.decode()
    link = f'href="{reverse("school_calendar_index")}">School calendar</a>'
    assert (link in home) == shown


# --- Hostile values (hypothesis) ------------------------------------------------------------

HOSTILE_TEXT = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "",
            "\x00",
            "x" * 100_000,
            "<script>alert(1)</script>",
            "‮evil",
            "{{ 7*7 }}",
            "'; DROP TABLE teachers_school; --",
            "٢٠٢٦-١٢-١٠",
        ]
    ),
)
HOSTILE_DATE = st.one_of(
    st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31)).map(str),
    st.sampled_from(["2026-02-30", "0000-01-01", "9999-12-31", "yesterday", "", "2026-12-10\x00"]),
    HOSTILE_TEXT,
)


@travel
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    name=st.one_of(HOSTILE_TEXT, st.none()),
    starts_on=st.one_of(HOSTILE_DATE, st.none()),
    ends_on=st.one_of(HOSTILE_DATE, st.none()),
    weekdays=st.lists(st.one_of(HOSTILE_TEXT, st.integers().map(str)), max_size=9),
    action=st.sampled_from(["add", "weekdays", "import", "", "bogus"]),
)
def test_hostile_values_never_give_a_500_nor_a_half_saved_row(
    school_world, name, starts_on, ends_on, weekdays, action
):
    """Whatever is posted: a redirect with a valid row saved, or the page again (200 with an
    error next to a field, 400 for no action) with nothing saved; markup is never echoed."""
    school = school_world.school_a
    client = Client(raise_request_exception=False)
    client.force_login(school_world.principal_a)
    data = {"action": action, "weekdays-weekdays": weekdays}
    for field, value in (("name", name), ("starts_on", starts_on), ("ends_on", ends_on)):
        if value is not None:
            data[f"day-{field}"] = value
    before = (list(NonSchoolDay.objects.values()), school.school_weekdays)

    with transaction.atomic():
        response = client.post(_page(school), data)
        after_days = list(NonSchoolDay.objects.values())
        school.refresh_from_db()
        transaction.set_rollback(True)

    assert response.status_code in (200, 302, 400), response.status_code
    assert "<script>alert(1)</script>" not in response.content.decode()
    if response.status_code == 302:
        for row in after_days:
            NonSchoolDay(**row).full_clean()
            assert "\x00" not in row["name"]
    else:
        assert (after_days, school.school_weekdays) == before
        html = response.content.decode()
        assert "invalid-feedback" in html or "Choose what to change" in html
    school.refresh_from_db()
