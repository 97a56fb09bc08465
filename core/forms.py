"""Form helpers shared by every app's views."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: errors keyed by a field go next to that
    field (a model field may be renamed to the form's name through ``rename``); errors for
    fields the form does not have, and errors without a key, go to the top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    rename = rename or {}
    for name, errors in exc.error_dict.items():
        name = rename.get(name, name)
        form.add_error(name if name in form.fields else None, errors)
