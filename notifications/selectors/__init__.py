"""Reads for reminders and the calendar feed: reminders (which emails are due now) and calendar (a
person's events for the private feed)."""

from notifications.selectors.calendar import (
    CALENDAR_FUTURE_DAYS,
    CALENDAR_OBSERVATION_MINUTES,
    CALENDAR_PAST_DAYS,
    CALENDAR_SESSION_MINUTES,
    CalendarEvent,
    calendar_events,
)
from notifications.selectors.reminders import (
    REMINDER_MOVE_LOOKAHEAD_DAYS,
    ReminderDue,
    reminders_debrief_brief,
    reminders_move_tomorrow,
    reminders_revisit_overdue,
    reminders_weekly_digest,
)
