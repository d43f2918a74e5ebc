"""Form helpers shared by every app: forms parse input, services hold the rules, and these glue them."""

from __future__ import annotations

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.models import fields_for_model, model_to_dict

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


def service_errors_as_messages(request, error: ValidationError) -> None:
    """A service's ValidationError as messages on the next page, for a button without a form of its own."""
    for message in error.messages:
        flash.error(request, message)


class _ModelFieldsMetaclass(DeclarativeFieldsMetaclass):
    """Adds the form fields of `Meta.model`'s `Meta.fields` (as a ModelForm makes them) before the declared ones."""

    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        meta = getattr(new_class, "Meta", None)
        if meta is not None and getattr(meta, "model", None) is not None:
            fields = fields_for_model(
                meta.model,
                fields=meta.fields,
                widgets=getattr(meta, "widgets", None),
                labels=getattr(meta, "labels", None),
                help_texts=getattr(meta, "help_texts", None),
                error_messages=getattr(meta, "error_messages", None),
            )
            fields.update(new_class.declared_fields)
            new_class.base_fields = fields
        return new_class


class ModelFieldsForm(forms.Form, metaclass=_ModelFieldsMetaclass):
    """A form that parses input with the model's own fields (labels, choices, lengths, widgets) and no more.

    Unlike a ModelForm it builds no instance and runs no model validation: the service receives the cleaned
    data, holds every rule and writes; its ValidationError comes back through `add_service_errors`. An
    `instance` only fills the initial values of an edit form (and tells `changed_data` what changed).
    """

    class Meta:
        model: type[Model] | None = None
        fields: list[str] = []

    def __init__(self, *args, instance: Model | None = None, **kwargs):
        model = self.Meta.model
        self.instance = instance if instance is not None else model()
        if instance is not None:
            kwargs["initial"] = {**model_to_dict(instance, fields=self.Meta.fields), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
