"""Form helpers shared by every app: forms parse input, services hold the rules, and these two glue them."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

# The browser's own date picker; ISO format so that a bound value reads back into the input.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
