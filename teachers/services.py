"""Writes about schools, people and caseloads."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.validation import validated_save
from teachers.models import CaseloadAssignment, District, Membership, School, Teacher


@transaction.atomic
def membership_grant(
    *, user: User, role: str, school: School | None = None, district: District | None = None
) -> Membership:
    """Give ``user`` a role at a school (or district-wide); re-activates an existing one."""
    existing = Membership.objects.filter(
        user=user, role=role, school=school, district=district
    ).first()
    if existing:
        if not existing.is_active:
            existing.is_active = True
            validated_save(existing)
        return existing
    return validated_save(Membership(user=user, role=role, school=school, district=district))


@transaction.atomic
def teacher_create(*, school: School, first_name: str, last_name: str, **profile) -> Teacher:
    """Create a teacher (``profile`` holds any other Teacher field, e.g. subject, user)."""
    return validated_save(
        Teacher(school=school, first_name=first_name, last_name=last_name, **profile)
    )


@transaction.atomic
def caseload_assign(
    *, coach: User, teacher: Teacher, started_on: datetime.date | None = None
) -> CaseloadAssignment:
    """Put a teacher on a coach's caseload, ending their assignment to any other coach."""
    started_on = started_on or timezone.localdate()
    current = (
        CaseloadAssignment.objects.select_for_update()
        .filter(teacher=teacher, ended_on__isnull=True)
        .first()
    )
    if current and current.coach_id == coach.pk:
        return current
    if current:
        current.ended_on = max(started_on, current.started_on)
        validated_save(current)
    return validated_save(CaseloadAssignment(coach=coach, teacher=teacher, started_on=started_on))


PROFILE_FIELDS = frozenset(
    {"subject", "grade_band", "years_experience", "disposition", "orientation", "time_focus"}
)


@transaction.atomic
def teacher_profile_update(*, teacher: Teacher, **fields) -> Teacher:
    """Change a teacher's profile (subject, grade band, experience, disposition, orientation,
    time focus). Names, school and sign-in are the administrator's business."""
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(teacher, name, value)
    try:
        return validated_save(teacher)
    except ValidationError:
        teacher.refresh_from_db()  # the caller's teacher keeps its stored values, not the refused
        raise
