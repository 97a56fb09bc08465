"""Who may do what with clips, built on coaching.access (THE policy).

- ``VIEW`` (watch the clip, read its comments): the cycle's teacher, the teacher's current coach
  (the coaching caseload rule of ``cycles_for(..., CHANGE)``), superusers; and the principal(s)
  of the teacher's school, only once the teacher shared the clip.
- ``CHANGE`` (upload to the cycle, comment): the teacher (their own cycle) or the coach.
- ``OWN`` (share, stop sharing, delete for good): the teacher only.

A comment's tag (the move, a piece of student evidence) is coaching content: it shows only to
whoever READs the cycle (coaching.access), never to a principal watching a shared clip of an
unshared cycle. Lookups raise Http404, never 403.
"""

from enum import StrEnum

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from clips.models import Clip
from coaching import access
from coaching.models import CoachingCycle
from teachers.models import Role


class ClipAction(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    OWN = "own"


VIEW, CHANGE, OWN = ClipAction.VIEW, ClipAction.CHANGE, ClipAction.OWN


def _anonymous(user: User) -> bool:
    return not user.is_authenticated or not user.is_active


def _cycles_q(user: User, action: ClipAction) -> Q:
    """Which cycles' clips ``user`` reaches for ``action``, before sharing."""
    own = Q(cycle__teacher__user=user)
    if action == OWN:
        return own
    coached = Q(cycle__in=access.cycles_for(user, access.CHANGE))
    return own | coached


def clips_for(user: User, action: ClipAction = VIEW) -> QuerySet[Clip]:
    if _anonymous(user):
        return Clip.objects.none()
    if user.is_superuser and action != OWN:
        return Clip.objects.all()
    reach = _cycles_q(user, action)
    if action == VIEW:
        principal_schools = access.schools_for(user, (Role.PRINCIPAL,)).values("id")
        reach |= Q(shared_with_principal=True, cycle__teacher__school_id__in=principal_schools)
    return Clip.objects.filter(reach)


def clip_get_for_user(*, user: User, clip_id: int, action: ClipAction = VIEW) -> Clip:
    return get_object_or_404(
        clips_for(user, action).select_related("cycle__teacher__school", "uploaded_by"),
        pk=clip_id,
    )


def cycles_for_clips(user: User, action: ClipAction = CHANGE) -> QuerySet[CoachingCycle]:
    """Cycles whose clips the user may add to (CHANGE: the teacher's own, the coach's)."""
    if _anonymous(user):
        return CoachingCycle.objects.none()
    if user.is_superuser:
        return CoachingCycle.objects.all()
    own = Q(teacher__user=user)
    if action == OWN:
        return CoachingCycle.objects.filter(own)
    return CoachingCycle.objects.filter(
        own | Q(pk__in=access.cycles_for(user, access.CHANGE).values("pk"))
    )


def cycle_for_clips_get(*, user: User, cycle_id: int) -> CoachingCycle:
    """The cycle's clips page: the teacher, the coach, or whoever may watch one of its clips
    (a principal, once a clip is shared); else 404."""
    cycle = (
        CoachingCycle.objects.select_related("teacher__school", "agreed_move__move")
        .filter(pk=cycle_id)
        .filter(
            Q(pk__in=cycles_for_clips(user, CHANGE).values("pk"))
            | Q(pk__in=clips_for(user, VIEW).values("cycle_id"))
        )
        .first()
    )
    if cycle is None:
        raise Http404("No clips here.")
    return cycle


def may(user: User, clip: Clip, action: ClipAction) -> bool:
    return clips_for(user, action).filter(pk=clip.pk).exists()


def reads_cycle_content(user: User, cycle: CoachingCycle) -> bool:
    """Whether tag contents (the move, student evidence) may show: READ on the cycle."""
    return access.cycles_for(user, access.READ).filter(pk=cycle.pk).exists()
