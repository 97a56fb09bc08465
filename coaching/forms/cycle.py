"""Forms of the cycle pages: assessment, agreed move, support plan, sessions.

Forms check the shape of the input (required, ranges, dates); the rules that decide whether a
write is allowed live in coaching/services/, whose errors the views put next to the fields.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.models import CoachingSession, NeedArea, PersistentProblem, SessionKind
from coaching.selectors import PRACTICE_KINDS
from core.forms import PlausibleDateField, PlausibleDateTimeField
from teachers.models import Teacher

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

NEED_AREA_HELP = {
    NeedArea.PLANNING: "Co-planning before instruction: the lesson, its questions and the "
    "student responses to expect are worked out together before it is taught.",
    NeedArea.DELIVERY: "Rehearsal, modelling and real-time coaching: the move is practised, "
    "shown and prompted in the room while the lesson runs.",
    NeedArea.PROGRESS_MONITORING: "Exit slips and student work: what students produced is "
    "reviewed together and turned into the next instructional step.",
}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def _datetime_field(**kwargs) -> forms.DateTimeField:
    return PlausibleDateTimeField(
        widget=_datetime_input(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        **kwargs,
    )


def _text(rows: int = 3, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


def _label(name: str) -> str:
    label = str(CoachingSession._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


# --- 1. Assessment -----------------------------------------------------------------------------


class AssessmentForm(forms.Form):
    evidence = forms.CharField(
        label="Evidence seen",
        widget=_text(4),
        help_text="What you saw students and the teacher do: counts and quotes, not judgements.",
    )
    need_area = forms.ChoiceField(
        label="Need area",
        choices=NeedArea.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text="Choose ONE: it decides the move library and the support plan.",
    )
    rationale = forms.CharField(
        label="Why this need area",
        widget=_text(3),
        help_text="Why this need area, and not the other two.",
    )
    persistent_problem = forms.ModelChoiceField(
        label="Persistent problem (optional)",
        queryset=PersistentProblem.objects.none(),
        required=False,
        empty_label="— None —",
        help_text="The teacher's open problem of practice this cycle works on.",
    )

    def __init__(self, *args, teacher: Teacher, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["persistent_problem"].queryset = teacher.persistent_problems.filter(
            resolved_on__isnull=True
        )

    def need_area_options(self) -> list[tuple]:
        """(radio, explanation) pairs for the template."""
        return [(radio, NEED_AREA_HELP[radio.data["value"]]) for radio in self["need_area"]]


# --- 3. The agreed move ------------------------------------------------------------------------


class AgreedMoveForm(forms.Form):
    next_day_action = forms.CharField(
        label="Tomorrow I will…",
        widget=_text(3, placeholder="Tomorrow I will…"),
        help_text="What the teacher will do in tomorrow's lesson, concretely: which lesson, "
        "which moment, how often.",
    )
    script = forms.CharField(
        label="Script",
        widget=_text(5),
        help_text="The exact words the teacher will say. Start from the move's stems and make "
        "them this teacher's own.",
    )
    success_indicator = forms.CharField(
        label="Success indicator",
        widget=_text(2),
        help_text="Something you can count in students, e.g. “at least 20 of 25 students write "
        "a complete answer within 3 minutes”.",
    )
    due_on = PlausibleDateField(
        label="Due date",
        widget=_date_input(),
        help_text="The school day the teacher first tries the move.",
    )


# --- 4. The support plan -----------------------------------------------------------------------

PAST_TOLERANCE = datetime.timedelta(hours=1)  # the services accept times up to an hour ago


class SupportPlanForm(forms.Form):
    """One row per session kind of the need area's plan (include + when), then the first
    observation."""

    observation_at = _datetime_field(
        label="Date and time",
        help_text="When you will watch the teacher try the move.",
    )
    focus = forms.CharField(
        label="Focus of the observation",
        max_length=200,
        required=False,
        help_text="What to look for in students, e.g. “how many boards are up within 10 seconds”.",
    )

    def __init__(self, *args, kinds: tuple[str, ...], defaults: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        labels = dict(SessionKind.choices)
        for kind in kinds:
            self.fields[f"{kind}_include"] = forms.BooleanField(
                label=f"Plan a {labels[kind].lower()} session", required=False, initial=True
            )
            self.fields[f"{kind}_at"] = _datetime_field(
                label=f"{labels[kind]}: when", required=False, initial=defaults.get(kind)
            )
            if kind in PRACTICE_KINDS:
                self.fields[f"{kind}_follow_up"] = forms.BooleanField(
                    label="This is a follow-up",
                    required=False,
                    help_text="Tick only to plan it after the first observation on purpose: "
                    "practice otherwise comes before the try.",
                )

    def rows(
        self,
    ) -> list[tuple[str, str, forms.BoundField, forms.BoundField, forms.BoundField | None]]:
        labels = dict(SessionKind.choices)
        return [
            (
                kind,
                labels[kind],
                self[f"{kind}_include"],
                self[f"{kind}_at"],
                self[f"{kind}_follow_up"] if kind in PRACTICE_KINDS else None,
            )
            for kind in self.kinds
        ]

    def clean(self):
        data = super().clean()
        earliest = timezone.now() - PAST_TOLERANCE
        included = 0
        for kind in self.kinds:
            if not data.get(f"{kind}_include"):
                continue
            included += 1
            when = data.get(f"{kind}_at")
            if when is None:
                if f"{kind}_at" not in self.errors:
                    self.add_error(f"{kind}_at", "Give the date and time, or untick this row.")
            elif when < earliest:
                self.add_error(f"{kind}_at", "This time has passed; plan for now or later.")
        if not included:
            self.add_error(None, "Plan at least one support session.")
        observation_at = data.get("observation_at")
        if observation_at is not None and observation_at < earliest:
            self.add_error("observation_at", "This time has passed; schedule it for now or later.")
        return data

    def planned_sessions(self) -> list[tuple[str, datetime.datetime, bool]]:
        """(kind, when, is_follow_up) of each ticked row, as cycle_plan_support takes them."""
        return [
            (
                kind,
                self.cleaned_data[f"{kind}_at"],
                bool(self.cleaned_data.get(f"{kind}_follow_up")),
            )
            for kind in self.kinds
            if self.cleaned_data.get(f"{kind}_include")
        ]


# --- 6 and 7. Sessions -------------------------------------------------------------------------

LOGGABLE_KINDS = [(k, label) for k, label in SessionKind.choices if k != SessionKind.DEBRIEF]

# The fields each kind records besides time, duration and notes; the first one is required.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    SessionKind.CO_PLANNING: ("questions_scripted", "anticipated_responses"),
    SessionKind.REHEARSAL: ("practised", "rounds", "feedback_given"),
    SessionKind.MODEL_LESSON: (),
    SessionKind.REAL_TIME_COACHING: (),
    SessionKind.DATA_REVIEW: (
        "exit_slips_meeting_pct",
        "misconceptions",
        "next_instructional_step",
    ),
    SessionKind.DEBRIEF: (),
}
# Kinds whose only record is the notes: then the notes are required.
NOTES_ONLY = {k for k, fields in KIND_FIELDS.items() if not fields} - {SessionKind.DEBRIEF}

KIND_HELP = {
    SessionKind.CO_PLANNING: "Plan the lesson together before it is taught.",
    SessionKind.REHEARSAL: "The teacher practises the move with you, round after round.",
    SessionKind.MODEL_LESSON: "You teach while the teacher watches the move in action.",
    SessionKind.REAL_TIME_COACHING: "You prompt the move in the room while the lesson runs.",
    SessionKind.DATA_REVIEW: "Review exit slips or student work and decide the next step.",
    SessionKind.DEBRIEF: "Debriefs are recorded on the debrief page.",
}


def _kind_field(name: str) -> forms.Field:
    label = _label(name)
    if name == "rounds":
        return forms.IntegerField(
            label=label,
            min_value=1,
            max_value=50,
            required=False,
            error_messages={
                "max_value": "Rounds of practice must be 50 or fewer.",
                "min_value": "Count at least one round.",
            },
            help_text="How many times the teacher practised the move.",
        )
    if name == "exit_slips_meeting_pct":
        return forms.IntegerField(
            label=label,
            min_value=0,
            max_value=100,
            required=False,
            error_messages={
                "max_value": "A share is between 0 and 100%%.",
                "min_value": "A share is between 0 and 100%%.",
            },
            help_text="Of the exit slips collected, the percentage that met the criterion.",
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
    helps = {
        "questions_scripted": "The questions you wrote together, word for word.",
        "anticipated_responses": "What students are likely to say or get wrong, and the reply.",
        "practised": "Which part of the move, in which moment of the lesson.",
        "feedback_given": "The one thing to do differently next round.",
        "misconceptions": "What the slips show students misunderstand.",
        "next_instructional_step": "What the teacher will teach next because of it.",
    }
    return forms.CharField(label=label, required=False, widget=_text(3), help_text=helps[name])


class SessionForm(forms.Form):
    """Log a held session (``with_kind``: the kind is chosen here) or record / correct one."""

    kind = forms.ChoiceField(label="Kind of session", choices=LOGGABLE_KINDS)
    held_at = _datetime_field(label="Held at")
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=1,
        max_value=480,
        error_messages={
            "min_value": "A session lasts at least 1 minute.",
            "max_value": "A session lasts at most 480 minutes (8 hours).",
        },
        help_text="Counts as direct-coaching time by itself: no separate time entry needed.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=_text(4),
        help_text="Confidential to you and the teacher.",
    )

    def __init__(
        self, *args, kind: str, with_kind: bool = True, kind_url: str = "", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind_value = kind
        if not with_kind:
            del self.fields["kind"]
        elif kind_url:  # choosing a kind swaps its fields in place
            self.fields["kind"].widget.attrs.update(
                {
                    "hx-get": kind_url,
                    "hx-trigger": "change",
                    "hx-target": "#kind-fields",
                    "hx-push-url": "true",
                }
            )
        notes = self.fields.pop("notes")
        fields = KIND_FIELDS.get(kind, ())
        for name in fields:
            self.fields[name] = _kind_field(name)
        if fields:
            self.fields[fields[0]].required = True
        self.fields["notes"] = notes
        if kind in NOTES_ONLY:
            notes.required = True
            notes.help_text = "What happened and what the teacher noticed. " + notes.help_text

    @property
    def kind_field_names(self) -> list[str]:
        return [*KIND_FIELDS.get(self.kind_value, ()), "notes"]

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.kind_field_names]

    def clean_held_at(self):
        held_at = self.cleaned_data["held_at"]
        if held_at > timezone.now() + datetime.timedelta(minutes=10):
            raise ValidationError(
                "This time is in the future: record a session after it is held (plan future "
                "sessions on the cycle's plan)."
            )
        return held_at

    def details(self) -> dict:
        """The values the session services take (empty texts for blank kind fields)."""
        names = ["held_at", "duration_minutes", *self.kind_field_names]
        return {name: self.cleaned_data.get(name) for name in names}


class RevisitMoveForm(forms.Form):
    due_on = PlausibleDateField(
        label="New date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="A school day 10 to 20 school days after the last touch.",
    )
    off_rule_reason = forms.CharField(
        label="Reason for this date",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only for a date outside the revisit window: why this day. Kept on the "
        "revisit and shown on the cycle page.",
    )

    def __init__(self, *args, window=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.window = window
        if window is not None:
            self.fields["due_on"].help_text = f"A school day {window.text}."

    @property
    def needs_reason(self) -> bool:
        """Whether to show "Reason for this date": it was refused without one, or has one."""
        return bool(
            self.errors.get("off_rule_reason")
            or (self.is_bound and self.data.get("off_rule_reason", "").strip())
        )
