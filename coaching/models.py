"""Coaching cycles and everything that hangs on them: the top domain layer.

A cycle starts from an assessment that names one need area, carries exactly ONE agreed move
(a library move made concrete for this teacher), and runs through sessions, observations
(observations app), a debrief and revisits until it closes with an outcome.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class NeedArea(models.TextChoices):
    PLANNING = "planning", "Planning"
    DELIVERY = "delivery", "Delivery"
    PROGRESS_MONITORING = "progress_monitoring", "Progress monitoring"


class ProblemOfPractice(models.TextChoices):
    """The five persistent problems of teaching (Kennedy 2016)."""

    PORTRAYING_CURRICULUM = "portraying_curriculum", "Portraying the curriculum"
    ENLISTING_PARTICIPATION = "enlisting_participation", "Enlisting student participation"
    EXPOSING_STUDENT_THINKING = "exposing_student_thinking", "Exposing student thinking"
    CONTAINING_BEHAVIOR = "containing_behavior", "Containing student behaviour"
    ACCOMMODATING_PERSONAL_NEEDS = "accommodating_personal_needs", "Accommodating personal needs"


class Move(models.Model):
    """A single high-leverage teacher move in the library."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    need_area = models.CharField(max_length=24, choices=NeedArea.choices)
    problem = models.CharField(
        "persistent problem",
        max_length=32,
        choices=ProblemOfPractice.choices,
        blank=True,
        help_text="The persistent problem of teaching this move most often serves.",
    )
    looks_like = models.TextField("what it looks like")
    script_stems = models.TextField(help_text="Wording a teacher can say, one stem per line.")
    common_errors = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    components = models.ManyToManyField(
        "frameworks.Component",
        blank=True,
        related_name="moves",
        help_text="Framework components this move serves (each district's active framework).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["need_area", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(need_area__in=NeedArea.values), name="move_need_area_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PersistentProblem(models.Model):
    """A problem of practice the teacher agreed to work on across several cycles."""

    teacher = models.ForeignKey(
        "teachers.Teacher", on_delete=models.CASCADE, related_name="persistent_problems"
    )
    statement = models.CharField(
        max_length=300,
        help_text="In the teacher's words, e.g. “pupils give up quickly on tricky tasks”.",
    )
    category = models.CharField(max_length=32, choices=ProblemOfPractice.choices)
    opened_on = models.DateField(default=timezone.localdate)
    resolved_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=ProblemOfPractice.values), name="problem_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("opened_on")),
                name="problem_resolved_after_opened",
                violation_error_message="A problem cannot be resolved before it was opened.",
            ),
        ]

    def __str__(self) -> str:
        return self.statement


class Assessment(models.Model):
    """The diagnosis that opens a cycle: what was seen, the one need area chosen, and why."""

    teacher = models.ForeignKey(
        "teachers.Teacher", on_delete=models.CASCADE, related_name="assessments"
    )
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(default=timezone.localdate)
    evidence = models.TextField(help_text="What you saw students and the teacher do.")
    need_area = models.CharField(max_length=24, choices=NeedArea.choices)
    rationale = models.TextField(help_text="Why this need area, and not the other two.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(need_area__in=NeedArea.values), name="assessment_need_area_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.get_need_area_display()} ({self.assessed_on})"


class CycleState(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    DEBRIEFED = "debriefed", "Debriefed"
    CLOSED = "closed", "Closed"


OPEN_STATES = (CycleState.PLANNED, CycleState.ACTIVE, CycleState.DEBRIEFED)


class Outcome(models.TextChoices):
    MASTERED = "mastered", "Mastered"
    PROGRESSING = "progressing", "Progressing"
    NOT_YET = "not_yet", "Not yet"
    ABANDONED = "abandoned", "Abandoned"


class CoachingCycle(models.Model):
    teacher = models.ForeignKey("teachers.Teacher", on_delete=models.CASCADE, related_name="cycles")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coached_cycles"
    )
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="cycle")
    persistent_problem = models.ForeignKey(
        PersistentProblem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cycles",
    )
    state = models.CharField(max_length=10, choices=CycleState.choices, default=CycleState.PLANNED)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    shared_with_principal = models.BooleanField(
        default=False,
        help_text="The teacher chose to let their principal read this cycle's notes and evidence.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    content_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up whenever anything its context brief shows changes: a brief assembled "
        "from an older version is stale.",
    )

    history = HistoricalRecords(excluded_fields=["content_version"])

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["coach", "state"]),
            models.Index(fields=["state", "closed_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher"],
                condition=Q(state__in=OPEN_STATES),
                name="cycle_one_open_per_teacher",
                violation_error_message="This teacher already has a cycle under way; close it "
                "before starting another.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=CycleState.values), name="cycle_state_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(state=CycleState.CLOSED, outcome__in=Outcome.values, closed_on__isnull=False)
                    | (~Q(state=CycleState.CLOSED) & Q(outcome="", closed_on__isnull=True))
                ),
                name="cycle_outcome_iff_closed",
                violation_error_message="A closed cycle needs an outcome and a closing date; an "
                "open one has neither.",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="cycle_closes_after_opening",
                violation_error_message="A cycle cannot close before it opened.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.get_state_display()} ({self.opened_on})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def clean(self) -> None:
        super().clean()
        if self.assessment_id and self.teacher_id and self.assessment.teacher_id != self.teacher_id:
            raise ValidationError({"assessment": "This assessment is about another teacher."})
        if (
            self.persistent_problem_id
            and self.teacher_id
            and self.persistent_problem.teacher_id != self.teacher_id
        ):
            raise ValidationError(
                {"persistent_problem": "This problem of practice belongs to another teacher."}
            )


class AgreedMove(models.Model):
    """The ONE library move of a cycle, made concrete for this teacher and tomorrow's lesson."""

    cycle = models.OneToOneField(
        CoachingCycle, on_delete=models.CASCADE, related_name="agreed_move"
    )
    move = models.ForeignKey(Move, on_delete=models.PROTECT, related_name="agreed_moves")
    next_day_action = models.TextField(help_text="What the teacher will do tomorrow, concretely.")
    script = models.TextField(help_text="The exact words the teacher will say.")
    success_indicator = models.TextField(
        help_text="What students will say or do when the move works, e.g. “at least 20 of 25 "
        "students write a complete answer within 3 minutes”."
    )
    due_on = models.DateField(help_text="When the teacher first tries the move.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.move} for {self.cycle.teacher}"

    def clean(self) -> None:
        super().clean()
        if self.move_id and self.cycle_id:
            need_area = self.cycle.assessment.need_area
            if self.move.need_area != need_area:
                area = self.cycle.assessment.get_need_area_display()
                raise ValidationError({"move": f"Pick a move for the cycle's need area ({area})."})
            if self.due_on and self.due_on < self.cycle.opened_on:
                raise ValidationError({"due_on": "The move cannot be due before the cycle opens."})


class SessionKind(models.TextChoices):
    CO_PLANNING = "co_planning", "Co-planning"
    REHEARSAL = "rehearsal", "Rehearsal"
    MODEL_LESSON = "model_lesson", "Model lesson"
    REAL_TIME_COACHING = "real_time_coaching", "Real-time coaching"
    DEBRIEF = "debrief", "Debrief"
    DATA_REVIEW = "data_review", "Data review"


class CoachingSession(models.Model):
    """A meeting in a cycle. Kind-specific fields stay blank for the other kinds."""

    cycle = models.ForeignKey(CoachingCycle, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(max_length=20, choices=SessionKind.choices)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    notes = models.TextField(
        blank=True, help_text="Coach notes: confidential to coach and teacher."
    )
    # Co-planning
    questions_scripted = models.TextField(blank=True)
    anticipated_responses = models.TextField("anticipated student responses", blank=True)
    # Rehearsal
    practised = models.TextField("what was practised", blank=True)
    rounds = models.PositiveSmallIntegerField(
        "rounds of practice", null=True, blank=True, validators=[MaxValueValidator(50)]
    )
    feedback_given = models.TextField(blank=True)
    # Data review
    exit_slips_meeting_pct = models.PositiveSmallIntegerField(
        "exit slips meeting the criterion (%)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    misconceptions = models.TextField(blank=True)
    next_instructional_step = models.TextField(blank=True)
    # Practice (co-planning, rehearsal, model lesson, real-time coaching) comes before the first
    # observation; one planned after it is a follow-up the coach chose on purpose.
    is_follow_up = models.BooleanField(
        "follow-up",
        default=False,
        help_text="Practice planned after the first observation on purpose: a follow-up to it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheduled_for", "-held_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="session_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(scheduled_for__isnull=False) | Q(held_at__isnull=False),
                name="session_has_a_time",
                violation_error_message="Give the time the session is planned for or was held.",
            ),
            models.CheckConstraint(
                condition=Q(exit_slips_meeting_pct__isnull=True)
                | Q(exit_slips_meeting_pct__lte=100),
                name="session_exit_slip_pct_range",
                violation_error_message="A share of exit slips is between 0 and 100%.",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | Q(duration_minutes__gte=1, duration_minutes__lte=480),
                name="session_duration_range",
                violation_error_message="A session lasts between 1 and 480 minutes.",
            ),
            models.CheckConstraint(
                condition=Q(rounds__isnull=True) | Q(rounds__lte=50),
                name="session_rounds_range",
                violation_error_message="Rounds of practice must be 50 or fewer.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.cycle.teacher}"

    @property
    def when(self):
        return self.held_at or self.scheduled_for


class Debrief(models.Model):
    """What a debrief session concluded: student evidence, indicator, next step, reflection."""

    session = models.OneToOneField(
        CoachingSession, on_delete=models.CASCADE, related_name="debrief"
    )
    students_showed = models.TextField(help_text="What students said, produced or understood.")
    indicator_met = models.BooleanField(
        null=True, blank=True, help_text="Was the success indicator met? Leave empty if unclear."
    )
    next_step = models.TextField(help_text="The next bite-sized step.")
    teacher_reflection = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Debrief — {self.session.cycle.teacher}"

    def clean(self) -> None:
        super().clean()
        if self.session_id and self.session.kind != SessionKind.DEBRIEF:
            raise ValidationError({"session": "A debrief belongs to a debrief session."})


class RevisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Done"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


class Revisit(models.Model):
    """The follow-up visit that keeps a cycle going, due 10 to 20 school days (2 to 4 school
    weeks) after the last touch."""

    cycle = models.ForeignKey(CoachingCycle, on_delete=models.CASCADE, related_name="revisits")
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=RevisitStatus.choices, default=RevisitStatus.SCHEDULED
    )
    completed_on = models.DateField(null=True, blank=True)
    reason = models.CharField(
        max_length=200, blank=True, help_text="Why this date (the scheduling rule applied)."
    )
    off_rule_reason = models.CharField(
        "reason for this date",
        max_length=300,
        blank=True,
        help_text="The coach's reason for a date outside the revisit window (10 to 20 school "
        "days after the last touch); empty for a date inside it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RevisitStatus.values), name="revisit_status_valid"
            ),
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(status=RevisitStatus.SCHEDULED),
                name="revisit_one_scheduled_per_cycle",
                violation_error_message="This cycle already has a revisit scheduled.",
            ),
            models.CheckConstraint(
                condition=Q(status=RevisitStatus.DONE, completed_on__isnull=False)
                | (~Q(status=RevisitStatus.DONE) & Q(completed_on__isnull=True)),
                name="revisit_completed_iff_done",
                violation_error_message="A done revisit needs the date it was done; others none.",
            ),
        ]

    def __str__(self) -> str:
        return f"Revisit {self.cycle.teacher} due {self.due_on}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == RevisitStatus.SCHEDULED and self.due_on < today


class ContextBrief(models.Model):
    """A snapshot assembled before a debrief, stored so the coach reads it instantly.

    One per cycle, rebuilt in place: by the worker ahead of each debrief, by a sweep for
    debriefs in the next 24 hours, and on demand. New evidence marks it stale until rebuilt.
    """

    cycle = models.OneToOneField(CoachingCycle, on_delete=models.CASCADE, related_name="brief")
    session = models.ForeignKey(
        CoachingSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="briefs",
        help_text="The debrief this brief prepares, if any.",
    )
    built_at = models.DateTimeField(default=timezone.now)
    content = models.JSONField(default=dict)
    is_stale = models.BooleanField(
        default=False, help_text="New evidence arrived after it was built."
    )
    changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When evidence or plans of the cycle last changed."
    )
    build_count = models.PositiveIntegerField(
        default=0, help_text="How many times it has been assembled."
    )
    version = models.PositiveIntegerField(
        default=0, help_text="The cycle's content version it was assembled from."
    )

    class Meta:
        ordering = ["-built_at"]
        get_latest_by = "built_at"
        indexes = [models.Index(fields=["is_stale"])]

    def __str__(self) -> str:
        return f"Brief for {self.cycle.teacher} ({self.built_at:%Y-%m-%d %H:%M})"


class TimeCategory(models.TextChoices):
    DIRECT_COACHING = "direct_coaching", "Direct coaching"
    OBSERVATION = "observation", "Observation"
    PREPARATION = "preparation", "Preparation"
    DOCUMENTATION = "documentation", "Documentation"
    ADMIN = "admin", "Admin"
    MEETINGS = "meetings", "Meetings"
    COVERAGE = "coverage", "Coverage"


DIRECT_CATEGORIES = (TimeCategory.DIRECT_COACHING, TimeCategory.OBSERVATION)


class TimeEntry(models.Model):
    """Coach minutes by category. Direct share = direct coaching + observation over all time."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries"
    )
    school = models.ForeignKey(
        "teachers.School", on_delete=models.PROTECT, related_name="time_entries"
    )
    entry_date = models.DateField(default=timezone.localdate)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    category = models.CharField(max_length=16, choices=TimeCategory.choices)
    cycle = models.ForeignKey(
        CoachingCycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="time_entries"
    )
    # A session or an observation logs its own time: no double entry.
    session = models.OneToOneField(
        CoachingSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="time_entry",
    )
    observation = models.OneToOneField(
        "observations.Observation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="time_entry",
    )
    note = models.CharField(max_length=200, blank=True)
    # The key the time page's form carried (generated when the form was rendered): a resubmit of
    # the same form (Back, then "Log time" again) finds this entry instead of adding another.
    client_id = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Set by the time page's form so a resubmitted form logs the time once.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Archived, not deleted: an archived entry counts in no figure and no page shows it; the row
    # and its history stay (the admin archives and restores; a session no longer held archives
    # the entry it had logged).
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-entry_date", "-id"]
        verbose_name_plural = "time entries"
        indexes = [
            models.Index(fields=["school", "entry_date"]),
            models.Index(fields=["coach", "entry_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=1440),
                name="time_entry_minutes_range",
                violation_error_message="Minutes must be between 1 and 1440 (one day).",
            ),
            models.CheckConstraint(
                condition=Q(category__in=TimeCategory.values), name="time_entry_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=True) | Q(observation__isnull=True),
                name="time_entry_one_source",
                violation_error_message="A time entry comes from a session or an observation, "
                "not both.",
            ),
            models.CheckConstraint(
                condition=Q(archived_by__isnull=True) | Q(archived_at__isnull=False),
                name="time_entry_archived_by_only_when_archived",
                violation_error_message="Only an archived entry has someone who archived it.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach} {self.minutes} min {self.get_category_display()} on {self.entry_date}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def clean(self) -> None:
        super().clean()
        if self.cycle_id and self.school_id and self.cycle.teacher.school_id != self.school_id:
            raise ValidationError({"cycle": "This cycle belongs to another school."})


class IndicatorSeen(models.TextChoices):
    """The teacher's own answer to "did the success indicator happen?"."""

    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


class Reflection(models.Model):
    """The teacher's structured reflection before a debrief: what students said or produced,
    whether the success indicator happened, what they would change, and optionally their own
    engagement count. It prepares ``session`` (the cycle's next scheduled debrief, if there is
    one; otherwise it is attached to the debrief when that is held) and can be edited until
    that debrief has been held. Coaching content: only the coach and the teacher read it, a
    principal only when the teacher shared the cycle."""

    cycle = models.ForeignKey(CoachingCycle, on_delete=models.CASCADE, related_name="reflections")
    session = models.OneToOneField(
        CoachingSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reflection",
        help_text="The debrief this reflection prepares.",
    )
    students_did = models.TextField(
        "what students said or produced",
        help_text="Quotes, answers, work: what students showed, not how the lesson felt.",
    )
    indicator_seen = models.CharField(
        "did the success indicator happen?", max_length=10, choices=IndicatorSeen.choices
    )
    would_change = models.TextField("what I would change next time")
    engaged_count = models.PositiveSmallIntegerField(
        "students engaged", null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    present_count = models.PositiveSmallIntegerField(
        "students present",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator_seen__in=IndicatorSeen.values),
                name="reflection_indicator_seen_valid",
            ),
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(session__isnull=True),
                name="reflection_one_pending_per_cycle",
                violation_error_message="This cycle already has a reflection waiting for its "
                "debrief.",
            ),
            models.CheckConstraint(
                condition=Q(engaged_count__isnull=True, present_count__isnull=True)
                | Q(
                    engaged_count__isnull=False,
                    present_count__gte=1,
                    present_count__lte=500,
                    engaged_count__lte=F("present_count"),
                ),
                name="reflection_engagement_count_valid",
                violation_error_message="Give both counts, with no more students engaged than "
                "present, or neither.",
            ),
        ]

    def __str__(self) -> str:
        return f"Reflection — {self.cycle.teacher} ({self.submitted_at:%Y-%m-%d})"

    @property
    def engagement_pct(self) -> int | None:
        if self.engaged_count is None or not self.present_count:
            return None
        return round(100 * self.engaged_count / self.present_count)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if (self.engaged_count is None) != (self.present_count is None):
            missing = "present_count" if self.present_count is None else "engaged_count"
            errors[missing] = "Give both counts (engaged and present), or neither."
        elif (
            self.engaged_count is not None
            and self.present_count is not None
            and self.engaged_count > self.present_count
        ):
            errors["engaged_count"] = "Engaged students cannot outnumber the students present."
        if self.session_id and self.cycle_id:
            if self.session.cycle_id != self.cycle_id:
                errors["session"] = "This debrief belongs to another cycle."
            elif self.session.kind != SessionKind.DEBRIEF:
                errors["session"] = "A reflection prepares a debrief session."
        if errors:
            raise ValidationError(errors)
