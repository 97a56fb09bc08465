"""A principal on a phone opens School calendar from the menu, adds a holiday and sees it
listed with the school days it takes out, imports the district's .ics file, then uploads a
file that is no calendar and reads the reason next to the file field. The page with that error
passes axe-core and the CSP check on a phone and on a desktop."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from teachers.models import NonSchoolDay
from tests.e2e.test_accessibility import (
    DESKTOP,
    PHONE,
    axe_available,  # noqa: F401  (a fixture)
    inspect,
    record_csp_violations,
)
from tests.e2e.test_navigation import open_menu_link
from tests.e2e.test_sign_in import sign_in
from tests.teachers.test_services_calendar import _day_event, _ics

pytestmark = pytest.mark.e2e


def _next_weekday(day: datetime.date, isoweekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(isoweekday - day.isoweekday()) % 7 or 7)


def test_principal_keeps_the_school_calendar_on_a_phone(
    transactional_db,
    school_world,
    page,
    tmp_path,
    axe_available,  # noqa: F811
):
    w = school_world
    page.csp_console = record_csp_violations(page)
    page.set_viewport_size(PHONE)
    sign_in(page, "principal_a")
    expect(page).to_have_title("Dashboard · Coaching cycles")  # signed in: the landing page
    open_menu_link(page, "School calendar")
    expect(page).to_have_title("School calendar · School A · Coaching cycles")

    # A Friday off: one school day.
    friday = _next_weekday(timezone.localdate(), 5)
    page.get_by_label("Name").fill("Staff development")
    page.get_by_label("First day off").fill(friday.isoformat())
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("1 school day off.")).to_be_visible()
    row = page.get_by_role("listitem").filter(has_text="Staff development")
    expect(row).to_contain_text(f"{friday:%a} {friday.day} {friday:%b %Y}")
    expect(row).to_contain_text("1 school day off")
    assert NonSchoolDay.objects.filter(school=w.school_a, name="Staff development").exists()

    # The district's calendar: a week's break from the Monday after.
    monday = _next_weekday(friday, 1)
    after = monday + datetime.timedelta(days=5)
    ics = tmp_path / "district.ics"
    ics.write_bytes(_ics(_day_event("spring@x", f"{monday:%Y%m%d}", f"{after:%Y%m%d}", "Break")))
    page.get_by_label("Calendar file (.ics)").set_input_files(str(ics))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Calendar imported: 1 added")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Break")).to_contain_text(
        "5 school days off"
    )

    # A file that is no calendar: the reason next to the field, nothing saved.
    bad = tmp_path / "holidays.csv"
    bad.write_bytes(b"Name,Date\nLabor Day,2026-09-07\n")
    page.get_by_label("Calendar file (.ics)").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    field = page.get_by_label("Calendar file (.ics)")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("does not start with BEGIN:VCALENDAR")).to_be_visible()
    assert NonSchoolDay.objects.filter(school=w.school_a).count() == 2

    problems = inspect(page, "school calendar, file refused (390px)", "390px")
    page.set_viewport_size(DESKTOP)
    problems += inspect(page, "school calendar, file refused (desktop)", "desktop")
    assert not problems, problems
