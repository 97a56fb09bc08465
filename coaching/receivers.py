"""Keeps stored context briefs honest: any change to what a brief shows (evidence, visits,
sessions, debriefs, the agreed move, revisits, the teacher's profile) marks the brief of that
cycle stale and queues a rebuild (services.context_brief_mark_stale).

Signals, because the evidence lives in lower apps (observations, teachers) that must not call
up into coaching; they also catch changes made in the admin. Connected in CoachingConfig.ready.
"""

from django.db.models.signals import post_delete, post_save

from coaching import services
from coaching.models import AgreedMove, CoachingSession, Debrief, Revisit
from observations.models import EngagementSample, Observation, ObservationNote, StudentEvidence
from teachers.models import Teacher


def _cycle_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata
        return
    if sender is Debrief:
        row = CoachingSession.objects.filter(pk=instance.session_id).values("cycle_id").first()
        cycle_id = row["cycle_id"] if row else None
    else:
        cycle_id = instance.cycle_id
    if cycle_id is not None:
        services.context_brief_mark_stale(cycle_id=cycle_id)


def _observation_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        services.context_brief_mark_stale(observation_id=instance.observation_id)


def _teacher_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        services.context_brief_mark_stale(teacher_id=instance.pk)


def connect() -> None:
    for model in (AgreedMove, CoachingSession, Debrief, Revisit, Observation):
        for signal in (post_save, post_delete):
            signal.connect(_cycle_changed, sender=model, dispatch_uid=f"brief-{model.__name__}")
    for model in (ObservationNote, EngagementSample, StudentEvidence):
        for signal in (post_save, post_delete):
            signal.connect(
                _observation_changed, sender=model, dispatch_uid=f"brief-{model.__name__}"
            )
    post_save.connect(_teacher_changed, sender=Teacher, dispatch_uid="brief-Teacher")
