"""Forms of the school calendar page: the weekdays a school teaches, a holiday or break typed
in, and a district's iCalendar file (.ics) to import. The page posts each with an ``action``
(a hidden input in the template) and a prefix, so the three never share a field id."""

import datetime

from django import forms

from core.forms import PlausibleDateField
from teachers.selectors import WEEKDAY_NAMES
from teachers.services import CALENDAR_FILE_MAX_BYTES

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class WeekdaysForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label="Days the school teaches",
        choices=list(WEEKDAY_NAMES.items()),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one day of the week."},
        help_text="Revisits, plans and reminders land on these days only (less the holidays "
        "and breaks).",
    )


class NonSchoolDayForm(forms.Form):
    name = forms.CharField(
        max_length=120, help_text="As staff call it: “Thanksgiving”, “Winter break”."
    )
    starts_on = PlausibleDateField(label="First day off", **DATE_WIDGET)
    ends_on = PlausibleDateField(
        label="Last day off",
        required=False,
        help_text="Leave empty for a single day. A break over a weekend includes the weekend.",
        **DATE_WIDGET,
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        first: datetime.date | None = cleaned.get("starts_on")
        last: datetime.date | None = cleaned.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", "The last day cannot be before the first day.")
        return cleaned


class CalendarImportForm(forms.Form):
    file = forms.FileField(
        label="Calendar file (.ics)",
        help_text="The district's calendar exported from Google Calendar, Outlook or the "
        "district website, at most 2 MB. Whole-day events become days off; timed events "
        "(meetings, games) are skipped. Importing the same file again changes nothing.",
        widget=forms.FileInput(attrs={"accept": ".ics,text/calendar"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CALENDAR_FILE_MAX_BYTES:
            raise forms.ValidationError(
                "The calendar file is larger than 2 MB; export one school year."
            )
        return upload

    def data_bytes(self) -> bytes:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return upload.read(CALENDAR_FILE_MAX_BYTES + 1)
