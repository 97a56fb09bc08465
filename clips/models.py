"""Video clips of a lesson on a coaching cycle, and comments pinned to a time in them.

A clip is coaching content: only the cycle's teacher and their coach watch it, and the
principal(s) of the teacher's school once the teacher shares it (clips/access.py). The file and
its poster live on the "clips" storage (settings STORAGES) under random names; they are served
only through a permission check (clips/views.py), never from a public URL.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from clips.storage import clip_storage


class ClipStatus(models.TextChoices):
    UPLOADING = "uploading", "Uploading"
    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


# Accepted containers: extension -> (declared content types, the type the file is served with).
CLIP_TYPES: dict[str, tuple[tuple[str, ...], str]] = {
    "mp4": (("video/mp4", "application/mp4"), "video/mp4"),
    "m4v": (("video/mp4", "video/x-m4v"), "video/mp4"),
    "mov": (("video/quicktime", "video/mp4"), "video/quicktime"),
    "webm": (("video/webm", "audio/webm"), "video/webm"),
}
CONTENT_TYPES = tuple(sorted({served for _, served in CLIP_TYPES.values()}))


def _random_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


class Clip(models.Model):
    cycle = models.ForeignKey(
        "coaching.CoachingCycle", on_delete=models.CASCADE, related_name="clips"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="clips"
    )
    title = models.CharField(max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=40, choices=[(t, t) for t in CONTENT_TYPES])
    size_bytes = models.BigIntegerField(help_text="Declared before the first byte.")
    received_bytes = models.BigIntegerField(default=0)
    upload_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=12, choices=ClipStatus.choices, default=ClipStatus.UPLOADING
    )
    failure_reason = models.CharField(max_length=300, blank=True)
    file = models.FileField(storage=clip_storage, upload_to="", blank=True, max_length=200)
    poster = models.FileField(storage=clip_storage, upload_to="", blank=True, max_length=200)
    duration_seconds = models.FloatField(null=True, blank=True)
    shared_with_principal = models.BooleanField(default=False)
    shared_at = models.DateTimeField(null=True, blank=True)
    process_attempts = models.PositiveSmallIntegerField(default=0)
    processing_since = models.DateTimeField(
        null=True, blank=True, help_text="When the upload finished and processing was queued."
    )
    source_modified = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="The chosen file's lastModified (ms), part of the key to resume an upload.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_activity = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "last_activity"])]
        constraints = [
            models.CheckConstraint(condition=Q(size_bytes__gt=0), name="clip_size_positive"),
            models.CheckConstraint(
                condition=Q(received_bytes__gte=0) & Q(received_bytes__lte=F("size_bytes")),
                name="clip_received_within_size",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClipStatus.values), name="clip_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=CONTENT_TYPES), name="clip_content_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__isnull=True) | Q(duration_seconds__gte=0),
                name="clip_duration_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return self.original_name.rsplit(".", 1)[-1].lower() if "." in self.original_name else ""

    @property
    def progress_percent(self) -> int:
        return int(self.received_bytes * 100 / self.size_bytes) if self.size_bytes else 0

    @property
    def is_ready(self) -> bool:
        return self.status == ClipStatus.READY


class ClipComment(models.Model):
    """A comment pinned to a moment of the clip, tagged with at most one of: the cycle's
    agreed move, or a piece of student evidence from the cycle's observations."""

    clip = models.ForeignKey(Clip, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at_seconds = models.FloatField()
    body = models.TextField(max_length=2000)
    agreed_move = models.ForeignKey(
        "coaching.AgreedMove", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evidence = models.ForeignKey(
        "observations.StudentEvidence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at_seconds", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(at_seconds__gte=0), name="clip_comment_at_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(agreed_move__isnull=True) | Q(evidence__isnull=True),
                name="clip_comment_at_most_one_tag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at_label}: {self.body[:40]}"

    @property
    def at_label(self) -> str:
        whole = int(self.at_seconds)
        return f"{whole // 60}:{whole % 60:02d}"
