"""A roster import: one OneRoster bundle uploaded (or given to the command), checked, and
either only compared with the data (a dry run) or applied."""

from django.conf import settings
from django.db import models


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


FINISHED = (ImportStatus.DONE, ImportStatus.FAILED)


class RosterImport(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roster_imports",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    district = models.ForeignKey(
        "teachers.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roster_imports",
        help_text="The district imported into; empty: a new district from the bundle "
        "(superusers only), filled in once it is applied.",
    )
    file_name = models.CharField(max_length=255)
    # The upload reduced to what the import reads (rosters.oneroster.scrub_bundle: no student
    # or other skipped row, no other file), so the worker reads it from the database and
    # "Apply" reruns the same bytes. Emptied once the import is applied or refused, and a dry
    # run's after rosters.services.BUNDLE_KEPT_HOURS.
    file_data = models.BinaryField(blank=True)
    bundle_removed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the stored bundle was removed."
    )
    dry_run = models.BooleanField(default=True)
    source = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        help_text="The dry run this import applies.",
    )
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    rows = models.JSONField(
        default=list, blank=True, help_text="What changes (or would), row by row."
    )
    errors = models.JSONField(
        default=list, blank=True, help_text="Every problem found, by file, line and field."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["district", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values),
                name="rosterimport_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(processed__lte=models.F("total")),
                name="rosterimport_processed_within_total",
            ),
        ]

    def __str__(self) -> str:
        kind = "Dry run" if self.dry_run else "Import"
        return f"{kind} of {self.file_name} ({self.get_status_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED
