from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from config.schedules import PERIODIC_TASKS


class Command(BaseCommand):
    help = "Install the periodic jobs defined in config/schedules.py into django-celery-beat."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        for name, spec in PERIODIC_TASKS.items():
            schedule: dict = {"interval": None, "crontab": None}
            if "every_seconds" in spec:
                schedule["interval"], _ = IntervalSchedule.objects.get_or_create(
                    every=spec["every_seconds"], period=IntervalSchedule.SECONDS
                )
            else:
                schedule["crontab"], _ = CrontabSchedule.objects.get_or_create(**spec["crontab"])
            task, created = PeriodicTask.objects.update_or_create(
                name=name,
                defaults={
                    "task": spec["task"],
                    "description": spec.get("description", ""),
                    **schedule,
                },
            )
            if created and spec.get("run_at_start"):
                # A start time makes django-celery-beat run a never-run job at once instead of
                # one interval after beat starts.
                task.start_time = timezone.now()
                task.save(update_fields=["start_time"])
            self.stdout.write(f"{'installed' if created else 'updated'}: {name} -> {spec['task']}")
