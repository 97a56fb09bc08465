"""factory_boy factories for every domain model, valid by default.

Defaults keep the rows consistent with the model rules that only ``full_clean`` checks: a
cycle's assessment is about the cycle's teacher, an agreed move has the cycle's need area, a
caseload coach holds a coach membership at the teacher's school, an observation's teacher is its
cycle's teacher, a time entry with a cycle is logged at the cycle's school.
"""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from coaching.models import (
    AgreedMove,
    Assessment,
    CoachingCycle,
    CoachingSession,
    ContextBrief,
    CycleState,
    Debrief,
    IndicatorSeen,
    Move,
    NeedArea,
    Outcome,
    PersistentProblem,
    ProblemOfPractice,
    Reflection,
    Revisit,
    RevisitStatus,
    SessionKind,
    TimeCategory,
    TimeEntry,
)
from coaching.selectors import school_today
from observations.models import (
    EngagementSample,
    EvidenceKind,
    Observation,
    ObservationNote,
    Phase,
    StudentEvidence,
)
from teachers.models import (
    CaseloadAssignment,
    District,
    Membership,
    NonSchoolDay,
    Role,
    School,
    Teacher,
)

PASSWORD = "pw"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)
    is_active = True


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")


class NonSchoolDayFactory(DjangoModelFactory):
    """A one-day holiday at a school, a year from today (a break: pass ``ends_on``)."""

    class Meta:
        model = NonSchoolDay

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Holiday {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    ends_on = factory.SelfAttribute("starts_on")


class MembershipFactory(DjangoModelFactory):
    """A school role (coach by default). Use ``district_wide=True`` for a district leader or
    administrator across a district (no school)."""

    class Meta:
        model = Membership

    class Params:
        district_wide = factory.Trait(
            school=None,
            district=factory.SubFactory(DistrictFactory),
            role=Role.DISTRICT_LEADER,
        )

    user = factory.SubFactory(UserFactory)
    role = Role.COACH
    school = factory.SubFactory(SchoolFactory)
    district = None
    is_active = True


class TeacherFactory(DjangoModelFactory):
    class Meta:
        model = Teacher

    school = factory.SubFactory(SchoolFactory)
    user = None
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    subject = "Mathematics"
    years_experience = 3


class CaseloadAssignmentFactory(DjangoModelFactory):
    """Also gives the coach a coach membership at the teacher's school unless one exists
    (pass ``coach_membership=False`` to skip that)."""

    class Meta:
        model = CaseloadAssignment
        skip_postgeneration_save = True

    coach = factory.SubFactory(UserFactory)
    teacher = factory.SubFactory(TeacherFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    ended_on = None

    @factory.post_generation
    def coach_membership(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        Membership.objects.get_or_create(user=obj.coach, school=obj.teacher.school, role=Role.COACH)


class MoveFactory(DjangoModelFactory):
    class Meta:
        model = Move

    slug = factory.Sequence(lambda n: f"move-{n}")
    name = factory.Sequence(lambda n: f"Move {n}")
    need_area = NeedArea.DELIVERY
    problem = ProblemOfPractice.ENLISTING_PARTICIPATION
    looks_like = "Every student answers on a mini whiteboard before anyone is called on."
    script_stems = "Everyone, write your answer.\nBoards up in 3, 2, 1."


class PersistentProblemFactory(DjangoModelFactory):
    class Meta:
        model = PersistentProblem

    teacher = factory.SubFactory(TeacherFactory)
    statement = "Pupils give up quickly on tricky tasks."
    category = ProblemOfPractice.ENLISTING_PARTICIPATION


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    teacher = factory.SubFactory(TeacherFactory)
    coach = factory.SubFactory(UserFactory)
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    evidence = "Six of 25 students answered questions; the rest waited."
    need_area = NeedArea.DELIVERY
    rationale = "Lessons are well planned; the gap is in how participation is enlisted."


class CoachingCycleFactory(DjangoModelFactory):
    """An open (planned) cycle whose assessment is about the same teacher, by the same coach.
    ``closed=True`` gives a closed cycle with an outcome and a closing date."""

    class Meta:
        model = CoachingCycle

    class Params:
        closed = factory.Trait(
            state=CycleState.CLOSED,
            outcome=Outcome.PROGRESSING,
            closed_on=factory.LazyAttribute(lambda o: max(o.opened_on, timezone.localdate())),
        )

    teacher = factory.SubFactory(TeacherFactory)
    coach = factory.SubFactory(UserFactory)
    assessment = factory.SubFactory(
        AssessmentFactory,
        teacher=factory.SelfAttribute("..teacher"),
        coach=factory.SelfAttribute("..coach"),
    )
    state = CycleState.PLANNED
    outcome = ""
    opened_on = factory.SelfAttribute("assessment.assessed_on")
    closed_on = None
    shared_with_principal = False


class AgreedMoveFactory(DjangoModelFactory):
    """The cycle's one move, taken from the library for the cycle's need area."""

    class Meta:
        model = AgreedMove

    cycle = factory.SubFactory(CoachingCycleFactory)
    move = factory.SubFactory(
        MoveFactory, need_area=factory.SelfAttribute("..cycle.assessment.need_area")
    )
    next_day_action = "Use mini whiteboards for the three hinge questions in period 2."
    script = "Everyone, write your answer. Boards up in 3, 2, 1."
    success_indicator = "At least 20 of 25 students show a board within 10 seconds."
    due_on = factory.LazyAttribute(lambda o: o.cycle.opened_on + datetime.timedelta(days=1))


class CoachingSessionFactory(DjangoModelFactory):
    class Meta:
        model = CoachingSession

    cycle = factory.SubFactory(CoachingCycleFactory)
    kind = SessionKind.CO_PLANNING
    held_at = factory.LazyFunction(timezone.now)
    duration_minutes = 30
    notes = "Scripted the hinge questions together."


class DebriefFactory(DjangoModelFactory):
    class Meta:
        model = Debrief

    session = factory.SubFactory(CoachingSessionFactory, kind=SessionKind.DEBRIEF)
    students_showed = "22 of 25 boards up within 10 seconds; most wrote full answers."
    indicator_met = True
    next_step = "Add a follow-up 'why' prompt after the boards go up."
    teacher_reflection = "It felt calmer than cold calling."


class RevisitFactory(DjangoModelFactory):
    class Meta:
        model = Revisit

    cycle = factory.SubFactory(CoachingCycleFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    status = RevisitStatus.SCHEDULED
    completed_on = None
    reason = "14 days after the last touch."


class ContextBriefFactory(DjangoModelFactory):
    class Meta:
        model = ContextBrief

    cycle = factory.SubFactory(CoachingCycleFactory)
    session = None
    built_at = factory.LazyFunction(timezone.now)
    content = factory.LazyFunction(lambda: {"left_off": "Trying mini whiteboards."})


class TimeEntryFactory(DjangoModelFactory):
    class Meta:
        model = TimeEntry

    coach = factory.SubFactory(UserFactory)
    cycle = None
    school = factory.Maybe(
        "cycle",
        yes_declaration=factory.SelfAttribute("cycle.teacher.school"),
        no_declaration=factory.SubFactory(SchoolFactory),
    )
    # Today at the school (the dashboards count a school's entries by its own dates).
    entry_date = factory.LazyAttribute(lambda o: school_today(o.school))
    minutes = 45
    category = TimeCategory.DIRECT_COACHING
    note = ""


class ObservationFactory(DjangoModelFactory):
    """A visit that has started. Give ``cycle`` and the teacher and observer follow from it."""

    class Meta:
        model = Observation

    cycle = None
    teacher = factory.Maybe(
        "cycle",
        yes_declaration=factory.SelfAttribute("cycle.teacher"),
        no_declaration=factory.SubFactory(TeacherFactory),
    )
    observer = factory.Maybe(
        "cycle",
        yes_declaration=factory.SelfAttribute("cycle.coach"),
        no_declaration=factory.SubFactory(UserFactory),
    )
    scheduled_for = None
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    ended_at = None
    focus = "Who answers the hinge questions?"


class ObservationNoteFactory(DjangoModelFactory):
    class Meta:
        model = ObservationNote

    observation = factory.SubFactory(ObservationFactory)
    noted_at = factory.LazyFunction(timezone.now)
    text = "09:12 teacher asks hinge question 1; boards up after 8 seconds."


class EngagementSampleFactory(DjangoModelFactory):
    class Meta:
        model = EngagementSample

    observation = factory.SubFactory(ObservationFactory)
    taken_at = factory.LazyFunction(timezone.now)
    phase = Phase.BEFORE_MOVE
    engaged_count = 12
    present_count = 25


class StudentEvidenceFactory(DjangoModelFactory):
    class Meta:
        model = StudentEvidence

    observation = factory.SubFactory(ObservationFactory)
    kind = EvidenceKind.SAID
    description = "“It's a quarter because the four parts are equal.”"
    noted_at = factory.LazyFunction(timezone.now)


class ReflectionFactory(DjangoModelFactory):
    """A teacher's reflection waiting for the cycle's next debrief (``session``: the debrief it
    prepares)."""

    class Meta:
        model = Reflection

    cycle = factory.SubFactory(CoachingCycleFactory)
    session = None
    students_did = "Most boards showed a full sentence; two said 'I don't know' again."
    indicator_seen = IndicatorSeen.PARTLY
    would_change = "Give the sentence stem before the countdown, not after."
    engaged_count = None
    present_count = None


# --- Clips (clips app) -------------------------------------------------------------------------


class ClipFactory(DjangoModelFactory):
    """A clip row (no file): uploading, nothing received yet. Tests that need stored files use
    tests/clips/conftest.py's helpers."""

    class Meta:
        model = "clips.Clip"

    cycle = factory.SubFactory(CoachingCycleFactory)
    uploaded_by = factory.LazyAttribute(lambda o: o.cycle.coach)
    title = factory.Sequence(lambda n: f"Hinge question, period {n}")
    original_name = "lesson.mp4"
    content_type = "video/mp4"
    size_bytes = 1000


class ClipCommentFactory(DjangoModelFactory):
    class Meta:
        model = "clips.ClipComment"

    clip = factory.SubFactory(ClipFactory)
    author = factory.LazyAttribute(lambda o: o.clip.cycle.coach)
    at_seconds = 1.0
    body = "Boards went up here."


# --- Frameworks ---------------------------------------------------------------------------------


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = "frameworks.Framework"

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Framework {n}")
    is_active = True


class DomainFactory(DjangoModelFactory):
    class Meta:
        model = "frameworks.Domain"

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"Domain {n}")
    position = factory.Sequence(lambda n: n)


class ComponentFactory(DjangoModelFactory):
    class Meta:
        model = "frameworks.Component"

    domain = factory.SubFactory(DomainFactory)
    code = factory.Sequence(lambda n: f"{n}a")
    name = factory.Sequence(lambda n: f"Component {n}")
    position = factory.Sequence(lambda n: n)


class PerformanceLevelFactory(DjangoModelFactory):
    class Meta:
        model = "frameworks.PerformanceLevel"

    framework = factory.SubFactory(FrameworkFactory)
    rank = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Level {n}")
