"""Forms of the live observation's entries: a note, an engagement sweep, student evidence. Each
carries the client id the page gave it (a resend is stored once) and the time it was made."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from frameworks.models import Component
from observations.models import STUDENTS_PRESENT_MAX, EvidenceKind, Observation, Phase

ENGAGED_ABOVE_PRESENT = "Engaged students cannot outnumber the students present."
# Shown next to "Students present" by the form and, before anything is sent, by the live page's
# script (it reads it from the field's data-invalid-message).
PRESENT_COUNT_INVALID = f"Students present must be a whole number from 1 to {STUDENTS_PRESENT_MAX}."
ENGAGED_COUNT_INVALID = "Students engaged must be a whole number from 0 to the students present."


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
