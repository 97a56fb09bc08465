"""Frameworks a district coaches against (Danielson, TNTP Core, a home-grown rubric):
domains, their components, and the performance levels.

A district may keep several frameworks but coaches against ONE active framework at a time.
Library moves (coaching) and student evidence (observations) are tagged with components; those
higher apps point here, never the other way round.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q


class Framework(models.Model):
    district = models.ForeignKey(
        "teachers.District", on_delete=models.CASCADE, related_name="frameworks"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(
        default=False, help_text="The framework the district coaches against (one at a time)."
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district"],
                condition=Q(is_active=True),
                name="framework_one_active_per_district",
                violation_error_message="The district already has an active framework.",
            ),
            models.UniqueConstraint(
                fields=["district", "name"],
                name="framework_unique_name_per_district",
                violation_error_message="The district already has a framework with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Domain(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="domain_unique_code_per_framework",
                violation_error_message="This framework already has a domain with this code.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Component(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="components")
    code = models.CharField(max_length=20, help_text="Unique within the framework, e.g. “1a”.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["domain__framework", "domain__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "code"],
                name="component_unique_code_per_domain",
                violation_error_message="This domain already has a component with this code.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """A component's code is unique within the whole framework, not only its domain."""
        super().clean()
        if self.domain_id and self.code:
            clash = Component.objects.filter(
                domain__framework_id=self.domain.framework_id, code=self.code
            ).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"code": f"This framework already has a component “{self.code}”."}
                )


class PerformanceLevel(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)], help_text="1 is the lowest level."
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "rank"],
                name="level_unique_rank_per_framework",
                violation_error_message="This framework already has a level with this rank.",
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1),
                name="level_rank_positive",
                violation_error_message="A level's rank is a whole number from 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank} {self.name}"
