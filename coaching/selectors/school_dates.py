"""Dates at a school, in its own time zone."""

import datetime
import zoneinfo

from django.utils import timezone

from teachers.models import School


def school_today(school: School, now: datetime.datetime | None = None) -> datetime.date:
    """The date at the school now, in its own time zone."""
    return timezone.localtime(now or timezone.now(), zoneinfo.ZoneInfo(school.time_zone)).date()


def school_date_or_none(value: datetime.datetime | None, school: School) -> datetime.date | None:
    if value is None:
        return None
    return timezone.localtime(value, zoneinfo.ZoneInfo(school.time_zone)).date()


def school_date(value: datetime.datetime, school: School) -> datetime.date:
    """The date of the instant ``value`` at the school (its own time zone)."""
    return timezone.localtime(value, zoneinfo.ZoneInfo(school.time_zone)).date()
