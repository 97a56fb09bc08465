from core.models import Heartbeat, JobRun

HEARTBEAT_NAME = "worker"


def heartbeat_latest() -> Heartbeat | None:
    return Heartbeat.objects.filter(name=HEARTBEAT_NAME).first()


def job_runs() -> list[JobRun]:
    return list(JobRun.objects.order_by("name"))
