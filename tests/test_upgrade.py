"""An existing database upgrades with no data change: one made by ``seed_demo`` at the schema
before the coaching app was split (tests/upgrade_steps.py) migrates forward, and every table
keeps its count; the reminders' table moves to the notifications app with every row. Run on the
database the suite runs on: SQLite by default, PostgreSQL when DATABASE_URL names it."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from tests.conftest import ROOT
from tests.upgrade_steps import BOOKKEEPING, REMINDERS

pytestmark = pytest.mark.slow
# Tables renamed by the split: the old name and the new.
MOVED = {"coaching_reminder": "notifications_reminder"}


@pytest.fixture
def database_url(tmp_path):
    """A new, empty database of the suite's engine, dropped afterwards."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    import psycopg2

    name = f"upgrade_{uuid.uuid4().hex[:12]}"
    server = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"]}
    admin = psycopg2.connect(dbname="postgres", password=db["PASSWORD"], **server)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}:{db['PASSWORD']}@{server['host']}:{server['port']}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _step(step: str, database_url: str) -> dict | None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        # Jobs a step enqueues stay in its process: no worker runs them here.
        "CELERY_BROKER_URL": "memory://",
        "CELERY_RESULT_BACKEND": "cache+memory://",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.upgrade_steps", step],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout) if step == "count" else None


def test_a_seeded_database_from_before_the_split_upgrades_with_every_row(database_url):
    _step("before", database_url)
    before = _step("count", database_url)
    _step("after", database_url)
    after = _step("count", database_url)

    expected = {MOVED.get(table, table): n for table, n in before["counts"].items()}
    assert after["counts"] == expected
    assert not BOOKKEEPING & set(after["counts"])
    # Real data on both sides: the demo's cycles, and the reminders under their new model.
    assert before["counts"]["coaching_coachingcycle"] > 0
    assert before["reminders"] is None  # the table did not exist under its new name
    assert after["reminders"] == sorted([list(reminder) for reminder in REMINDERS])
