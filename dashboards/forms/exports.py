"""The exports page's form (GET): what to export, the period (a preset or two dates) and,
optionally, one school."""

import datetime
from collections.abc import Mapping

from django import forms
from django.db.models import QuerySet

from dashboards.exports import EXPORT_MAX_DAYS, ExportKind, PeriodPreset, preset_period
from dashboards.forms.dashboard import EARLIEST, LATEST
from teachers.models import School

EXPORT_FIELDS = ("what", "period", "start", "end", "school")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExportForm(forms.Form):
    """``kinds``: what the user may export; ``schools``: the schools they may narrow it to
    (the field is left out when there are none); ``today``: the date the presets count from.
    With a preset period the two dates are not used (nor checked)."""

    what = forms.ChoiceField(label="What to export", choices=ExportKind.choices)
    period = forms.ChoiceField(
        label="Period", choices=PeriodPreset.choices, initial=PeriodPreset.THIS_MONTH
    )
    start = forms.DateField(
        label="From",
        required=False,
        widget=_date_input(),
        help_text="With custom dates: the first day (included).",
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=_date_input(),
        help_text=f"With custom dates: the last day (included), at most {EXPORT_MAX_DAYS} days "
        "after the first.",
    )
    school = forms.ModelChoiceField(
        label="School",
        queryset=School.objects.none(),
        required=False,
        empty_label="All my schools",
    )

    def __init__(
        self,
        params: Mapping[str, str] | None = None,
        *,
        kinds: list[str],
        schools: QuerySet[School],
        today: datetime.date,
    ):
        data = None
        if params is not None:
            data = {name: params.get(name, "") for name in EXPORT_FIELDS}
            if data["period"] not in ("", PeriodPreset.CUSTOM):
                data["start"] = data["end"] = ""  # a preset: the dates are not used
        first, last = preset_period(PeriodPreset.THIS_MONTH, today=today)
        super().__init__(data, initial={"start": first, "end": last})
        self.today = today
        self.fields["what"].choices = [(k, label) for k, label in ExportKind.choices if k in kinds]
        if schools is None or not schools.exists():
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools

    def _clean_date(self, name: str) -> datetime.date | None:
        value = self.cleaned_data[name]
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                f"Choose a date between {EARLIEST.year} and {LATEST.year}.", code="out_of_range"
            )
        return value

    def clean_start(self) -> datetime.date | None:
        return self._clean_date("start")

    def clean_end(self) -> datetime.date | None:
        return self._clean_date("end")

    def clean(self) -> dict:
        data = super().clean()
        period = data.get("period")
        if period is None:
            return data
        if period != PeriodPreset.CUSTOM:
            data["start"], data["end"] = preset_period(period, today=self.today)
            return data
        start, end = data.get("start"), data.get("end")
        for name, value, what in (("start", start, "first"), ("end", end, "last")):
            if value is None and name not in self.errors:
                self.add_error(name, f"Give the {what} day of the period.")
        if start and end:
            if start > end:
                self.add_error("end", "The period must end on or after its first day.")
            elif (end - start).days + 1 > EXPORT_MAX_DAYS:
                self.add_error(
                    "end",
                    f"Export at most {EXPORT_MAX_DAYS} days (two years) at a time; "
                    "split a longer period.",
                )
        return data
