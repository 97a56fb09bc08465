"""Steps of the upgrade test (tests/test_upgrade.py), each run in its own process against the
database that DATABASE_URL names: ``python -m tests.upgrade_steps <step>``.

- ``before``: migrate to the schema before the coaching app was split (PRE_SPLIT), run
  ``seed_demo`` and record reminders the way that schema stored them;
- ``after``: migrate to the latest schema;
- ``count``: print every table's row count, and the reminders as the models read them, as JSON.
"""

import json
import os
import sys

import django

# The last migration of each app before the split; None: the app did not exist yet.
PRE_SPLIT = {
    "coaching": "0009_revisit_off_rule_reason_and_session_follow_up",
    "notifications": None,
}
# Tables Django itself fills on every migrate (the new app's content type and permissions).
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}
REMINDERS = [
    ("move_tomorrow", "move:1:2026-03-09", "teacher@example.org", "Your move tomorrow"),
    ("weekly_digest", "digest:1:2026-W10", "principal@example.org", "Your week"),
]


def _before() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    targets = []
    for app, name in executor.loader.graph.leaf_nodes():
        if app not in PRE_SPLIT:
            targets.append((app, name))
        elif PRE_SPLIT[app]:
            targets.append((app, PRE_SPLIT[app]))
    executor.migrate(targets)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id) FROM accounts_user")
        (user_id,) = cursor.fetchone()
        for kind, key, email, subject in REMINDERS:
            cursor.execute(
                "INSERT INTO coaching_reminder"
                " (kind, key, recipient_id, email, subject, claimed_at, sent_at)"
                " VALUES (%s, %s, %s, %s, %s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                [kind, key, user_id, email, subject],
            )


def _after() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _count() -> None:
    from django.db import connection

    from notifications.models import Reminder

    tables = sorted(set(connection.introspection.table_names()) - BOOKKEEPING)
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    reminders = (
        sorted(Reminder.objects.values_list("kind", "key", "email", "subject"))
        if "notifications_reminder" in tables
        else None
    )
    json.dump({"counts": counts, "reminders": reminders}, sys.stdout)


if __name__ == "__main__":
    django.setup()
    {"before": _before, "after": _after, "count": _count}[sys.argv[1]]()
