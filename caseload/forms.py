"""Forms of the caseload filter bar and the teacher page."""

from django import forms

from caseload.selectors import CASELOAD_SHOW, CASELOAD_SORTS
from coaching.models import NeedArea, PersistentProblem, ProblemOfPractice
from teachers.models import Teacher

# teachers.services.PROFILE_FIELDS, in the order the form shows them.
PROFILE_ORDER = (
    "subject",
    "grade_band",
    "years_experience",
    "disposition",
    "orientation",
    "time_focus",
)


class CaseloadFilterForm(forms.Form):
    """The caseload's filter bar (GET). Unknown values fall back to the defaults."""

    show = forms.ChoiceField(
        label="Show",
        choices=list(CASELOAD_SHOW.items()),
        required=False,
        initial="all",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    need = forms.ChoiceField(
        label="Need area",
        choices=[("", "Any need area"), *NeedArea.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=list(CASELOAD_SORTS.items()),
        required=False,
        initial="name",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_valid() or hasattr(self, "cleaned_data") else {}
        return {
            "show": data.get("show") or "all",
            "need_area": data.get("need") or "",
            "sort": data.get("sort") or "name",
        }


class TeacherProfileForm(forms.Form):
    """The profile a coach adapts to. Names, school and sign-in stay with the administrator."""

    def __init__(self, *args, teacher: Teacher, **kwargs):
        kwargs.setdefault("initial", {name: getattr(teacher, name) for name in PROFILE_ORDER})
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(Teacher, fields=PROFILE_ORDER))
        self.fields["subject"].widget.attrs["autofocus"] = True  # htmx focuses it after the swap
        self.fields["years_experience"] = forms.IntegerField(
            label="Years in the classroom", min_value=0, max_value=60
        )
        disposition = self.fields["disposition"]
        disposition.help_text = "How they come to coaching right now; it decides the stance."


class PersistentProblemForm(forms.Form):
    """A problem of practice the teacher agreed to work on across cycles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                PersistentProblem,
                fields=("statement", "category"),
                widgets={"statement": forms.Textarea(attrs={"rows": 3})},
                labels={
                    "statement": "The problem, in the teacher's words",
                    "category": "Persistent problem of teaching",
                },
            )
        )
        self.fields["category"].choices = [("", "Choose one…"), *ProblemOfPractice.choices]
        self.fields["category"].help_text = "Kennedy (2016): the five problems every teacher faces."
