"""Template filters for the one way names and dates are shown (accounts/display.py)."""

from django import template

from accounts import display

register = template.Library()


@register.filter
def person_name(person) -> str:
    return display.person_name(person)


@register.filter
def local_date(value) -> str:
    return display.local_date(value)


@register.filter
def local_datetime(value) -> str:
    return display.local_datetime(value)
