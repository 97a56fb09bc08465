"""Forms of the clips pages."""

import re

from django import forms

_AT_RE = re.compile(r"^\s*(?:(\d{1,3}):)?(\d{1,5})(?:\.(\d{1,3}))?\s*$")


def parse_at(value: str) -> float | None:
    """'m:ss', 'ss' or 'm:ss.s' -> seconds; None when it is not a time."""
    match = _AT_RE.match(value or "")
    if not match:
        return None
    minutes, seconds, fraction = match.groups()
    if minutes is not None and int(seconds) >= 60:
        return None
    total = int(minutes or 0) * 60 + int(seconds)
    return total + (int(fraction) / 10 ** len(fraction) if fraction else 0)


class ClipStartForm(forms.Form):
    """The upload form: the title typed; the file's name, size and type filled in by the
    page's script from the file chosen, checked before the first byte is sent."""

    title = forms.CharField(
        max_length=200, help_text="What the clip shows, e.g. “Hinge question, period 2”."
    )
    name = forms.CharField(max_length=255, required=False, widget=forms.HiddenInput)
    size = forms.IntegerField(
        min_value=0, max_value=10**15, required=False, widget=forms.HiddenInput
    )
    type = forms.CharField(max_length=100, required=False, widget=forms.HiddenInput)
    # The file's lastModified (ms since 1970): with the name and size, the key to resume.
    modified = forms.IntegerField(
        min_value=0, max_value=10**15, required=False, widget=forms.HiddenInput
    )


class ClipCommentForm(forms.Form):
    at = forms.CharField(
        label="At (m:ss)",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1:05"}),
    )
    body = forms.CharField(
        label="Comment", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    tag = forms.ChoiceField(label="Tag (optional)", required=False)

    def __init__(self, *args, tag_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "No tag"), *tag_choices]

    def clean_at(self) -> float:
        seconds = parse_at(self.cleaned_data["at"])
        if seconds is None:
            raise forms.ValidationError("Give a time in the clip, like 1:05.")
        return seconds

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if "\x00" in body:
            raise forms.ValidationError("The comment holds a character that is not allowed.")
        return body
