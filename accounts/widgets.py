"""A `<select>` written in Python: Django's markup without two template includes per option.

Django's `Select` renders `select.html`, which includes `select_option.html` for every option, which includes
`attrs.html`: a filter with 35 prisons costs some 70 template renders on every caseload visit. `LeanSelect`
writes the same elements and attributes from the same `get_context()` (so `optgroups`, `selected`, the empty
label and the attributes are Django's), escaped as the templates escape them.
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: `False` leaves the attribute out, `True` writes its name alone."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        )
    return "".join(parts)


class LeanSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        lines = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                lines.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                lines.append(
                    f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>"
                )
            if group_name:
                lines.append("</optgroup>")
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n  '
            + "\n  ".join(lines)
            + "\n</select>"
        )
