"""Evidence from classroom visits: about students, not about the teacher.

An observation belongs to a teacher and (usually) to a coaching cycle. The cycle lives in the
higher `coaching` app, so it is referenced lazily by string and never imported here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


def _client_id_field() -> models.UUIDField:
    """The id the live-observation page gives an entry, so a resent entry is stored once."""
    return models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Set by the live-observation page so a resent entry is stored once.",
    )


class Observation(models.Model):
    teacher = models.ForeignKey(
        "teachers.Teacher", on_delete=models.CASCADE, related_name="observations"
    )
    cycle = models.ForeignKey(
        "coaching.CoachingCycle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    focus = models.CharField(max_length=200, blank=True, help_text="What to look for in students.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-scheduled_for", "-id"]
        indexes = [
            models.Index(fields=["teacher", "started_at"]),
            models.Index(fields=["cycle", "started_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(scheduled_for__isnull=False) | Q(started_at__isnull=False),
                name="observation_has_a_time",
                violation_error_message="Give the time the visit is planned for or started.",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True)
                | (Q(started_at__isnull=False) & Q(ended_at__gte=F("started_at"))),
                name="observation_ends_after_start",
                violation_error_message="A visit cannot end before it started.",
            ),
        ]

    def __str__(self) -> str:
        when = self.started_at or self.scheduled_for
        return f"{self.teacher} — {when:%Y-%m-%d %H:%M}" if when else str(self.teacher)

    @property
    def is_done(self) -> bool:
        return self.started_at is not None

    def clean(self) -> None:
        super().clean()
        if self.cycle_id and self.teacher_id and self.cycle.teacher_id != self.teacher_id:
            raise ValidationError({"cycle": "This cycle belongs to another teacher."})


class ObservationNote(models.Model):
    """A timestamped note taken during the visit (confidential to coach and teacher)."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="notes")
    noted_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()
    client_id = _client_id_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["noted_at", "id"]

    def __str__(self) -> str:
        return f"{self.noted_at:%H:%M} {self.text[:40]}"


class Phase(models.TextChoices):
    BEFORE_MOVE = "before_move", "Before the move"
    AFTER_MOVE = "after_move", "After the move"


# The most students a sweep counts (a lecture hall); the live page's field, its grid and the
# form's message all take it from here.
STUDENTS_PRESENT_MAX = 500


class EngagementSample(models.Model):
    """A sweep of the room: how many of the students present were engaged."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="engagement_samples"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    phase = models.CharField(max_length=12, choices=Phase.choices)
    engaged_count = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(STUDENTS_PRESENT_MAX)]
    )
    present_count = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(STUDENTS_PRESENT_MAX)]
    )
    client_id = _client_id_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["taken_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__in=Phase.values), name="engagement_phase_valid"
            ),
            models.CheckConstraint(
                condition=Q(present_count__gte=1),
                name="engagement_present_at_least_one",
                violation_error_message="At least one student must be present.",
            ),
            models.CheckConstraint(
                condition=Q(engaged_count__lte=F("present_count")),
                name="engagement_engaged_not_above_present",
                violation_error_message="Engaged students cannot outnumber the students present.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.engaged_count}/{self.present_count} {self.get_phase_display()}"

    @property
    def share(self) -> float:
        return self.engaged_count / self.present_count

    def clean(self) -> None:
        super().clean()
        if (
            self.engaged_count is not None
            and self.present_count is not None
            and self.engaged_count > self.present_count
        ):
            raise ValidationError(
                {"engaged_count": "Engaged students cannot outnumber the students present."}
            )


class EvidenceKind(models.TextChoices):
    SAID = "said", "Said"
    PRODUCED = "produced", "Produced"
    UNDERSTOOD = "understood", "Understood"


class StudentEvidence(models.Model):
    """What students said, produced or understood. Never a student's name."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="student_evidence"
    )
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    description = models.TextField(
        help_text="A short quote or description. Do not write students' names."
    )
    noted_at = models.DateTimeField(default=timezone.now)
    client_id = _client_id_field()
    components = models.ManyToManyField(
        "frameworks.Component",
        blank=True,
        related_name="student_evidence",
        help_text="Components of the district's active framework this evidence speaks to.",
    )
    history = HistoricalRecords(m2m_fields=[components])

    class Meta:
        ordering = ["noted_at", "id"]
        verbose_name_plural = "student evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="evidence_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:50]}"
