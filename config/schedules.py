"""Periodic jobs, defined here in code and installed into django-celery-beat's tables by
`python manage.py install_schedules` (run by `make run` and on deploy).

Why django-celery-beat rather than a static beat_schedule: an administrator sees every job
under "Periodic tasks" in the admin, with when it last ran, and may pause it or change its
timing without a deploy; beat picks the change up by itself. `install_schedules` creates the
jobs that are missing and keeps what an administrator changed (timing, pause); `--reset`
puts the timings below back.

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
    "revisit scheduling": {
        "task": "coaching.tasks.revisits_schedule",
        "every_seconds": 60 * 60,
        "run_at_start": True,
        "description": "Every cycle under way gets its next revisit by the revisit rule "
        "(14/21/28 days after the last touch); revisits left undone 14 days past their date "
        "are recorded as missed.",
    },
    "context briefs": {
        "task": "coaching.tasks.context_briefs_sweep",
        "every_seconds": 15 * 60,
        "run_at_start": True,
        "description": "Queues a context brief for each debrief in the next 24 hours that has "
        "no fresh one (briefs are also queued when a debrief is scheduled).",
    },
    "email reminders": {
        "task": "notifications.tasks.reminders_send",
        "every_seconds": 15 * 60,
        "run_at_start": True,
        "description": "Tomorrow's move to teachers (evening before, school time), the brief "
        "link to coaches before a debrief, overdue revisits to coaches, and the weekly digest "
        "to principals. Each is sent at most once.",
    },
    "roster imports": {
        "task": "rosters.tasks.roster_imports_sweep",
        "every_seconds": 5 * 60,
        "run_at_start": True,
        "description": "Queues again a roster import whose job was lost (the broker was down "
        "when it was uploaded) and marks failed one whose worker stopped, so no progress bar "
        "waits for ever.",
    },
    "retention": {
        "task": "privacy.tasks.retention_apply",
        "every_seconds": 6 * 60 * 60,
        "run_at_start": True,
        "description": "In each district that keeps coaching content for a set number of "
        "years, erases the texts of the cycles closed before that (counts kept); "
        "Administration › Retention shows what the next run erases.",
    },
    "clip uploads": {
        "task": "clips.tasks.clip_uploads_sweep",
        "every_seconds": 60 * 60,
        "run_at_start": True,
        "description": "Removes video uploads left unfinished for 24 hours (with their partial "
        "files), queues again the processing of clips whose job was lost (15 minutes without "
        "news, a few times) and marks failed those still not ready after 2 hours.",
    },
}
