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


class JobRun(models.Model):
    """The last run of each periodic job, written by the job itself: operators and the health
    page see that scheduled work really happens, and what it did (counts only, no content)."""

    name = models.CharField(max_length=100, unique=True)
    runs = models.PositiveBigIntegerField(default=0)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
