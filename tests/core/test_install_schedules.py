"""install_schedules puts config/schedules.py into django-celery-beat's tables: every job once;
a new job runs at once when beat starts (start_time) if it says run_at_start; an installed job
keeps the timing and the pause an administrator gave it, unless --reset, while the task it runs
and its description always come back from the code."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django_celery_beat.models import (
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from config.schedules import PERIODIC_TASKS

pytestmark = pytest.mark.django_db

INSTALLED_AT = datetime.datetime(2026, 3, 2, 14, 0, tzinfo=datetime.UTC)
JOB = "email reminders"


def _install(*args: str) -> str:
    out = StringIO()
    call_command("install_schedules", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def installed() -> PeriodicTask:
    with time_machine.travel(INSTALLED_AT, tick=False):
        _install()
    return PeriodicTask.objects.get(name=JOB)


def _seconds(task: PeriodicTask) -> int | None:
    task.refresh_from_db()
    return task.interval.every if task.interval else None


def test_install_schedules_installs_every_job_once_even_when_run_twice(installed):
    output = _install()

    assert PeriodicTask.objects.count() == len(PERIODIC_TASKS)
    installed_tasks = {t.name: t for t in PeriodicTask.objects.select_related("interval")}
    assert set(installed_tasks) == set(PERIODIC_TASKS)
    for name, spec in PERIODIC_TASKS.items():
        task = installed_tasks[name]
        assert task.task == spec["task"]
        assert task.description == spec.get("description", "")
        assert task.enabled is True
        assert (task.interval.every, task.interval.period) == (
            spec["every_seconds"],
            IntervalSchedule.SECONDS,
        )
        assert f"kept: {name} -> {spec['task']}" in output
    # One interval row per distinct timing, shared by the jobs that use it.
    timings = {spec["every_seconds"] for spec in PERIODIC_TASKS.values()}
    assert IntervalSchedule.objects.count() == len(timings)


def test_the_coaching_jobs_are_among_the_schedules():
    assert {name: spec["task"] for name, spec in PERIODIC_TASKS.items()} == {
        "worker heartbeat": "core.tasks.heartbeat",
        "revisit scheduling": "coaching.tasks.revisits_schedule",
        "context briefs": "coaching.tasks.context_briefs_sweep",
        "email reminders": "notifications.tasks.reminders_send",
        "roster imports": "rosters.tasks.roster_imports_sweep",
        "retention": "privacy.tasks.retention_apply",
        "clip uploads": "clips.tasks.clip_uploads_sweep",
    }


def test_a_new_job_that_runs_at_start_gets_a_start_time(installed):
    for task in PeriodicTask.objects.all():
        assert PERIODIC_TASKS[task.name].get("run_at_start")
        assert task.start_time == INSTALLED_AT


def test_a_new_job_without_run_at_start_has_no_start_time_and_can_use_a_crontab(monkeypatch):
    monkeypatch.setitem(
        PERIODIC_TASKS,
        "nightly",
        {"task": "core.tasks.heartbeat", "crontab": {"minute": "0", "hour": "3"}},
    )

    output = _install()

    task = PeriodicTask.objects.get(name="nightly")
    assert task.start_time is None
    assert task.interval is None
    assert (task.crontab.minute, task.crontab.hour) == ("0", "3")
    assert task.description == ""
    assert "installed: nightly -> core.tasks.heartbeat" in output


def test_an_installed_job_keeps_the_administrators_timing_and_pause(installed):
    installed.interval = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    installed.enabled = False
    installed.save()

    output = _install()

    installed.refresh_from_db()
    assert (installed.interval.every, installed.interval.period) == (5, IntervalSchedule.MINUTES)
    assert installed.enabled is False
    assert installed.start_time == INSTALLED_AT  # not moved by a second install
    assert f"kept: {JOB}" in output


def test_an_installed_job_keeps_a_crontab_the_administrator_chose(installed):
    installed.interval = None
    installed.crontab = CrontabSchedule.objects.create(minute="30", hour="6")
    installed.save()

    _install()

    installed.refresh_from_db()
    assert installed.interval is None
    assert (installed.crontab.minute, installed.crontab.hour) == ("30", "6")


def test_the_task_path_and_description_always_come_back_from_the_code(installed):
    installed.task = "core.tasks.something_else"
    installed.description = "Edited in the admin."
    installed.enabled = False
    installed.save()

    _install()

    installed.refresh_from_db()
    assert installed.task == PERIODIC_TASKS[JOB]["task"]
    assert installed.description == PERIODIC_TASKS[JOB]["description"]
    assert installed.enabled is False  # the pause is the administrator's


def test_reset_puts_the_codes_timing_back_and_keeps_the_pause(installed):
    installed.interval = None
    installed.crontab = CrontabSchedule.objects.create(minute="30", hour="6")
    installed.enabled = False
    installed.task = "core.tasks.something_else"
    installed.save()
    retimed = PeriodicTask.objects.get(name="revisit scheduling")
    retimed.interval = IntervalSchedule.objects.create(every=2, period=IntervalSchedule.HOURS)
    retimed.save()

    output = _install("--reset")

    installed.refresh_from_db()
    assert installed.crontab is None
    assert _seconds(installed) == PERIODIC_TASKS[JOB]["every_seconds"]
    assert installed.interval.period == IntervalSchedule.SECONDS
    assert installed.task == PERIODIC_TASKS[JOB]["task"]
    assert installed.enabled is False
    assert _seconds(retimed) == PERIODIC_TASKS["revisit scheduling"]["every_seconds"]
    assert f"reset: {JOB}" in output
    assert PeriodicTask.objects.count() == len(PERIODIC_TASKS)


def test_reset_replaces_a_solar_schedule_the_administrator_chose(installed):
    installed.interval = None
    installed.solar = SolarSchedule.objects.create(event="sunrise", latitude=40.7, longitude=-74)
    installed.save()

    _install("--reset")

    installed.refresh_from_db()
    assert installed.solar is None
    assert _seconds(installed) == PERIODIC_TASKS[JOB]["every_seconds"]
