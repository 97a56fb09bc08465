"""Forms for scheduling a visit, the live observation's entries and the debrief."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from coaching.models import Outcome
from coaching.selectors import RevisitWindow
from coaching.services import DebriefDecision
from core.forms import PlausibleDateField, PlausibleDateTimeField
from frameworks.models import Component
from observations.models import STUDENTS_PRESENT_MAX, EvidenceKind, Observation, Phase

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
ENGAGED_ABOVE_PRESENT = "Engaged students cannot outnumber the students present."
# Shown next to "Students present" by the form and, before anything is sent, by the live page's
# script (it reads it from the field's data-invalid-message).
PRESENT_COUNT_INVALID = f"Students present must be a whole number from 1 to {STUDENTS_PRESENT_MAX}."
ENGAGED_COUNT_INVALID = "Students engaged must be a whole number from 0 to the students present."


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


# --- Live observation entries ------------------------------------------------------------------


class _EntryForm(forms.Form):
    """Fields every live entry has: the id the page gave it (a resend is stored once) and the
    time the coach made it on the tablet."""

    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    taken_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, observation: Observation, **kwargs):
        super().__init__(*args, **kwargs)
        self.observation = observation

    def clean_taken_at(self) -> datetime.datetime | None:
        """The tablet's time for the entry. An entry made offline is sent later and keeps the
        time it was made; a clock that is off is brought within the visit, never refused (a
        refused entry would be dropped from the tablet's queue)."""
        raw = (self.cleaned_data.get("taken_at") or "").strip()
        if not raw:
            return None
        try:
            value = parse_datetime(raw)
        except ValueError:
            value = None
        if value is None:
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        now = timezone.now()
        if value > now:
            return now
        started = self.observation.started_at
        if started is not None and value < started:
            return started
        return value


class NoteEntryForm(_EntryForm):
    text = forms.CharField(
        label="Note",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the note first."},
    )


class SweepEntryForm(_EntryForm):
    phase = forms.ChoiceField(
        label="Phase",
        choices=Phase.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose before or after the move."},
    )
    present_count = forms.IntegerField(
        label="Students present",
        min_value=1,
        max_value=STUDENTS_PRESENT_MAX,
        error_messages={
            "required": "How many students are present?",
            "invalid": PRESENT_COUNT_INVALID,
            "min_value": PRESENT_COUNT_INVALID,
            "max_value": PRESENT_COUNT_INVALID,
        },
    )
    engaged_count = forms.IntegerField(
        label="Students engaged",
        min_value=0,
        max_value=STUDENTS_PRESENT_MAX,
        error_messages={
            "required": "How many students are engaged?",
            "invalid": ENGAGED_COUNT_INVALID,
            "min_value": ENGAGED_COUNT_INVALID,
            "max_value": ENGAGED_COUNT_INVALID,
        },
    )

    def clean(self):
        cleaned = super().clean()
        engaged, present = cleaned.get("engaged_count"), cleaned.get("present_count")
        if engaged is not None and present is not None and engaged > present:
            self.add_error("engaged_count", ENGAGED_ABOVE_PRESENT)
        return cleaned


class EvidenceEntryForm(_EntryForm):
    kind = forms.ChoiceField(
        label="What students",
        choices=EvidenceKind.choices,
        error_messages={"required": "Choose said, produced or understood."},
    )
    description = forms.CharField(
        label="Quote or description",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A short quote or what students produced. Never write students' names.",
        error_messages={"required": "Write the quote or a short description first."},
    )
    components = forms.ModelMultipleChoiceField(
        label="Framework component",
        queryset=Component.objects.all(),
        required=False,
        help_text="Optional: the component of your district's framework this evidence shows.",
        error_messages={
            "invalid_choice": "Pick a component of your district's framework.",
            "invalid_pk_value": "Pick a component of your district's framework.",
        },
    )

    def __init__(self, data=None, *args, **kwargs):
        """An entry the page queued (it has a client id) may arrive after its component was
        deleted with a framework: the evidence is saved without it rather than refused (the
        service also leaves out components no longer of the active framework)."""
        if data is not None and (data.get("client_id") or "").strip() and "components" in data:
            sent = data.getlist("components") if hasattr(data, "getlist") else data["components"]
            sent = [str(v) for v in (sent if isinstance(sent, list | tuple) else [sent])]
            ids = [v for v in sent if v.isascii() and v.isdigit() and len(v) < 10]
            known = {
                str(pk) for pk in Component.objects.filter(pk__in=ids).values_list("pk", flat=True)
            }
            data = data.copy()
            if hasattr(data, "setlist"):
                data.setlist("components", [v for v in sent if v in known])
            else:
                data["components"] = [v for v in sent if v in known]
        super().__init__(data, *args, **kwargs)


ENTRY_FORMS: dict[str, type[_EntryForm]] = {
    "note": NoteEntryForm,
    "sweep": SweepEntryForm,
    "evidence": EvidenceEntryForm,
}


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
