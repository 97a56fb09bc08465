from core.models import Heartbeat

HEARTBEAT_NAME = "worker"


def heartbeat_latest() -> Heartbeat | None:
    return Heartbeat.objects.filter(name=HEARTBEAT_NAME).first()
