"""The erasure's confirmation: the administrator types the teacher's name."""

from django import forms


class ErasureConfirmForm(forms.Form):
    confirm_name = forms.CharField(
        label="Type the teacher's full name to confirm",
        max_length=250,
        strip=True,
    )

    def __init__(self, *args, expected: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected
        self.fields["confirm_name"].help_text = f"Type “{expected}” exactly as shown."

    def clean_confirm_name(self) -> str:
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed.casefold() != " ".join(self.expected.split()).casefold():
            raise forms.ValidationError("This is not the teacher's name: nothing was erased.")
        return typed


class TeacherSearchForm(forms.Form):
    q = forms.CharField(label="Teacher's name or email", max_length=100, required=False)


class RetentionForm(forms.Form):
    years = forms.IntegerField(
        label="Years of coaching content kept",
        required=False,
        min_value=1,
        max_value=50,
        help_text="What was written in a cycle closed longer ago is erased within hours (the "
        "counts stay). Empty: kept for ever.",
    )
