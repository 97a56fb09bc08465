"""The upload form of roster imports."""

from django import forms
from django.conf import settings

from accounts.models import User
from rosters import selectors


class RosterUploadForm(forms.Form):
    bundle = forms.FileField(
        label="OneRoster bundle (.zip)",
        help_text="A zip of the OneRoster 1.1 CSV files: manifest.csv, orgs.csv and users.csv "
        "(other files are ignored).",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    district = forms.ModelChoiceField(
        queryset=None,
        label="District",
        help_text="The district the bundle is imported into.",
    )
    dry_run = forms.BooleanField(
        label="Dry run only",
        required=False,
        initial=True,
        help_text="Show what would change, row by row, without changing anything.",
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        districts = selectors.districts_administered(user=user)
        field = self.fields["district"]
        field.queryset = districts
        if user.is_superuser:
            field.required = False
            field.empty_label = "A new district, from the bundle's district org"
            field.help_text += " Empty: the district the bundle names (created if new)."
        elif districts.count() == 1:
            field.initial = districts.first().pk
            field.empty_label = None

    def clean_bundle(self):
        upload = self.cleaned_data["bundle"]
        limit = settings.ROSTER_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is larger than {limit // (1024 * 1024)} MB; split the district or "
                "use `manage.py import_roster` on the server."
            )
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError("Upload the bundle as a .zip file.")
        data = upload.read()
        if not data.startswith(b"PK"):
            raise forms.ValidationError("This file is not a zip archive.")
        self.cleaned_data["bundle_bytes"] = data
        return upload
