"""Writes of the school calendar (teachers/services.py): a school's weekdays, holidays and breaks
typed in, and the import of a district's iCalendar file (.ics), with the refusals that change
nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from teachers.models import NonSchoolDay
from teachers.services import (
    CALENDAR_FILE_MAX_BYTES,
    non_school_day_add,
    non_school_day_remove,
    school_calendar_import_ics,
    school_weekdays_set,
)
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _ics(*events: str, name: str = "Springfield USD 2026-27 Student Calendar") -> bytes:
    """A calendar as a district's Google or Outlook export writes it: CRLF lines, a time zone
    block, folded long lines."""
    head = (
        "BEGIN:VCALENDAR\r\n"
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
        "VERSION:2.0\r\n"
        "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n"
        f"X-WR-CALNAME:{name}\r\n"
        "X-WR-TIMEZONE:America/Chicago\r\n"
        "BEGIN:VTIMEZONE\r\n"
        "TZID:America/Chicago\r\n"
        "BEGIN:STANDARD\r\n"
        "TZOFFSETFROM:-0500\r\n"
        "TZOFFSETTO:-0600\r\n"
        "TZNAME:CST\r\n"
        "DTSTART:19701101T020000\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"
        "END:STANDARD\r\n"
        "END:VTIMEZONE\r\n"
    )
    return (head + "".join(events) + "END:VCALENDAR\r\n").encode()


def _day_event(uid: str, first: str, after_last: str | None, summary: str) -> str:
    end = f"DTEND;VALUE=DATE:{after_last}\r\n" if after_last else ""
    return (
        "BEGIN:VEVENT\r\n"
        f"DTSTART;VALUE=DATE:{first}\r\n"
        f"{end}"
        "DTSTAMP:20260801T120000Z\r\n"
        f"UID:{uid}\r\n"
        "CREATED:20260715T150000Z\r\n"
        f"SUMMARY:{summary}\r\n"
        "TRANSP:TRANSPARENT\r\n"
        "END:VEVENT\r\n"
    )


def _timed_event(uid: str, summary: str) -> str:
    return (
        "BEGIN:VEVENT\r\n"
        "DTSTART;TZID=America/Chicago:20261208T180000\r\n"
        "DTEND;TZID=America/Chicago:20261208T200000\r\n"
        "DTSTAMP:20260801T120000Z\r\n"
        f"UID:{uid}\r\n"
        f"SUMMARY:{summary}\r\n"
        "END:VEVENT\r\n"
    )


DISTRICT_EVENTS = (
    _day_event("labor-day-2026@springfield.k12.us", "20260907", "20260908", "Labor Day - Closed"),
    _day_event(
        "thanksgiving-2026@springfield.k12.us",
        "20261125",
        "20261128",  # exclusive: Wed 25 to Fri 27 November
        "Thanksgiving Break - No Students",
    ),
    _day_event(
        "winter-2026@springfield.k12.us",
        "20261221",
        "20270102",  # Mon 21 Dec to Fri 1 Jan, over two weekends
        "Winter Break - Schools and Offices Closed (Students return Monday\r\n  January 4)",
    ),
    _day_event("mlk-2027@springfield.k12.us", "20270118", None, "MLK Day"),  # no DTEND: one day
    _timed_event("board-2026-12@springfield.k12.us", "Board of Education Meeting"),
)
DISTRICT_ICS = _ics(*DISTRICT_EVENTS)


def _rows(school) -> list[tuple]:
    return list(
        NonSchoolDay.objects.filter(school=school)
        .order_by("starts_on")
        .values_list("starts_on", "ends_on", "name", "source_uid")
    )


# --- Importing ---------------------------------------------------------------------------------


def test_district_calendar_import_reads_whole_day_events_and_skips_timed_ones():
    school = SchoolFactory()

    result = school_calendar_import_ics(school=school, data=DISTRICT_ICS)

    assert (result.created, result.updated, result.unchanged, result.skipped_timed) == (4, 0, 0, 1)
    assert result.summary == (
        "4 added, 0 changed, 0 already there, 1 timed events skipped (not whole days)."
    )
    assert _rows(school) == [
        (D(2026, 9, 7), D(2026, 9, 7), "Labor Day - Closed", "labor-day-2026@springfield.k12.us"),
        (
            D(2026, 11, 25),
            D(2026, 11, 27),
            "Thanksgiving Break - No Students",
            "thanksgiving-2026@springfield.k12.us",
        ),
        (
            D(2026, 12, 21),
            D(2027, 1, 1),
            "Winter Break - Schools and Offices Closed (Students return Monday January 4)",
            "winter-2026@springfield.k12.us",
        ),
        (D(2027, 1, 18), D(2027, 1, 18), "MLK Day", "mlk-2027@springfield.k12.us"),
    ]
    assert not NonSchoolDay.objects.filter(name__icontains="Board").exists()


def test_a_multi_day_break_ends_the_day_before_its_exclusive_dtend():
    school = SchoolFactory()
    data = _ics(_day_event("spring@x", "20270322", "20270327", "Spring Break"))

    school_calendar_import_ics(school=school, data=data)

    (row,) = NonSchoolDay.objects.filter(school=school)
    assert (row.starts_on, row.ends_on) == (D(2027, 3, 22), D(2027, 3, 26))  # Mon to Fri


def test_a_break_given_as_a_duration_lasts_its_days():
    school = SchoolFactory()
    event = _day_event("spring@x", "20270322", None, "Spring Break").replace(
        "UID:", "DURATION:P5D\r\nUID:"
    )

    school_calendar_import_ics(school=school, data=_ics(event))

    (row,) = NonSchoolDay.objects.filter(school=school)
    assert (row.starts_on, row.ends_on) == (D(2027, 3, 22), D(2027, 3, 26))


def test_importing_the_same_calendar_again_changes_nothing():
    school = SchoolFactory()
    school_calendar_import_ics(school=school, data=DISTRICT_ICS)
    before = list(NonSchoolDay.objects.filter(school=school).order_by("pk").values())

    result = school_calendar_import_ics(school=school, data=DISTRICT_ICS)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert result.summary.startswith("0 added, 0 changed, 4 already there")
    assert list(NonSchoolDay.objects.filter(school=school).order_by("pk").values()) == before


def test_an_event_moved_in_the_district_calendar_is_updated_by_its_uid():
    school = SchoolFactory()
    school_calendar_import_ics(school=school, data=DISTRICT_ICS)
    labor_day = NonSchoolDay.objects.get(school=school, source_uid__startswith="labor-day")
    moved = DISTRICT_ICS.replace(
        b"DTSTART;VALUE=DATE:20260907\r\nDTEND;VALUE=DATE:20260908\r\n",
        b"DTSTART;VALUE=DATE:20260908\r\nDTEND;VALUE=DATE:20260910\r\n",
    ).replace(b"Labor Day - Closed", b"Labor Day (moved)")
    assert moved != DISTRICT_ICS

    result = school_calendar_import_ics(school=school, data=moved)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    labor_day.refresh_from_db()
    assert (labor_day.starts_on, labor_day.ends_on, labor_day.name) == (
        D(2026, 9, 8),
        D(2026, 9, 9),
        "Labor Day (moved)",
    )
    assert NonSchoolDay.objects.filter(school=school).count() == 4


def test_an_event_without_uid_is_matched_by_its_dates_and_name():
    school = SchoolFactory()
    non_school_day_add(school=school, starts_on=D(2027, 2, 15), name="Presidents Day")
    data = _ics(_day_event("x", "20270215", "20270216", "Presidents Day").replace("UID:x\r\n", ""))

    first = school_calendar_import_ics(school=school, data=data)
    again = school_calendar_import_ics(school=school, data=data)

    assert (first.created, first.unchanged, again.created, again.unchanged) == (0, 1, 0, 1)
    assert NonSchoolDay.objects.filter(school=school).count() == 1


def test_the_import_is_for_one_school_only():
    school, other = SchoolFactory(), SchoolFactory()
    school_calendar_import_ics(school=school, data=DISTRICT_ICS)

    result = school_calendar_import_ics(school=other, data=DISTRICT_ICS)

    assert result.created == 4  # the same UIDs at another school are that school's own rows
    assert NonSchoolDay.objects.filter(school=school).count() == 4


# --- Refused files change nothing -------------------------------------------------------------

REFUSED = {
    "not a calendar": (b"Name,Date\nLabor Day,2026-09-07\n", "does not start with BEGIN:VCALENDAR"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an iCalendar (.ics) file"),
    "NUL inside": (DISTRICT_ICS.replace(b"MLK Day", b"MLK\x00Day"), "not an iCalendar"),
    "not text": (b"BEGIN:VCALENDAR\r\n" + b"\xff\xfe\xfa" * 3, "it is not text"),
    "cut short": (DISTRICT_ICS[: len(DISTRICT_ICS) // 2], "is broken and could not be read"),
    "broken line": (
        DISTRICT_ICS.replace(b"METHOD:PUBLISH\r\n", b"METHOD:PUBLISH\r\nno property here\r\n"),
        "is broken and could not be read",
    ),
    "unreadable date": (
        DISTRICT_ICS.replace(b"DTSTART;VALUE=DATE:20270118", b"DTSTART;VALUE=DATE:2027XX18"),
        "“MLK Day” has a date that cannot be read",
    ),
    "no whole-day events": (
        _ics(_timed_event("board@x", "Board of Education Meeting")),
        "no whole-day events",
    ),
    "no events at all": (_ics(), "no whole-day events"),
    "too big": (
        DISTRICT_ICS + b" " * (CALENDAR_FILE_MAX_BYTES + 1 - len(DISTRICT_ICS)),
        "larger than 2 MB",
    ),
    "a break over a year": (
        _ics(
            *DISTRICT_EVENTS,
            _day_event("forever@x", "20260801", "20270803", "Closed for renovation"),
        ),
        "“Closed for renovation” (01 Aug 2026 to 02 Aug 2027) cannot be imported: "
        "A holiday or break lasts at most a year.",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_refused_file_says_why_and_changes_nothing(case):
    data, reason = REFUSED[case]
    school = SchoolFactory()
    kept = non_school_day_add(school=school, starts_on=D(2026, 10, 12), name="Staff day")
    school_calendar_import_ics(school=school, data=_ics(_day_event("a@x", "20261009", None, "A")))
    before = _rows(school)

    with pytest.raises(ValidationError) as caught:
        school_calendar_import_ics(school=school, data=data)

    message = " ".join(caught.value.messages)
    assert reason in message, message
    assert len(message) < 400  # the reason, never the file quoted back
    assert not hasattr(caught.value, "error_dict")  # one message for the file field
    assert _rows(school) == before
    assert NonSchoolDay.objects.filter(pk=kept.pk).exists()


def test_the_file_refused_for_a_long_break_would_import_without_it():
    """Control for the case above: the other events of that file import, so the refusal is the
    long break's and nothing of the rest was kept."""
    school = SchoolFactory()
    assert school_calendar_import_ics(school=school, data=DISTRICT_ICS).created == 4


# --- Typing days in and the weekdays --------------------------------------------------------


def test_a_holiday_is_one_day_and_a_break_spans_its_days():
    school = SchoolFactory()
    holiday = non_school_day_add(school=school, starts_on=D(2026, 11, 11), name="Veterans Day")
    brk = non_school_day_add(
        school=school, starts_on=D(2027, 3, 22), ends_on=D(2027, 3, 26), name="Spring break"
    )
    assert (holiday.starts_on, holiday.ends_on, holiday.source_uid) == (
        D(2026, 11, 11),
        D(2026, 11, 11),
        "",
    )
    assert (brk.starts_on, brk.ends_on) == (D(2027, 3, 22), D(2027, 3, 26))


def test_a_holiday_sent_twice_is_not_added_twice():
    school = SchoolFactory()
    non_school_day_add(school=school, starts_on=D(2026, 11, 11), name="Veterans Day")

    with pytest.raises(ValidationError, match="already on the calendar"):
        non_school_day_add(school=school, starts_on=D(2026, 11, 11), name="Veterans Day")

    assert NonSchoolDay.objects.filter(school=school).count() == 1


def test_a_break_ending_before_it_starts_is_refused_next_to_the_last_day():
    school = SchoolFactory()

    with pytest.raises(ValidationError) as caught:
        non_school_day_add(
            school=school, starts_on=D(2027, 3, 26), ends_on=D(2027, 3, 22), name="Spring break"
        )

    assert caught.value.message_dict == {
        "ends_on": ["The last day cannot be before the first day."]
    }
    assert not NonSchoolDay.objects.exists()


def test_a_break_over_a_year_is_refused_and_a_year_less_a_day_is_not():
    school = SchoolFactory()

    with pytest.raises(ValidationError) as caught:
        non_school_day_add(
            school=school, starts_on=D(2026, 8, 1), ends_on=D(2027, 8, 2), name="Renovation"
        )

    assert caught.value.message_dict == {"ends_on": ["A holiday or break lasts at most a year."]}
    assert not NonSchoolDay.objects.exists()
    non_school_day_add(
        school=school, starts_on=D(2026, 8, 1), ends_on=D(2027, 7, 31), name="Renovation"
    )
    assert NonSchoolDay.objects.count() == 1


def test_a_holiday_needs_a_name():
    school = SchoolFactory()
    with pytest.raises(ValidationError) as caught:
        non_school_day_add(school=school, starts_on=D(2026, 11, 11), name="")
    assert set(caught.value.message_dict) == {"name"}
    assert not NonSchoolDay.objects.exists()


def test_removing_a_day_off_deletes_it_only():
    school = SchoolFactory()
    a = non_school_day_add(school=school, starts_on=D(2026, 11, 11), name="Veterans Day")
    b = non_school_day_add(school=school, starts_on=D(2026, 11, 26), name="Thanksgiving")

    non_school_day_remove(non_school_day=a)

    assert list(NonSchoolDay.objects.values_list("pk", flat=True)) == [b.pk]


def test_weekdays_are_set_as_iso_day_numbers():
    school = SchoolFactory()
    assert school.school_weekdays == "12345"  # Monday to Friday by default

    school_weekdays_set(school=school, weekdays=[6, 1, 2, 3, 4, 5, 1])

    school.refresh_from_db()
    assert school.school_weekdays == "123456"


@pytest.mark.parametrize("weekdays", [[0, 1], [1, 8], []])
def test_impossible_weekdays_are_refused_and_the_school_keeps_its_own(weekdays):
    school = SchoolFactory(school_weekdays="12345")

    with pytest.raises(ValidationError) as caught:
        school_weekdays_set(school=school, weekdays=weekdays)

    assert set(caught.value.message_dict) == {"school_weekdays"}
    assert school.school_weekdays == "12345"  # the caller's object too
    school.refresh_from_db()
    assert school.school_weekdays == "12345"
