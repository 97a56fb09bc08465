"""The demo's dates: its "days ago" as school days, and the anchor every date hangs on."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from teachers.models import School

# --- Dates --------------------------------------------------------------------------------


def school_days_ago(calendar_days: int) -> int:
    """The demo's "days ago" (calendar days in an ordinary week) as school days (5 in 7), so a
    cycle's shape in school days is the same whatever the weekday and wherever the breaks."""
    return max(1, round(calendar_days * 5 / 7))


def days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def minutes(count: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=count)


def anchor_date(school: School) -> datetime.date:
    """The day the demo school was created, in its own time zone: every date hangs on it."""
    return timezone.localtime(school.created_at, ZoneInfo(school.time_zone)).date()
