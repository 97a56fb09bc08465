"""Writes for reminders: each due reminder recorded, then sent, at most once."""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications import selectors
from notifications.models import Reminder, ReminderKind

logger = logging.getLogger(__name__)


class ReminderDeliveryError(Exception):
    """Some reminders could not be handed to the mail server; they are retried."""


def reminder_deliver(*, reminder: selectors.ReminderDue) -> bool:
    """Send one reminder at most once: its record is committed before the email goes out, so a
    second run (or a job delivered twice) finds it and sends nothing. If the mail server
    refuses, the record is removed so the next run tries again. Returns whether it was sent
    now."""
    try:
        with transaction.atomic():
            for key in reminder.keys:
                Reminder.objects.create(
                    kind=reminder.kind,
                    key=key,
                    email=reminder.email,
                    recipient=reminder.recipient,
                    subject=reminder.subject[:200],
                )
    except IntegrityError:
        return False  # already sent (or being sent by another run)
    records = Reminder.objects.filter(
        kind=reminder.kind, key__in=reminder.keys, email=reminder.email, sent_at__isnull=True
    )
    body = render_to_string(reminder.template, {**reminder.context, "site_url": settings.SITE_URL})
    try:
        send_mail(reminder.subject, body, None, [reminder.email])
    except Exception:
        records.delete()
        raise
    records.update(sent_at=timezone.now())
    return True


def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The reminder job: every reminder due now (selectors.reminders_*) sent once. A mail server
    failure does not stop the others; the job then fails so that it is retried."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    failures = 0
    for kind, find in (
        (ReminderKind.MOVE_TOMORROW, selectors.reminders_move_tomorrow),
        (ReminderKind.DEBRIEF_BRIEF, selectors.reminders_debrief_brief),
        (ReminderKind.REVISIT_OVERDUE, selectors.reminders_revisit_overdue),
        (ReminderKind.WEEKLY_DIGEST, selectors.reminders_weekly_digest),
    ):
        sent = 0
        for reminder in find(now=now):
            try:
                sent += reminder_deliver(reminder=reminder)
            except (OSError, smtplib.SMTPException):
                logger.exception("Could not send %s to %s", reminder.kind, reminder.email)
                failures += 1
        counts[str(kind)] = sent
    if failures:
        raise ReminderDeliveryError(f"{failures} reminder(s) not sent; they will be retried")
    return counts
