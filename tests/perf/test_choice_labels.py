"""`get_<field>_display()` answers exactly as Django's, in every language, without translating every choice."""

from __future__ import annotations

from unittest import mock

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from accounts.models import BaseModel, User
from casework.models import Detainee, Session


def _choice_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices and hasattr(model, f"get_{field.name}_display"):
                yield model, field


@pytest.mark.parametrize("language", ["nl-be", "fr-be", "en"])
def test_every_choice_label_is_the_one_django_gives(language):
    checked = 0
    with translation.override(language):
        for model, field in _choice_fields():
            for value in [v for v, _label in field.flatchoices] + ["not-a-choice", None]:
                instance = model.__new__(model)
                instance.__dict__[field.attname] = value
                ours = getattr(instance, f"get_{field.name}_display")()
                assert ours == models.Model._get_FIELD_display(instance, field), (model, field.name, value)
                assert type(ours) is type(models.Model._get_FIELD_display(instance, field))
                checked += 1
    assert checked > 200


def test_the_project_models_use_the_kept_labels():
    assert issubclass(Detainee, BaseModel) and issubclass(Session, BaseModel)
    for model in (Detainee, Session, User):
        assert model._get_FIELD_display.__module__ == "accounts.models"


def test_one_label_is_translated_per_call_not_every_choice():
    session = Session(attendance=Session.Attendance.NO_SHOW)
    session.get_attendance_display()  # the map is built once
    from django.utils.translation import trans_real

    spy = mock.patch.object(translation._trans, "gettext", wraps=trans_real.gettext, create=True)
    with translation.override("fr-be"), spy as spy:
        label = session.get_attendance_display()
    assert spy.call_count == 1  # Django's own way translates every choice: 6
    with translation.override("fr-be"):
        assert label == str(Session.Attendance.NO_SHOW.label)
    with translation.override("en"):
        assert session.get_attendance_display() == str(Session.Attendance.NO_SHOW.label) != label
