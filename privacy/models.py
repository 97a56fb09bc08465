"""The record of each erasure: who erased which teacher, when, and how many rows it changed.
It holds the teacher's id only, never a name or any text of theirs."""

from django.conf import settings
from django.db import models


class Erasure(models.Model):
    teacher = models.ForeignKey(
        "teachers.Teacher", on_delete=models.PROTECT, related_name="erasures"
    )
    district = models.ForeignKey(
        "teachers.District", on_delete=models.PROTECT, related_name="erasures"
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="erasures_made",
    )
    erased_by_username = models.CharField(
        max_length=150, help_text="Kept should the account that erased be removed later."
    )
    erased_at = models.DateTimeField()
    rows = models.JSONField(
        default=dict, help_text="Rows changed, removed or emptied, by kind of record."
    )

    class Meta:
        ordering = ["-erased_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["teacher"], name="erasure_once_per_teacher"),
        ]

    def __str__(self) -> str:
        return f"Teacher #{self.teacher_id} erased by {self.erased_by_username}"


class CycleErasure(models.Model):
    """A cycle whose texts the retention job erased (what was written: notes, evidence,
    reflections, scripts; clips and briefs removed), its counts kept."""

    cycle = models.OneToOneField(
        "coaching.CoachingCycle", on_delete=models.CASCADE, related_name="content_erasure"
    )
    district = models.ForeignKey(
        "teachers.District", on_delete=models.CASCADE, related_name="cycle_erasures"
    )
    erased_at = models.DateTimeField()
    rows = models.JSONField(default=dict, help_text="Rows emptied or removed, by kind.")

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"Texts of cycle #{self.cycle_id} erased (retention)"
