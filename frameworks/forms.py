"""The upload form of framework CSV files."""

from django import forms

from accounts.models import User
from frameworks import selectors, services


class FrameworkImportForm(forms.Form):
    district = forms.ModelChoiceField(queryset=None, label="District")
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="How coaches will know it, e.g. “Our teaching rubric 2026”.",
        error_messages={"required": "Give the framework a name."},
    )
    file = forms.FileField(
        label="CSV file",
        help_text=f"UTF-8 CSV, at most {services.MAX_BYTES // 1024} KB and "
        f"{services.MAX_ROWS} rows, in the format described on this page.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose the CSV file to import."},
    )
    activate = forms.BooleanField(
        label="Make it the district's active framework",
        required=False,
        help_text="Coaches tag moves and evidence with the active framework's components.",
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        districts = selectors.framework_districts_for(user=user)
        field = self.fields["district"]
        field.queryset = districts
        if not user.is_superuser and len(districts) == 1:
            field.initial = districts[0].pk
            field.empty_label = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > services.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {services.MAX_BYTES // 1024} KB; a framework fits "
                "well under that."
            )
        return upload
