from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from config.schedules import PERIODIC_TASKS

pytestmark = pytest.mark.django_db


def test_install_schedules_installs_every_job_once_even_when_run_twice():
    call_command("install_schedules", stdout=StringIO())
    call_command("install_schedules", stdout=StringIO())

    installed = {t.name: t for t in PeriodicTask.objects.all()}
    assert set(installed) == set(PERIODIC_TASKS)
    for name, spec in PERIODIC_TASKS.items():
        assert installed[name].task == spec["task"]
        if "every_seconds" in spec:
            assert installed[name].interval.every == spec["every_seconds"]


def test_install_schedules_restores_a_retimed_job_and_keeps_it_paused():
    call_command("install_schedules", stdout=StringIO())
    task = PeriodicTask.objects.get(name="worker heartbeat")
    task.task = "core.tasks.something_else"
    task.enabled = False
    task.save()

    call_command("install_schedules", stdout=StringIO())

    task.refresh_from_db()
    assert task.task == "core.tasks.heartbeat"
    assert task.enabled is False  # an administrator's pause is kept
