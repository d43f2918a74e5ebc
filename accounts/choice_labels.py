"""`get_<field>_display()` without translating every choice on every call.

Django's own `Model._get_FIELD_display` builds `dict(make_hashable(field.flatchoices))` on each call, and
hashing a lazily translated label translates it: a list of 25 files showing two choice fields translated some 300
labels to show 50. Here the value → (lazy) label map is built once per field and kept; only the one label shown
is translated, in the language active at that moment. Fields whose choices are a callable (evaluated anew each
time) keep Django's way. `BaseModel` and `User` route their `get_<field>_display` through `label_of`.
"""

from __future__ import annotations

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS: dict[models.Field, dict] = {}


def _labels(field: models.Field) -> dict | None:
    labels = _LABELS.get(field)
    if labels is None:
        if not isinstance(field.choices, list | tuple):
            return None
        labels = _LABELS[field] = {make_hashable(value): label for value, label in field.flatchoices}
    return labels


def label_of(instance: models.Model, field: models.Field):
    labels = _labels(field)
    if labels is None:
        return models.Model._get_FIELD_display(instance, field)
    value = getattr(instance, field.attname)
    return force_str(labels.get(make_hashable(value), value), strings_only=True)
