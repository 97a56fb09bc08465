from django.db import models


class Heartbeat(models.Model):
    """Written by a periodic job on the Celery worker, so the health page can say that the
    beat scheduler and a worker are both alive."""

    name = models.CharField(max_length=100, unique=True)
    last_seen = models.DateTimeField()
    worker = models.CharField(max_length=200, blank=True)
    beats = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"
