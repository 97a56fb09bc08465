"""Periodic jobs, defined here in code and installed into django-celery-beat's tables by
`python manage.py install_schedules` (run by `make run` and on deploy). An administrator sees
them, and may pause or retime them, under "Periodic tasks" in the admin; running the command
again restores the definitions below for the jobs it owns.

Each entry: name -> {"task": dotted task name, "every_seconds": int} or {"task", "crontab": {...}};
"run_at_start": True runs a newly installed job as soon as beat starts.
"""

PERIODIC_TASKS: dict[str, dict] = {
    "worker heartbeat": {
        "task": "core.tasks.heartbeat",
        "every_seconds": 60,
        "run_at_start": True,
        "description": "Shows on /health/ that beat and a worker are alive.",
    },
}
