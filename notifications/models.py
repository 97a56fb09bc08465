"""The record of each email reminder: written before the email goes out, so it goes out once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReminderKind(models.TextChoices):
    MOVE_TOMORROW = "move_tomorrow", "Tomorrow's move (teacher)"
    DEBRIEF_BRIEF = "debrief_brief", "Brief before a debrief (coach)"
    REVISIT_OVERDUE = "revisit_overdue", "Overdue revisit (coach)"
    WEEKLY_DIGEST = "weekly_digest", "Weekly caseload digest (principal)"


class Reminder(models.Model):
    """An email reminder, recorded before it is sent so that it goes out at most once: the
    key names what it is about (a move's due date, a debrief, a revisit, a school's week)."""

    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    key = models.CharField(max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    email = models.EmailField()
    subject = models.CharField(max_length=200)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "email"],
                name="reminder_at_most_once",
                violation_error_message="This reminder has already been sent.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="reminder_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.email} ({self.key})"
