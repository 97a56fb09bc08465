"""Forms of the time page: log the rest of a coach's time by hand, and correct an entry."""

import datetime
import uuid

from django import forms
from django.db.models import QuerySet

from coaching.models import CoachingCycle, TimeCategory, TimeEntry
from coaching.services import time_entry_date_bounds, time_entry_date_problem

# Direct coaching and observation time come from sessions and observations by themselves.
MANUAL_CATEGORIES = (
    TimeCategory.ADMIN,
    TimeCategory.MEETINGS,
    TimeCategory.COVERAGE,
    TimeCategory.PREPARATION,
    TimeCategory.DOCUMENTATION,
)


class CycleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CoachingCycle) -> str:
        return (
            f"{obj.teacher.full_name} · {obj.assessment.get_need_area_display()} "
            f"({obj.get_state_display().lower()})"
        )


class FormKeyField(forms.Field):
    """The hidden key of a form. A key that is not one (an edited page) is dropped rather than
    refused: a hidden field's error would show nowhere; the form then saves without a key."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> uuid.UUID | None:
        try:
            return uuid.UUID(str(value))
        except (TypeError, ValueError):
            return None


class _TimeFields(forms.Form):
    category = forms.ChoiceField(
        choices=[(c.value, c.label) for c in MANUAL_CATEGORIES],
        help_text="Direct coaching and observation time are logged by sessions and "
        "observations themselves.",
    )
    minutes = forms.IntegerField(min_value=1, max_value=1440)
    entry_date = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    cycle = CycleChoiceField(
        queryset=CoachingCycle.objects.none(),
        required=False,
        empty_label="No cycle",
        help_text="Optional: the cycle this time was for.",
    )
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, cycles: QuerySet[CoachingCycle], **kwargs):
        super().__init__(*args, **kwargs)
        earliest, self.today = time_entry_date_bounds()
        self.fields["cycle"].queryset = cycles.select_related("teacher", "assessment").order_by(
            "teacher__last_name", "teacher__first_name"
        )
        self.fields["entry_date"].widget.attrs.update(
            min=earliest.isoformat(), max=self.today.isoformat()
        )

    def clean_entry_date(self) -> datetime.date:
        """The days the service accepts, with its message naming them."""
        day = self.cleaned_data["entry_date"]
        if problem := time_entry_date_problem(day):
            raise forms.ValidationError(problem, code="range")
        return day


class TimeEntryForm(_TimeFields):
    """Log time by hand. ``schools``: where the coach works; a select only when several."""

    field_order = ("school", "category", "minutes", "entry_date", "cycle", "note", "client_id")

    school = forms.ModelChoiceField(queryset=None, empty_label=None)
    # The form's own key, made when the page shows the form: the same form sent again (Back,
    # then "Log time") logs nothing new (services.time_entry_log).
    client_id = FormKeyField()

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry_date"].initial = self.today
        self.fields["client_id"].initial = uuid.uuid4
        self.fields["school"].queryset = schools
        self.single_school = schools[0] if len(schools) == 1 else None
        if self.single_school:
            del self.fields["school"]  # nothing to choose

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.single_school:
            cleaned["school"] = self.single_school
        return cleaned


class TimeEntryCorrectForm(_TimeFields):
    """Correct a manual entry; keeps the entry's own category and cycle among the choices."""

    def __init__(self, *args, entry: TimeEntry, cycles: QuerySet[CoachingCycle], **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "category": entry.category,
                "minutes": entry.minutes,
                "entry_date": entry.entry_date,
                "cycle": entry.cycle_id,
                "note": entry.note,
            },
        )
        if entry.cycle_id:
            cycles = cycles | CoachingCycle.objects.filter(pk=entry.cycle_id)
        super().__init__(*args, cycles=cycles.distinct(), **kwargs)
        if entry.category not in MANUAL_CATEGORIES:
            self.fields["category"].choices = [
                (entry.category, entry.get_category_display()),
                *self.fields["category"].choices,
            ]
