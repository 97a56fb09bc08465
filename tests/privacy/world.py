"""A teacher with a row of every kind about them, for the export and erasure tests."""

from __future__ import annotations

import hashlib

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from knox.models import AuthToken

from accounts.models import CalendarFeed
from notifications.models import Reminder, ReminderKind
from teachers.models import Role, Teacher
from tests.factories import (
    AgreedMoveFactory,
    AssessmentFactory,
    CaseloadAssignmentFactory,
    ClipCommentFactory,
    ClipFactory,
    CoachingCycleFactory,
    CoachingSessionFactory,
    ComponentFactory,
    ContextBriefFactory,
    DebriefFactory,
    EngagementSampleFactory,
    MembershipFactory,
    ObservationFactory,
    ObservationNoteFactory,
    PersistentProblemFactory,
    ReflectionFactory,
    RevisitFactory,
    StudentEvidenceFactory,
    TeacherFactory,
    TimeEntryFactory,
    UserFactory,
)


def a_teacher_with_everything(tag: str, school=None) -> Teacher:
    """A teacher with a row of every kind, each text carrying ``tag``."""
    account = UserFactory(
        username=f"{tag.lower()}.account",
        email=f"{tag.lower()}@mail.example",
        first_name=f"{tag}given",
        last_name=f"{tag}family",
    )
    teacher = TeacherFactory(
        first_name=f"{tag}first",
        last_name=f"{tag}last",
        email=f"{tag}@school.example",
        user=account,
        **({"school": school} if school else {}),
    )
    MembershipFactory(user=teacher.user, school=teacher.school, role=Role.TEACHER)
    coach = UserFactory()
    CaseloadAssignmentFactory(coach=coach, teacher=teacher)
    problem = PersistentProblemFactory(teacher=teacher, statement=f"{tag} problem")
    assessment = AssessmentFactory(teacher=teacher, coach=coach, evidence=f"{tag} evidence")
    cycle = CoachingCycleFactory(
        teacher=teacher, coach=coach, assessment=assessment, persistent_problem=problem
    )
    AgreedMoveFactory(cycle=cycle, script=f"{tag} script")
    session = CoachingSessionFactory(cycle=cycle, notes=f"{tag} session notes")
    DebriefFactory(session=session, next_step=f"{tag} next step")
    ReflectionFactory(cycle=cycle, session=session, students_did=f"{tag} reflection")
    RevisitFactory(cycle=cycle, reason=f"{tag} revisit")
    ContextBriefFactory(cycle=cycle, session=session, content={"move": f"{tag} brief"})
    observation = ObservationFactory(cycle=cycle, teacher=teacher, observer=coach)
    ObservationNoteFactory(observation=observation, text=f"{tag} note")
    EngagementSampleFactory(observation=observation)
    evidence = StudentEvidenceFactory(observation=observation, description=f"{tag} student work")
    evidence.components.add(ComponentFactory())  # its history keeps the tags too
    TimeEntryFactory(coach=coach, cycle=cycle, note=f"{tag} time")
    clip = ClipFactory(cycle=cycle, title=f"{tag} clip")
    ClipCommentFactory(clip=clip, evidence=evidence, body=f"{tag} comment")
    Reminder.objects.create(
        kind=ReminderKind.MOVE_TOMORROW,
        key=f"{tag}-reminder",
        recipient=account,
        email=account.email,
        subject=f"{tag} your move is due",
    )
    EmailAddress.objects.create(user=account, email=account.email, verified=True, primary=True)
    SocialAccount.objects.create(
        user=account, provider="openid_connect", uid=f"{tag}-uid", extra_data={"name": tag}
    )
    CalendarFeed.objects.create(user=account, token_hash=hashlib.sha256(tag.encode()).hexdigest())
    AuthToken.objects.create(user=account)
    AccessLog.objects.create(username=account.username, ip_address="127.0.0.1", user_agent="t")
    LogEntry.objects.create(
        user=coach,
        content_type=ContentType.objects.get_for_model(Teacher),
        object_id=str(teacher.pk),
        object_repr=f"{tag}first {tag}last",
        action_flag=CHANGE,
        change_message=f"Changed {tag} email",
    )
    return teacher
