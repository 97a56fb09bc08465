from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.selectors import heartbeat_latest, job_runs


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for operators and for `make run`: database reachable, when the worker last
    ran the heartbeat job that beat schedules, and what each periodic job last did (counts)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    beat = heartbeat_latest()
    age = (timezone.now() - beat.last_seen).total_seconds() if beat else None
    workers_ok = age is not None and age <= settings.HEARTBEAT_STALE_AFTER_SECONDS
    return JsonResponse(
        {
            "database": "ok",
            "worker_heartbeat_age_seconds": round(age, 1) if age is not None else None,
            "worker": "ok" if workers_ok else "silent",
            "heartbeats": beat.beats if beat else 0,
            "jobs": {
                run.name: {
                    "runs": run.runs,
                    "last_finished_at": run.last_finished_at.isoformat()
                    if run.last_finished_at
                    else None,
                    "last_result": run.last_result,
                }
                for run in job_runs()
            },
        }
    )
