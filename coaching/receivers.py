"""Two kinds of receivers.

Data versions (core.page_cache): any change to a school's data gives that school a new
version, so cached pages that show it are rendered afresh; changes to who may see what (roles,
caseloads, a teacher's sign-in) give the people concerned a new version too, and the move
library, schools and districts the global one.

Context briefs: any change to what a brief shows (evidence, visits, sessions, debriefs, the
agreed move, revisits, the teacher's reflections, the teacher's profile) marks the brief of
that cycle stale and queues a rebuild (services.context_brief_mark_stale).

Signals, because the evidence lives in lower apps (observations, teachers) that must not call
up into coaching; they also catch changes made in the admin. Connected in CoachingConfig.ready.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from accounts.models import User
from coaching import services
from coaching.models import (
    AgreedMove,
    Assessment,
    CoachingCycle,
    CoachingSession,
    Debrief,
    Move,
    PersistentProblem,
    Reflection,
    Revisit,
    TimeEntry,
)
from core import page_cache
from frameworks.models import Component, Domain, Framework, PerformanceLevel
from observations.models import EngagementSample, Observation, ObservationNote, StudentEvidence
from teachers.models import (
    CaseloadAssignment,
    District,
    Membership,
    NonSchoolDay,
    School,
    Teacher,
)

# --- Data versions ------------------------------------------------------------------------------

# The way from a row to its teacher's school (TimeEntry: the school it was logged at).
SCHOOL_PATHS = {
    Teacher: "school_id",
    CaseloadAssignment: "teacher__school_id",
    PersistentProblem: "teacher__school_id",
    Assessment: "teacher__school_id",
    CoachingCycle: "teacher__school_id",
    Observation: "teacher__school_id",
    ObservationNote: "observation__teacher__school_id",
    EngagementSample: "observation__teacher__school_id",
    StudentEvidence: "observation__teacher__school_id",
    AgreedMove: "cycle__teacher__school_id",
    CoachingSession: "cycle__teacher__school_id",
    Revisit: "cycle__teacher__school_id",
    Debrief: "session__cycle__teacher__school_id",
    Reflection: "cycle__teacher__school_id",
    TimeEntry: "school_id",
    # A holiday or break moves the school days that revisits, plans and overdue figures count.
    NonSchoolDay: "school_id",
}
# Whose reach a row defines: they get a new version with their schools.
USER_FIELDS = {Teacher: "user_id", CaseloadAssignment: "coach_id", Membership: "user_id"}
# Rows every page may show or that change whole districts.
GLOBAL_MODELS = (Move, School, District)
# A district's framework (imported, activated, edited in the admin) changes the component
# tables of every dashboard and teacher page of the district: the global version.
FRAMEWORK_MODELS = (Framework, Domain, Component, PerformanceLevel)


def _scopes_of(sender, instance) -> set[str]:
    scopes: set[str] = set()
    if sender in GLOBAL_MODELS:
        scopes.add(page_cache.GLOBAL)
    path = SCHOOL_PATHS.get(sender)
    if path is not None:
        direct = getattr(instance, path, None) if "__" not in path else None
        if direct is None:
            direct = (
                sender._default_manager.filter(pk=instance.pk).values_list(path, flat=True).first()
            )
        if direct is not None:
            scopes.add(page_cache.school_scope(direct))
    if sender is Membership:
        if instance.school_id is not None:
            scopes.add(page_cache.school_scope(instance.school_id))
        else:  # district-wide: every school of the district
            scopes.add(page_cache.GLOBAL)
    user_field = USER_FIELDS.get(sender)
    if user_field and getattr(instance, user_field, None) is not None:
        scopes.add(page_cache.user_scope(getattr(instance, user_field)))
    old = getattr(instance, "_versions_before", None)
    if old:
        scopes |= old
    return scopes


def _user_changed(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """A person's name or address shows on other people's pages (a coach's name on the
    dashboards): their schools get a new version. Signing in (which only sets last_login)
    changes nothing shown."""
    if raw or not page_cache.enabled():
        return
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    school_ids = School.objects.filter(
        Q(memberships__user=instance) | Q(teachers__user=instance)
    ).values_list("id", flat=True)
    page_cache.data_versions_bump(scopes={page_cache.school_scope(pk) for pk in school_ids})


def _remember_before(sender, instance, raw=False, **kwargs) -> None:
    """Before a teacher, membership or caseload row changes: the scopes it had (a teacher
    moved to another school, a caseload handed to another coach)."""
    if raw or instance.pk is None or not page_cache.enabled():
        return
    before = sender._default_manager.filter(pk=instance.pk).first()
    instance._versions_before = _scopes_of(sender, before) if before is not None else set()


def _data_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or not page_cache.enabled():
        return
    page_cache.data_versions_bump(scopes=_scopes_of(sender, instance))


def _framework_changed(sender, instance, raw=False, created=False, **kwargs) -> None:
    if raw or not page_cache.enabled():
        return
    if sender is Framework and created and not instance.is_active:
        return  # a new inactive framework (an import) shows on no cached page yet
    page_cache.data_versions_bump(scopes={page_cache.GLOBAL})


_TAG_ACTIONS = {"post_add", "post_remove", "post_clear", "pre_clear"}


def _move_tags_changed(sender, instance, action, **kwargs) -> None:
    """A library move's components: the move library is on every page (global version)."""
    if action in _TAG_ACTIONS and page_cache.enabled():
        page_cache.data_versions_bump(scopes={page_cache.GLOBAL})


def _evidence_tags_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs) -> None:
    """Evidence tagged or untagged: the schools of the evidence concerned."""
    if action not in _TAG_ACTIONS or not page_cache.enabled():
        return
    if reverse:  # from the component's side: the evidence rows are in pk_set (None on clear)
        evidence = StudentEvidence.objects.filter(
            **({"pk__in": pk_set} if pk_set is not None else {"components": instance})
        )
    else:
        evidence = StudentEvidence.objects.filter(pk=instance.pk)
    school_ids = evidence.values_list("observation__teacher__school_id", flat=True).distinct()
    page_cache.data_versions_bump(scopes={page_cache.school_scope(pk) for pk in school_ids})


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


def _teacher_changed(sender, instance, raw=False, created=False, **kwargs) -> None:
    # A teacher just created has no cycles yet, so no brief to mark (roster imports create
    # thousands).
    if not raw and not created:
        services.context_brief_mark_stale(teacher_id=instance.pk)


def connect() -> None:
    for model in (*SCHOOL_PATHS, *GLOBAL_MODELS, Membership):
        uid = f"versions-{model._meta.label}"
        post_save.connect(_data_changed, sender=model, dispatch_uid=uid)
        # Before the row goes, while the way to its school still exists.
        pre_delete.connect(_data_changed, sender=model, dispatch_uid=uid)
    post_save.connect(_user_changed, sender=User, dispatch_uid="versions-user-schools")
    for model in FRAMEWORK_MODELS:
        uid = f"versions-{model._meta.label}"
        post_save.connect(_framework_changed, sender=model, dispatch_uid=uid)
        pre_delete.connect(_framework_changed, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        _move_tags_changed, sender=Move.components.through, dispatch_uid="versions-move-tags"
    )
    m2m_changed.connect(
        _evidence_tags_changed,
        sender=StudentEvidence.components.through,
        dispatch_uid="versions-evidence-tags",
    )
    for model in USER_FIELDS:
        pre_save.connect(_remember_before, sender=model, dispatch_uid=f"before-{model._meta.label}")
    for model in (AgreedMove, CoachingSession, Debrief, Revisit, Observation, Reflection):
        for signal in (post_save, post_delete):
            signal.connect(_cycle_changed, sender=model, dispatch_uid=f"brief-{model.__name__}")
    for model in (ObservationNote, EngagementSample, StudentEvidence):
        for signal in (post_save, post_delete):
            signal.connect(
                _observation_changed, sender=model, dispatch_uid=f"brief-{model.__name__}"
            )
    post_save.connect(_teacher_changed, sender=Teacher, dispatch_uid="brief-Teacher")
