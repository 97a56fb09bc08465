"""The dashboards' filter bar (GET): a period, one coach, one need area."""

import datetime
from collections.abc import Mapping

from django import forms

from accounts.models import User
from coaching.models import NeedArea
from dashboards.selectors import FILTER_EARLIEST as EARLIEST
from dashboards.selectors import FILTER_LATEST as LATEST
from dashboards.selectors import DashboardFilters

# Dates outside EARLIEST..LATEST are refused next to the field (see coaching.selectors).
FILTER_FIELDS = ("start", "end", "coach", "need_area")


class CoachChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class DashboardFilterForm(forms.Form):
    """Always bound: ``data`` is the query string with the period filled in from ``defaults``
    where it is missing, so the date inputs show the period the figures cover. ``coaches``: the
    coaches the user may see (the only ones the coach select offers and accepts)."""

    start = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    end = forms.DateField(
        label="To",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    coach = CoachChoiceField(
        label="Coach",
        queryset=User.objects.none(),
        required=False,
        empty_label="All coaches",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    need_area = forms.ChoiceField(
        label="Need area",
        choices=[("", "Any need area"), *NeedArea.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, params: Mapping[str, str], *, coaches, defaults: DashboardFilters):
        data = {name: params.get(name) or "" for name in FILTER_FIELDS}
        data["start"] = data["start"] or defaults.period_start.isoformat()
        data["end"] = data["end"] or defaults.period_end.isoformat()
        super().__init__(data)
        self.defaults = defaults
        self.fields["coach"].queryset = coaches

    def _clean_date(self, name: str) -> datetime.date:
        value = self.cleaned_data[name]
        if not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                f"Choose a date between {EARLIEST.year} and {LATEST.year}.", code="out_of_range"
            )
        return value

    def clean_start(self) -> datetime.date:
        return self._clean_date("start")

    def clean_end(self) -> datetime.date:
        return self._clean_date("end")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The period must end on or after its first day.")
        return data

    def filters(self) -> DashboardFilters:
        """The filters the form asks for; the defaults while it has errors (the fields in
        error are marked for assistive technology)."""
        if not self.is_valid():
            for name in self.errors:
                if name in self.fields:
                    attrs = self.fields[name].widget.attrs
                    attrs["class"] = attrs.get("class", "") + " is-invalid"
                    attrs["aria-invalid"] = "true"
                    attrs["aria-describedby"] = f"{self[name].auto_id}-error"
            return self.defaults
        coach = self.cleaned_data["coach"]
        return DashboardFilters(
            period_start=self.cleaned_data["start"],
            period_end=self.cleaned_data["end"],
            coach_id=coach.pk if coach else None,
            need_area=self.cleaned_data["need_area"] or None,
        )
