"""What the API shows and takes.

Every resource shows its process fields (ids, dates, states, counts) to whoever may VIEW the
row (coaching.access), and its coaching content (notes, evidence, scripts, reflections) in a
``content`` object that is ``null`` unless the user may READ the row: the view annotates each
row with ``may_read`` (one subquery, whatever the number of rows).

Request serializers only validate the shape of the input; the writes themselves are the
services' (coaching.services, observations.services), whose ValidationErrors come back as 400s
with field errors.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import PlausibleDateField, PlausibleDateTimeField, text
from coaching.models import (
    AgreedMove,
    CoachingCycle,
    Move,
    NeedArea,
    Outcome,
    Revisit,
    TimeCategory,
    TimeEntry,
)
from observations.models import (
    EngagementSample,
    EvidenceKind,
    Observation,
    ObservationNote,
    Phase,
    StudentEvidence,
)
from teachers.models import GradeBand, School, Teacher


class ContentMixin:
    """Sets ``content`` to null for a row the user may not READ (``may_read`` annotation)."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not getattr(instance, "may_read", False):
            data["content"] = None
        return data


# --- Schools and teachers ------------------------------------------------------------------------


class SchoolSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)

    class Meta:
        model = School
        fields = ["id", "name", "district", "district_name", "time_zone", "is_active"]
        read_only_fields = fields


class TeacherProfileSerializer(serializers.ModelSerializer):
    """The profile a coach adapts to: the coach's working knowledge, not for leaders."""

    class Meta:
        model = Teacher
        fields = ["disposition", "orientation", "time_focus"]
        read_only_fields = fields


class TeacherSerializer(serializers.ModelSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True)
    full_name = serializers.CharField(read_only=True)
    grade_band = serializers.ChoiceField(
        choices=GradeBand.choices, allow_blank=True, read_only=True
    )
    profile = TeacherProfileSerializer(source="*", read_only=True, allow_null=True)

    class Meta:
        model = Teacher
        fields = [
            "id",
            "school",
            "school_name",
            "first_name",
            "last_name",
            "full_name",
            "subject",
            "grade_band",
            "years_experience",
            "is_active",
            "profile",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not getattr(instance, "may_change", False):
            data["profile"] = None
        return data


# --- Cycles --------------------------------------------------------------------------------------


class CycleContentSerializer(serializers.ModelSerializer):
    assessed_on = serializers.DateField(source="assessment.assessed_on", read_only=True)
    evidence = serializers.CharField(source="assessment.evidence", read_only=True)
    rationale = serializers.CharField(source="assessment.rationale", read_only=True)
    persistent_problem = serializers.CharField(
        source="persistent_problem.statement", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = CoachingCycle
        fields = ["assessed_on", "evidence", "rationale", "persistent_problem"]
        read_only_fields = fields


class CycleSerializer(ContentMixin, serializers.ModelSerializer):
    teacher_name = serializers.CharField(source="teacher.full_name", read_only=True)
    school = serializers.IntegerField(source="teacher.school_id", read_only=True)
    coach_name = serializers.CharField(source="coach.display_name", read_only=True)
    need_area = serializers.ChoiceField(
        source="assessment.need_area", choices=NeedArea.choices, read_only=True
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)
    content = CycleContentSerializer(source="*", read_only=True, allow_null=True)

    class Meta:
        model = CoachingCycle
        fields = [
            "id",
            "teacher",
            "teacher_name",
            "school",
            "coach",
            "coach_name",
            "state",
            "outcome",
            "need_area",
            "opened_on",
            "closed_on",
            "shared_with_principal",
            "created_at",
            "updated_at",
            "content",
        ]
        read_only_fields = fields


class CycleStartSerializer(serializers.Serializer):
    """Open a cycle from an assessment (coaching.services.cycle_start)."""

    teacher = serializers.PrimaryKeyRelatedField(queryset=Teacher.objects.none())
    evidence = text(help_text="What you saw students and the teacher do.")
    need_area = serializers.ChoiceField(choices=NeedArea.choices)
    rationale = text(help_text="Why this need area, and not the other two.")

    def __init__(self, *args, teachers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teachers is not None:
            self.fields["teacher"].queryset = teachers


class CycleCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)


# --- Agreed moves --------------------------------------------------------------------------------


class AgreedMoveSerializer(serializers.ModelSerializer):
    """An agreed move is coaching content as a whole: listed only for cycles the user READs."""

    move_name = serializers.CharField(source="move.name", read_only=True)
    teacher = serializers.IntegerField(source="cycle.teacher_id", read_only=True)

    class Meta:
        model = AgreedMove
        fields = [
            "id",
            "cycle",
            "teacher",
            "move",
            "move_name",
            "next_day_action",
            "script",
            "success_indicator",
            "due_on",
            "created_at",
        ]
        read_only_fields = fields


class AgreedMoveSetSerializer(serializers.Serializer):
    """Agree on ONE library move for a cycle (coaching.services.agreed_move_set)."""

    cycle = serializers.PrimaryKeyRelatedField(queryset=CoachingCycle.objects.none())
    move = serializers.PrimaryKeyRelatedField(queryset=Move.objects.none())
    next_day_action = text(help_text="What the teacher will do tomorrow, concretely.")
    script = text(help_text="The exact words the teacher will say.")
    success_indicator = text(help_text="What students will say or do when the move works.")
    due_on = PlausibleDateField(help_text="When the teacher first tries the move.")

    def __init__(self, *args, cycles=None, moves=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycles is not None:
            self.fields["cycle"].queryset = cycles
        if moves is not None:
            self.fields["move"].queryset = moves


# --- Observations --------------------------------------------------------------------------------


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = ObservationNote
        fields = ["id", "noted_at", "text"]
        read_only_fields = fields


class SweepSerializer(serializers.ModelSerializer):
    class Meta:
        model = EngagementSample
        fields = ["id", "taken_at", "phase", "engaged_count", "present_count"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = StudentEvidence
        fields = ["id", "noted_at", "kind", "description"]
        read_only_fields = fields


class ObservationContentSerializer(serializers.ModelSerializer):
    notes = NoteSerializer(many=True, read_only=True)
    engagement_samples = SweepSerializer(many=True, read_only=True)
    student_evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Observation
        fields = ["focus", "notes", "engagement_samples", "student_evidence"]
        read_only_fields = fields


class ObservationSerializer(ContentMixin, serializers.ModelSerializer):
    teacher_name = serializers.CharField(source="teacher.full_name", read_only=True)
    school = serializers.IntegerField(source="teacher.school_id", read_only=True)
    content = ObservationContentSerializer(source="*", read_only=True, allow_null=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "teacher",
            "teacher_name",
            "school",
            "cycle",
            "observer",
            "scheduled_for",
            "started_at",
            "ended_at",
            "created_at",
            "content",
        ]
        read_only_fields = fields


class ObservationScheduleSerializer(serializers.Serializer):
    """Schedule a classroom visit in a cycle (coaching.services.cycle_schedule_observation)."""

    cycle = serializers.PrimaryKeyRelatedField(queryset=CoachingCycle.objects.none())
    scheduled_for = PlausibleDateTimeField()
    focus = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)

    def __init__(self, *args, cycles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycles is not None:
            self.fields["cycle"].queryset = cycles


class ObservationFinishSerializer(serializers.Serializer):
    ended_at = PlausibleDateTimeField(required=False, allow_null=True, default=None)


class NoteAddSerializer(serializers.Serializer):
    text = text()
    client_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class SweepAddSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Phase.choices)
    engaged_count = serializers.IntegerField(min_value=0, max_value=500)
    present_count = serializers.IntegerField(min_value=1, max_value=500)
    client_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class EvidenceAddSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    description = text(max_length=1000, help_text="A short quote or description; no names.")
    client_id = serializers.UUIDField(required=False, allow_null=True, default=None)


# --- Revisits ------------------------------------------------------------------------------------


class RevisitContentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Revisit
        fields = ["reason", "off_rule_reason"]
        read_only_fields = fields


class RevisitSerializer(ContentMixin, serializers.ModelSerializer):
    teacher = serializers.IntegerField(source="cycle.teacher_id", read_only=True)
    content = RevisitContentSerializer(source="*", read_only=True, allow_null=True)

    class Meta:
        model = Revisit
        fields = ["id", "cycle", "teacher", "due_on", "status", "completed_on", "content"]
        read_only_fields = fields


class RevisitMoveSerializer(serializers.Serializer):
    due_on = PlausibleDateField()
    off_rule_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        default="",
        help_text="Why this date, when it is outside the revisit window (10 to 20 school days "
        "after the last touch).",
    )


class RevisitCompleteSerializer(serializers.Serializer):
    completed_on = PlausibleDateField(required=False, allow_null=True, default=None)


# --- Time entries --------------------------------------------------------------------------------


class TimeEntrySerializer(serializers.ModelSerializer):
    from_activity = serializers.SerializerMethodField()

    class Meta:
        model = TimeEntry
        fields = [
            "id",
            "school",
            "entry_date",
            "minutes",
            "category",
            "cycle",
            "note",
            "from_activity",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_from_activity(self, entry: TimeEntry) -> bool:
        """Logged by a session or an observation: corrected there, not here."""
        return bool(entry.session_id or entry.observation_id)


class TimeEntryLogSerializer(serializers.Serializer):
    """Log minutes (coaching.services.time_entry_log)."""

    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.none())
    minutes = serializers.IntegerField(min_value=1, max_value=1440)
    category = serializers.ChoiceField(choices=TimeCategory.choices)
    entry_date = PlausibleDateField(required=False, default=None, allow_null=True)
    cycle = serializers.PrimaryKeyRelatedField(
        queryset=CoachingCycle.objects.none(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)

    def __init__(self, *args, schools=None, cycles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools
        if cycles is not None:
            self.fields["cycle"].queryset = cycles


class TimeEntryCorrectSerializer(serializers.Serializer):
    """Correct a manual entry (coaching.services.time_entry_correct): send only what changes."""

    minutes = serializers.IntegerField(min_value=1, max_value=1440, required=False)
    category = serializers.ChoiceField(choices=TimeCategory.choices, required=False)
    entry_date = PlausibleDateField(required=False)
    cycle = serializers.PrimaryKeyRelatedField(
        queryset=CoachingCycle.objects.none(), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def __init__(self, *args, cycles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycles is not None:
            self.fields["cycle"].queryset = cycles


class TimeEntryArchiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
