"""The one access policy: which teachers, cycles and observations a user may see or change.

Every view, task and API asks this module, never the models directly. Three actions:

- ``VIEW``: process data: that a row exists, its dates, states, counts and outcomes.
  Coaches see their caseload, teachers themselves, principals their schools, district leaders
  and administrators their districts (or schools).
- ``READ``: the content of coaching: notes, evidence, reflections, scripts. Coaching is
  non-evaluative, so only the coach and the teacher read it, and a principal of the teacher's
  school only for a cycle the teacher chose to share.
- ``CHANGE``: write access: the coach whose caseload holds the teacher.

A coach's access follows the caseload, not authorship: when a teacher moves to another coach,
or the coach role ends, the former coach no longer reads that teacher's cycles.

Superusers (system operators) see and change everything. Inactive users see nothing.

The ``*_get_for_user`` helpers raise Http404 (never 403) so a row's existence is not revealed.
"""

from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import User
from coaching.models import AgreedMove, CoachingCycle, CoachingSession, Revisit, TimeEntry
from core import page_cache
from observations.models import Observation
from teachers.models import (
    CaseloadAssignment,
    Membership,
    NonSchoolDay,
    Role,
    School,
    Teacher,
)


class Action(StrEnum):
    VIEW = "view"
    READ = "read"
    CHANGE = "change"


VIEW, READ, CHANGE = Action.VIEW, Action.READ, Action.CHANGE


def _school_ids(user: User, roles: tuple[str, ...]) -> QuerySet:
    """Ids of the schools where the user holds one of ``roles`` (directly or district-wide)."""
    memberships = Membership.objects.filter(user=user, is_active=True, role__in=roles)
    return School.objects.filter(
        Q(id__in=memberships.filter(school__isnull=False).values("school_id"))
        | Q(district_id__in=memberships.filter(district__isnull=False).values("district_id"))
    ).values("id")


def _caseload_teacher_ids(user: User) -> QuerySet:
    """Teachers now on this coach's caseload, while the coach role at that school is active."""
    return CaseloadAssignment.objects.filter(
        coach=user,
        ended_on__isnull=True,
        teacher__school_id__in=_school_ids(user, (Role.COACH,)),
    ).values("teacher_id")


def _is_unrestricted(user: User) -> bool:
    return user.is_active and user.is_superuser


def _is_anonymous(user: User) -> bool:
    return not user.is_authenticated or not user.is_active


LEADER_ROLES = (Role.PRINCIPAL, Role.DISTRICT_LEADER, Role.ADMINISTRATOR)


def schools_for(user: User, roles: tuple[str, ...] = tuple(Role.values)) -> QuerySet[School]:
    """Schools where the user holds one of ``roles`` (any role by default). With
    ``LEADER_ROLES``: the schools whose process figures the user may see on a dashboard."""
    if _is_anonymous(user):
        return School.objects.none()
    if _is_unrestricted(user):
        return School.objects.all()
    return School.objects.filter(id__in=_school_ids(user, roles))


def calendar_schools_for(user: User) -> QuerySet[School]:
    """Schools whose calendar (school weekdays, holidays and breaks) the user may edit: a
    principal or administrator of the school, a district leader or administrator of its
    district, a superuser. Coaches and teachers read the dates the app proposes, never edit."""
    return schools_for(user, LEADER_ROLES)


def school_get_for_user(*, user: User, school_slug: str) -> School:
    """A school whose calendar the user may edit, or 404."""
    return get_object_or_404(
        calendar_schools_for(user).select_related("district"), slug=school_slug
    )


def non_school_day_get_for_user(*, user: User, school: School, day_id: int) -> NonSchoolDay:
    """A holiday or break of ``school`` whose calendar the user may edit, or 404."""
    return get_object_or_404(
        NonSchoolDay.objects.filter(school__in=calendar_schools_for(user)),
        school=school,
        pk=day_id,
    )


def teachers_for(user: User, action: Action = VIEW) -> QuerySet[Teacher]:
    if _is_anonymous(user):
        return Teacher.objects.none()
    if _is_unrestricted(user):
        return Teacher.objects.all()
    caseload = Q(id__in=_caseload_teacher_ids(user))
    if action == CHANGE:
        return Teacher.objects.filter(caseload)
    own = Q(user=user)
    if action == READ:
        return Teacher.objects.filter(own | caseload)
    return Teacher.objects.filter(own | caseload | Q(school_id__in=_school_ids(user, LEADER_ROLES)))


def cycles_for(user: User, action: Action = VIEW) -> QuerySet[CoachingCycle]:
    if _is_anonymous(user):
        return CoachingCycle.objects.none()
    if _is_unrestricted(user):
        return CoachingCycle.objects.all()
    caseload = Q(teacher_id__in=_caseload_teacher_ids(user))
    if action == CHANGE:
        return CoachingCycle.objects.filter(caseload)
    own = Q(teacher__user=user)
    if action == READ:
        shared = Q(
            shared_with_principal=True,
            teacher__school_id__in=_school_ids(user, (Role.PRINCIPAL,)),
        )
        return CoachingCycle.objects.filter(own | caseload | shared)
    return CoachingCycle.objects.filter(teacher_id__in=teachers_for(user, VIEW).values("id"))


def observations_for(user: User, action: Action = VIEW) -> QuerySet[Observation]:
    if _is_anonymous(user):
        return Observation.objects.none()
    if _is_unrestricted(user):
        return Observation.objects.all()
    caseload = Q(teacher_id__in=_caseload_teacher_ids(user))
    if action == CHANGE:
        return Observation.objects.filter(caseload)
    if action == READ:
        own = Q(teacher__user=user)
        readable_cycles = Q(cycle_id__in=cycles_for(user, READ).values("id"))
        return Observation.objects.filter(own | caseload | readable_cycles)
    return Observation.objects.filter(teacher_id__in=teachers_for(user, VIEW).values("id"))


def own_cycles_for(user: User) -> QuerySet[CoachingCycle]:
    """The cycles in which the user is the teacher being coached: their ``READ``, narrowed to
    their own. The teacher's own pages (My move, their cycle's record, reflecting, sharing) ask
    this, so a coach's caseload or a principal's shared cycles never show there."""
    if _is_anonymous(user):
        return CoachingCycle.objects.none()
    return cycles_for(user, READ).filter(teacher__user=user)


def own_cycle_get_for_user(*, user: User, cycle_id: int) -> CoachingCycle:
    """One of the user's own cycles as the teacher being coached, or 404 (another teacher's
    cycle, or one the user reads only as its coach or principal)."""
    return get_object_or_404(
        own_cycles_for(user).select_related(
            "teacher__school", "assessment", "agreed_move__move", "persistent_problem", "coach"
        ),
        pk=cycle_id,
    )


# What a principal of the teacher's school reads of a cycle the teacher shared (READ above:
# the cycle page; the observation page stays the coach's): said in these words, and only these,
# on the teacher's share switch and in docs/teacher-guide.md.
# tests/coaching/test_views_sharing.py checks that the principal's page shows exactly these
# kinds of content.
SHARED_CYCLE_PRINCIPAL_READS = (
    "Once you share a cycle, your principal can read its record: the problem you work on, the "
    "assessment, the agreed move and its script, the sessions and debriefs with their notes, "
    "each visit's engagement figures and student evidence, and your reflections, but not your "
    "coach's notes taken during visits or the context brief (video clips are shared one by one)."
)


def teacher_get_for_user(*, user: User, teacher_id: int, action: Action = VIEW) -> Teacher:
    return get_object_or_404(teachers_for(user, action).select_related("school"), pk=teacher_id)


def cycle_get_for_user(*, user: User, cycle_id: int, action: Action = VIEW) -> CoachingCycle:
    return get_object_or_404(
        cycles_for(user, action).select_related("teacher__school", "assessment", "coach"),
        pk=cycle_id,
    )


def observation_get_for_user(
    *, user: User, observation_id: int, action: Action = VIEW
) -> Observation:
    return get_object_or_404(
        observations_for(user, action).select_related("teacher", "cycle"), pk=observation_id
    )


def session_get_for_user(*, user: User, session_id: int, action: Action = VIEW) -> CoachingSession:
    """A coaching session whose cycle is inside the user's scope for ``action``, or 404."""
    return get_object_or_404(
        CoachingSession.objects.filter(cycle__in=cycles_for(user, action)).select_related(
            "cycle__teacher__school", "cycle__assessment"
        ),
        pk=session_id,
    )


def revisit_get_for_user(*, user: User, revisit_id: int, action: Action = VIEW) -> Revisit:
    """A revisit whose cycle is inside the user's scope for ``action``, or 404."""
    return get_object_or_404(
        Revisit.objects.filter(cycle__in=cycles_for(user, action)).select_related(
            "cycle__teacher__school"
        ),
        pk=revisit_id,
    )


def time_entry_get_for_user(*, user: User, entry_id: int) -> TimeEntry:
    """One of the user's own time entries, or 404: a coach sees and corrects only their own,
    and never an archived one."""
    return get_object_or_404(
        TimeEntry.objects.select_related("cycle__teacher", "school", "session", "observation"),
        pk=entry_id,
        coach_id=user.pk,
        archived_at__isnull=True,
    )


def revisits_for(user: User, action: Action = VIEW) -> QuerySet[Revisit]:
    """Revisits of the cycles inside the user's scope for ``action``."""
    return Revisit.objects.filter(cycle__in=cycles_for(user, action))


def agreed_moves_for(user: User, action: Action = READ) -> QuerySet[AgreedMove]:
    """Agreed moves of the cycles inside the user's scope for ``action``. The move made
    concrete (what to do, the script, the indicator) is coaching content: READ by default."""
    return AgreedMove.objects.filter(cycle__in=cycles_for(user, action))


def time_entries_for(user: User, action: Action = VIEW) -> QuerySet[TimeEntry]:
    """Time entries that count (never an archived one). ``CHANGE``: the user's own, as
    ``time_entry_get_for_user``: a coach sees and corrects only their own. ``VIEW`` adds, for
    principals, district leaders and administrators, the entries the dashboards count at the
    schools they lead (coaches with an active coach role at the entry's school)."""
    if _is_anonymous(user):
        return TimeEntry.objects.none()
    counted = TimeEntry.objects.filter(archived_at__isnull=True)
    own = Q(coach_id=user.pk)
    if action == CHANGE:
        return counted.filter(own)
    coaching_there = Exists(
        Membership.objects.filter(
            user_id=OuterRef("coach_id"),
            school_id=OuterRef("school_id"),
            role=Role.COACH,
            is_active=True,
        )
    )
    led = Q(school_id__in=schools_for(user, LEADER_ROLES).values("id")) & Q(coaching_there=True)
    return counted.alias(coaching_there=coaching_there).filter(own | led)


def data_scopes_for(user: User) -> list[str] | None:
    """The data versions (core.page_cache) a user's own pages depend on: each school where they
    hold a role (district-wide roles: every school of the district) and their own school as a
    teacher. ``None`` for anyone whose pages are not cached (visitors, superusers). One query;
    the page cache keeps the answer under the user's and the global data versions."""
    if _is_anonymous(user) or _is_unrestricted(user):
        return None
    ids = School.objects.filter(
        Q(id__in=_school_ids(user, tuple(Role.values))) | Q(teachers__user=user)
    ).values_list("id", flat=True)
    return sorted({page_cache.school_scope(school_id) for school_id in ids})


def page_scopes(request: HttpRequest) -> list[str] | None:
    """For ``core.page_cache.versioned_page``: the signed-in user's data scopes."""
    return data_scopes_for(request.user)
