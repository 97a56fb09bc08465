"""Forms for scheduling a visit and the debrief (the live entries: live_observation.forms)."""

from django import forms

from coaching.models import Outcome
from coaching.selectors import RevisitWindow
from coaching.services import DebriefDecision
from core.forms import PlausibleDateField, PlausibleDateTimeField

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ObservationScheduleForm(forms.Form):
    scheduled_for = PlausibleDateTimeField(
        label="When",
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text="Date and time of the visit, in the school's time zone.",
    )
    focus = forms.CharField(
        label="Focus",
        max_length=200,
        required=False,
        help_text="What to look for in students, e.g. “how many boards go up within 10 s”.",
    )


# --- Debrief -----------------------------------------------------------------------------------

INDICATOR_CHOICES = (("yes", "Yes"), ("no", "No"), ("unclear", "Not clear"))
INDICATOR_VALUES = {"yes": True, "no": False, "unclear": None}
CLOSE_OUTCOMES = [
    (o.value, o.label) for o in (Outcome.PROGRESSING, Outcome.NOT_YET, Outcome.ABANDONED)
]


class DebriefForm(forms.Form):
    students_showed = forms.CharField(
        label="What students showed",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What students said, produced or understood: evidence about students, not "
        "about the teacher.",
    )
    indicator_met = forms.ChoiceField(
        label="Was the success indicator met?",
        choices=INDICATOR_CHOICES,
        widget=forms.RadioSelect,
    )
    next_step = forms.CharField(
        label="The next bite-sized step",
        max_length=300,
        help_text="ONE step the teacher can take in the next lesson. One step only.",
    )
    teacher_reflection = forms.CharField(
        label="The teacher's reflection",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In the teacher's own words: what they noticed, what they will keep.",
    )
    duration_minutes = forms.IntegerField(
        label="Length of the debrief (minutes)",
        min_value=1,
        max_value=480,
        help_text="Counted as direct coaching time; no separate time entry needed.",
        error_messages={"required": "How long did the debrief take?"},
    )
    decision = forms.ChoiceField(
        label="What next?",
        choices=DebriefDecision.CHOICES,
        widget=forms.RadioSelect,
    )
    revisit_due_on = PlausibleDateField(
        label="Revisit on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When continuing: a school day 10 to 20 school days from today.",
    )
    revisit_off_rule_reason = forms.CharField(
        label="Reason for this date",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only for a date outside the revisit window: why this day (e.g. the teacher "
        "is away that fortnight). Kept on the revisit and shown on the cycle page.",
    )
    outcome = forms.ChoiceField(
        label="Outcome when closing without mastery",
        choices=[("", "—"), *CLOSE_OUTCOMES],
        required=False,
    )

    def __init__(self, *args, window: RevisitWindow | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.window = window
        if window is not None:
            field = self.fields["revisit_due_on"]
            field.help_text = f"When continuing: a school day {window.text}."

    @property
    def needs_reason(self) -> bool:
        """Whether to show "Reason for this date": it was refused without one, or has one."""
        return bool(
            self.errors.get("revisit_off_rule_reason")
            or (self.is_bound and self.data.get("revisit_off_rule_reason", "").strip())
        )

    def clean_indicator_met(self) -> bool | None:
        return INDICATOR_VALUES[self.cleaned_data["indicator_met"]]

    def clean(self):
        """Which of the date and the outcome a decision needs; the date's range and the rest
        of the rule are the service's (debrief_conclude)."""
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == DebriefDecision.CONTINUE and not cleaned.get("revisit_due_on"):
            if "revisit_due_on" not in self.errors:
                self.add_error("revisit_due_on", "Pick the date of the revisit.")
        elif decision == DebriefDecision.CLOSE and not cleaned.get("outcome"):
            self.add_error(
                "outcome", "Choose how the cycle ends: progressing, not yet or abandoned."
            )
        return cleaned
