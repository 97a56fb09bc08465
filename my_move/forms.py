"""Forms of the teacher's pages: the reflection before a debrief and sharing a cycle."""

from django import forms

from coaching.models import IndicatorSeen, Reflection

ENGAGED_ABOVE_PRESENT = "Engaged students cannot outnumber the students present."
BOTH_COUNTS = "Give both counts (engaged and present), or leave both empty."


class ReflectionForm(forms.Form):
    """The reflection prompts. The thinking stays with the teacher: three short answers about
    students and the move, and optionally their own engagement count."""

    students_did = forms.CharField(
        label="What did students say or produce when you tried the move?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A quote, an answer, a piece of work: what students showed, not how the "
        "lesson felt. No student names.",
        error_messages={"required": "Write what students said or produced."},
    )
    indicator_seen = forms.ChoiceField(
        label="Did the success indicator happen?",
        choices=IndicatorSeen.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes, partly, no or not sure."},
    )
    would_change = forms.CharField(
        label="What would you change next time?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One thing you would do differently, or keep doing on purpose.",
        error_messages={"required": "Write one thing you would change or keep."},
    )
    engaged_count = forms.IntegerField(
        label="Students engaged (optional)",
        required=False,
        min_value=0,
        max_value=500,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="If you counted: how many students were engaged right after the move.",
    )
    present_count = forms.IntegerField(
        label="Students present (optional)",
        required=False,
        min_value=1,
        max_value=500,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    @classmethod
    def for_reflection(cls, reflection: Reflection | None, data=None) -> "ReflectionForm":
        """The form, filled in with the answers already given (they can be changed)."""
        initial = {}
        if reflection is not None:
            initial = {name: getattr(reflection, name) for name in cls.base_fields}
        return cls(data, initial=initial)

    def clean(self):
        cleaned = super().clean()
        engaged, present = cleaned.get("engaged_count"), cleaned.get("present_count")
        if "engaged_count" in self.errors or "present_count" in self.errors:
            return cleaned
        if (engaged is None) != (present is None):
            self.add_error("present_count" if present is None else "engaged_count", BOTH_COUNTS)
        elif engaged is not None and engaged > present:
            self.add_error("engaged_count", ENGAGED_ABOVE_PRESENT)
        return cleaned


class CycleShareForm(forms.Form):
    """Share a cycle's record with the principal, or take it back (hidden fields of a button)."""

    cycle = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    shared = forms.TypedChoiceField(
        choices=(("1", "Share"), ("0", "Stop sharing")),
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    # Where the button was: "cycle" sends the teacher back to the cycle's own page.
    back = forms.ChoiceField(
        choices=(("", "My move"), ("cycle", "The cycle")), required=False, widget=forms.HiddenInput
    )
