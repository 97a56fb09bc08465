from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.selectors import broker_unreadable_messages, heartbeat_status, job_runs


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for probes and for `make run`: the app answers and its database is reachable.

    Anyone gets ``{"status": "ok"}``. Signed-in staff also get the details: when the worker
    last ran the heartbeat job that beat schedules (and which worker), what each periodic job
    last did (counts), and on the embedded broker how many unreadable job messages it set
    aside."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return JsonResponse({"status": "ok"})
    beat = heartbeat_status()
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "worker": "ok" if beat.ok else "silent",
            "worker_last_heartbeat": beat.last_seen.isoformat() if beat.last_seen else None,
            "worker_heartbeat_age_seconds": round(beat.age_seconds, 1)
            if beat.age_seconds is not None
            else None,
            "worker_name": beat.worker or None,
            "heartbeats": beat.beats,
            # Embedded broker only: messages set aside in var/celery/unreadable/ (see the log).
            "unreadable_job_messages": broker_unreadable_messages(),
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
