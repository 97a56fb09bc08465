from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class User(AbstractUser):
    """A person who signs in. Roles come from teachers.Membership, not from this model."""

    sourced_id = models.CharField(
        "OneRoster sourcedId",
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        help_text="Set by roster imports (rosters app): the person's id in the OneRoster files.",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_unique_ci",
                violation_error_message="Another account already uses this email address.",
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        return self.display_name


class CalendarFeed(models.Model):
    """A person's private calendar feed (notifications.views): the URL carries a secret
    token, and only its SHA-256 is stored, so the link is shown once, when it is made, and a
    leaked database holds no working link. Renewing replaces the hash: the old link stops
    working at once. One feed per person."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="SHA-256 of the secret token, hex. The token itself is never stored.",
    )
    created_at = models.DateTimeField(
        default=timezone.now, help_text="When the current link was made (renewing resets it)."
    )

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
