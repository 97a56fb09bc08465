# Reminders moved to the notifications app. The table is renamed, not copied: every row stays
# as it is (notifications/migrations/0001_initial.py takes the model over in Django's state).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0009_revisit_off_rule_reason_and_session_follow_up"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="reminder", table="notifications_reminder"),
            ],
            state_operations=[
                migrations.DeleteModel(name="Reminder"),
            ],
        ),
    ]
