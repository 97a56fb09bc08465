"""Reads of the clips app. A fixed number of queries, whatever the number of clips."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from accounts.models import User
from clips.access import CHANGE, OWN, VIEW, clips_for, cycles_for_clips, reads_cycle_content
from clips.models import Clip, ClipComment
from coaching.models import CoachingCycle


@dataclass
class CycleClips:
    cycle: CoachingCycle
    clips: list[Clip]
    may_upload: bool


def cycle_clips(*, user: User, cycle: CoachingCycle) -> CycleClips:
    """The clips of ``cycle`` that ``user`` may watch, newest first, and whether they may add."""
    clips = list(
        clips_for(user, VIEW)
        .filter(cycle=cycle)
        .select_related("uploaded_by")
        .annotate(comment_count=Count("comments"))
        .order_by("-created_at", "-id")
    )
    may_upload = cycles_for_clips(user, CHANGE).filter(pk=cycle.pk).exists()
    return CycleClips(cycle=cycle, clips=clips, may_upload=may_upload)


def clip_comments(*, clip: Clip) -> QuerySet[ClipComment]:
    return clip.comments.select_related("author", "agreed_move__move", "evidence").order_by(
        "at_seconds", "created_at", "id"
    )


@dataclass
class ClipPermissions:
    comment: bool
    own: bool
    tags_readable: bool


def clip_permissions(*, user: User, clip: Clip) -> ClipPermissions:
    return ClipPermissions(
        comment=clips_for(user, CHANGE).filter(pk=clip.pk).exists(),
        own=clips_for(user, OWN).filter(pk=clip.pk).exists(),
        tags_readable=reads_cycle_content(user, clip.cycle),
    )


def shared_clips(*, user: User) -> list[Clip]:
    """Clips their teachers shared, among those the user may watch, newest first."""
    return list(
        clips_for(user, VIEW)
        .filter(shared_with_principal=True)
        .select_related("cycle__teacher__school", "uploaded_by")
        .annotate(comment_count=Count("comments"))
        .order_by("-shared_at", "-id")[:200]
    )
