"""Writes about schools, people and caseloads."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.validation import validated_save
from teachers.models import (
    CaseloadAssignment,
    District,
    Membership,
    NonSchoolDay,
    School,
    Teacher,
)


@transaction.atomic
def membership_grant(
    *, user: User, role: str, school: School | None = None, district: District | None = None
) -> Membership:
    """Give ``user`` a role at a school (or district-wide); re-activates an existing one."""
    existing = Membership.objects.filter(
        user=user, role=role, school=school, district=district
    ).first()
    if existing:
        if not existing.is_active:
            existing.is_active = True
            validated_save(existing)
        return existing
    return validated_save(Membership(user=user, role=role, school=school, district=district))


@transaction.atomic
def teacher_create(*, school: School, first_name: str, last_name: str, **profile) -> Teacher:
    """Create a teacher (``profile`` holds any other Teacher field, e.g. subject, user)."""
    return validated_save(
        Teacher(school=school, first_name=first_name, last_name=last_name, **profile)
    )


@transaction.atomic
def caseload_assign(
    *, coach: User, teacher: Teacher, started_on: datetime.date | None = None
) -> CaseloadAssignment:
    """Put a teacher on a coach's caseload, ending their assignment to any other coach."""
    started_on = started_on or timezone.localdate()
    current = (
        CaseloadAssignment.objects.select_for_update()
        .filter(teacher=teacher, ended_on__isnull=True)
        .first()
    )
    if current and current.coach_id == coach.pk:
        return current
    if current:
        current.ended_on = max(started_on, current.started_on)
        validated_save(current)
    return validated_save(CaseloadAssignment(coach=coach, teacher=teacher, started_on=started_on))


PROFILE_FIELDS = frozenset(
    {"subject", "grade_band", "years_experience", "disposition", "orientation", "time_focus"}
)


@transaction.atomic
def teacher_profile_update(*, teacher: Teacher, **fields) -> Teacher:
    """Change a teacher's profile (subject, grade band, experience, disposition, orientation,
    time focus). Names, school and sign-in are the administrator's business."""
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(teacher, name, value)
    try:
        return validated_save(teacher)
    except ValidationError:
        teacher.refresh_from_db()  # the caller's teacher keeps its stored values, not the refused
        raise


# --- The school calendar -------------------------------------------------------------------------

CALENDAR_FILE_MAX_BYTES = 2 * 1024 * 1024
CALENDAR_MAX_EVENTS = 2000


@transaction.atomic
def school_weekdays_set(*, school: School, weekdays: Iterable[int]) -> School:
    """Set the weekdays a school teaches (ISO numbers, 1 Monday to 7 Sunday)."""
    school.school_weekdays = "".join(str(d) for d in sorted(set(weekdays)))
    try:
        return validated_save(school)
    except ValidationError:
        school.refresh_from_db()
        raise


@transaction.atomic
def non_school_day_add(
    *, school: School, starts_on: datetime.date, ends_on: datetime.date | None = None, name: str
) -> NonSchoolDay:
    """Record a holiday (one day) or a break (``starts_on`` to ``ends_on``, both included).
    The same days under the same name again (a form sent twice) are refused, not doubled."""
    day = NonSchoolDay(school=school, starts_on=starts_on, ends_on=ends_on or starts_on, name=name)
    day.full_clean()
    if school.non_school_days.filter(
        starts_on=day.starts_on, ends_on=day.ends_on, name=day.name
    ).exists():
        raise ValidationError(f"{day} is already on the calendar.")
    return validated_save(day)


@transaction.atomic
def non_school_day_remove(*, non_school_day: NonSchoolDay) -> None:
    non_school_day.delete()


@dataclass(frozen=True)
class CalendarImport:
    """What importing an iCalendar file did: days off added, changed, already there, and events
    skipped because they are not whole days (a timed meeting is not a day off)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_timed: int = 0

    @property
    def summary(self) -> str:
        parts = [
            f"{self.created} added",
            f"{self.updated} changed",
            f"{self.unchanged} already there",
        ]
        if self.skipped_timed:
            parts.append(f"{self.skipped_timed} timed events skipped (not whole days)")
        return ", ".join(parts) + "."


def _ics_events(data: bytes) -> tuple[list[tuple[str, datetime.date, datetime.date, str]], int]:
    """(uid, first day, last day, name) of each whole-day event, and the count of timed ones.
    Raises ValidationError with the reason for a file that is not a calendar or has no dates."""
    if len(data) > CALENDAR_FILE_MAX_BYTES:
        raise ValidationError("The calendar file is larger than 2 MB; export one school year.")
    if b"\x00" in data:
        raise ValidationError("This file is not an iCalendar (.ics) file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError("This file is not an iCalendar (.ics) file: it is not text.") from exc
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise ValidationError(
            "This file is not an iCalendar (.ics) file: it does not start with BEGIN:VCALENDAR."
        )
    try:
        calendar = icalendar.Calendar.from_ical(text)
        events = list(calendar.walk("VEVENT"))
    except Exception as exc:  # icalendar raises ValueError and others on a broken file
        # The library's message can quote the whole file: its first line, cut short, is enough.
        reason = (str(exc).splitlines() or [""])[0][:160]
        raise ValidationError(
            f"The calendar file is broken and could not be read ({reason})."
        ) from exc
    if len(events) > CALENDAR_MAX_EVENTS:
        raise ValidationError(f"The calendar holds more than {CALENDAR_MAX_EVENTS} events.")
    days, timed = [], 0
    for event in events:
        name = str(event.get("SUMMARY", "") or "").strip()[:120] or "Day off"
        try:
            start = event.decoded("DTSTART", None)
            end = event.decoded("DTEND", None)
            duration = event.decoded("DURATION", None)
        except Exception as exc:
            raise ValidationError(
                f"The event “{name}” has a date that cannot be read ({str(exc)[:160]})."
            ) from exc
        if start is None:
            continue
        if not isinstance(start, datetime.date):  # a value icalendar kept unparsed
            raise ValidationError(
                f"The event “{name}” has a date that cannot be read ({str(start)[:40]})."
            )
        if isinstance(start, datetime.datetime):
            timed += 1
            continue
        # DTEND of a whole-day event is the day AFTER the last day (RFC 5545); a DURATION
        # (P3D) counts whole days the same way; neither: one day.
        if isinstance(end, datetime.date) and not isinstance(end, datetime.datetime):
            last = max(start, end - datetime.timedelta(days=1))
        elif isinstance(duration, datetime.timedelta) and duration.days > 0:
            last = start + datetime.timedelta(days=duration.days - 1)
        else:
            last = start
        uid = str(event.get("UID", "") or "").strip()[:255]
        days.append((uid, start, last, name))
    if not days:
        raise ValidationError(
            "The calendar has no whole-day events, so no holidays or breaks could be read."
        )
    return days, timed


@transaction.atomic
def school_calendar_import_ics(*, school: School, data: bytes) -> CalendarImport:
    """Import the whole-day events of an iCalendar file as the school's non-school days.
    Importing the same file again changes nothing (events are matched by UID, or by their dates
    and name when they have none); a file that is refused changes nothing."""
    events, timed = _ics_events(data)
    existing = {d.source_uid: d for d in school.non_school_days.exclude(source_uid="")}
    plain = {(d.starts_on, d.ends_on, d.name) for d in school.non_school_days.filter(source_uid="")}
    created = updated = unchanged = 0
    for uid, starts_on, ends_on, name in events:
        row = existing.get(uid) if uid else None
        if row is None and (starts_on, ends_on, name) in plain:
            unchanged += 1
            continue
        if row is None:
            row = NonSchoolDay(school=school, source_uid=uid)
            created += 1
        elif (row.starts_on, row.ends_on, row.name) == (starts_on, ends_on, name):
            unchanged += 1
            continue
        else:
            updated += 1
        row.starts_on, row.ends_on, row.name = starts_on, ends_on, name
        try:
            validated_save(row)
        except ValidationError as exc:  # one message for the file, naming the event
            raise ValidationError(
                f"The event “{name}” ({starts_on:%d %b %Y} to {ends_on:%d %b %Y}) cannot be "
                f"imported: {' '.join(exc.messages)}"
            ) from exc
        if uid:
            existing[uid] = row
        else:
            plain.add((starts_on, ends_on, name))
    return CalendarImport(
        created=created, updated=updated, unchanged=unchanged, skipped_timed=timed
    )
