from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from config.schedules import PERIODIC_TASKS


class Command(BaseCommand):
    help = (
        "Install the periodic jobs defined in config/schedules.py into django-celery-beat. "
        "Jobs already installed keep the timing and pause an administrator gave them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put the timings of config/schedules.py back over an administrator's changes.",
        )

    @transaction.atomic
    def handle(self, *args, reset: bool = False, **options) -> None:
        for name, spec in PERIODIC_TASKS.items():
            # One kind of schedule per job: an administrator's solar or clocked one is
            # replaced on --reset.
            schedule: dict = {"interval": None, "crontab": None, "solar": None, "clocked": None}
            if "every_seconds" in spec:
                schedule["interval"], _ = IntervalSchedule.objects.get_or_create(
                    every=spec["every_seconds"], period=IntervalSchedule.SECONDS
                )
            else:
                schedule["crontab"], _ = CrontabSchedule.objects.get_or_create(**spec["crontab"])
            # The code owns which task a job runs and its description; the timing is the
            # administrator's once installed, unless --reset.
            owned = {"task": spec["task"], "description": spec.get("description", "")}
            task = PeriodicTask.objects.filter(name=name).first()
            if task is None:
                task = PeriodicTask.objects.create(name=name, **owned, **schedule)
                if spec.get("run_at_start"):
                    # A start time makes django-celery-beat run a never-run job at once
                    # instead of one interval after beat starts.
                    task.start_time = timezone.now()
                    task.save(update_fields=["start_time"])
                self.stdout.write(f"installed: {name} -> {spec['task']}")
                continue
            for field, value in {**owned, **(schedule if reset else {})}.items():
                setattr(task, field, value)
            task.save()
            self.stdout.write(f"{'reset' if reset else 'kept'}: {name} -> {spec['task']}")
