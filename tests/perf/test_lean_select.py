"""`LeanSelect` writes what Django's `Select` writes (elements, attributes, escaping), without its templates."""

from __future__ import annotations

import re

import pytest
from django import forms

from accounts.widgets import LeanSelect


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


CHOICES = [("", "Alle"), ("a&b", 'Tom & "Jerry" <x>'), (3, "Drie"), ("Groep <1>", [("g1", "Eén"), ("g2", "Twee")])]


@pytest.mark.parametrize("value", [None, "", "a&b", 3, "3", "g2", "unknown"])
@pytest.mark.parametrize(
    "attrs", [{}, {"class": "form-select", "id": "id_x", "disabled": True, "data-x": False, "aria-label": 'a "b" <c>'}]
)
def test_the_markup_is_djangos(value, attrs):
    ours = LeanSelect(attrs=attrs, choices=CHOICES).render("x", value)
    django = forms.Select(attrs=attrs, choices=CHOICES).render("x", value)
    assert _normal(ours) == _normal(django)


def test_a_bound_field_of_the_caseload_filter_renders_the_same(db):
    from casework.forms import CaseloadFilterForm

    form = CaseloadFilterForm({"legal_status": "convicted", "scope": "in"})
    for name in ("prison", "scope", "legal_status"):
        bound = form[name]
        assert isinstance(bound.field.widget, LeanSelect)
        django = forms.Select(attrs=bound.field.widget.attrs, choices=bound.field.choices)
        assert _normal(bound.as_widget()) == _normal(
            django.render(bound.html_name, bound.value(), attrs={"id": bound.auto_id})
        )
    assert 'value="convicted" selected' in str(form["legal_status"].as_widget())
