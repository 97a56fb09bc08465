# The Reminder model, moved here from coaching with its table (renamed by
# coaching/migrations/0010_reminder_moves_to_notifications.py): this migration changes Django's
# state only. A new database gets the table from coaching's migrations, then the rename.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("coaching", "0010_reminder_moves_to_notifications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Reminder",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("move_tomorrow", "Tomorrow's move (teacher)"),
                                    ("debrief_brief", "Brief before a debrief (coach)"),
                                    ("revisit_overdue", "Overdue revisit (coach)"),
                                    ("weekly_digest", "Weekly caseload digest (principal)"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("key", models.CharField(max_length=100)),
                        ("email", models.EmailField(max_length=254)),
                        ("subject", models.CharField(max_length=200)),
                        ("claimed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "recipient",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminders",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-claimed_at"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("kind", "key", "email"),
                                name="reminder_at_most_once",
                                violation_error_message="This reminder has already been sent.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "kind__in",
                                        [
                                            "move_tomorrow",
                                            "debrief_brief",
                                            "revisit_overdue",
                                            "weekly_digest",
                                        ],
                                    )
                                ),
                                name="reminder_kind_valid",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
