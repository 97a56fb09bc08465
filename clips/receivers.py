"""Signal receivers of clips: a clip's files go with its row, however the row goes (the
teacher's delete, the admin, or a cascade when its cycle or teacher is deleted)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from clips.models import Clip


@receiver(post_delete, sender=Clip, dispatch_uid="clips.clip_files_removed")
def clip_files_removed(sender, instance: Clip, using: str, **kwargs) -> None:
    """Remove the stored video, poster and any partial upload once the deletion commits (a
    rolled-back deletion keeps them)."""
    from clips.services import clip_files_remove

    names = (instance.file.name, instance.poster.name)
    key = instance.upload_key
    transaction.on_commit(lambda: clip_files_remove(names=names, upload_key=key), using=using)
