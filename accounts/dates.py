"""Plausible dates, one rule set for every way data comes in (pages, API, import).

Every date and date-time field of the project's models is checked when a service validates the row
(`BaseModel.clean_fields`): nothing before 1900 (a typo such as 0205 for 2025, or a two-digit year read as
the first century) and nothing more than a hundred years ahead. The relations that make a case file
coherent (born before incarcerated, a sentence that ends after it starts, a contact not before the person
was born) are in `detainee_date_errors` and `casework.services._check_session`; the import's row check calls
the same function, so a file refused on the page is refused in a spreadsheet with the same words.
"""

from __future__ import annotations

import datetime as dt
from typing import overload

from django.utils import timezone
from django.utils.translation import gettext as _

from .display import local_date

EARLIEST = dt.date(1900, 1, 1)
YEARS_AHEAD = 100


def latest() -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))


@overload
def as_date(value: dt.date) -> dt.date: ...
@overload
def as_date(value: dt.date | None) -> dt.date | None: ...
def as_date(value: dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def range_error(value) -> str | None:
    """A message when `value` (date or datetime) is outside the plausible range, else None."""
    day = as_date(value)
    if day is None:
        return None
    if day < EARLIEST:
        return _("Deze datum is niet aannemelijk: vroegste datum is %(date)s.") % {"date": local_date(EARLIEST)}
    if day > latest():
        return _("Deze datum is niet aannemelijk: te ver in de toekomst.")
    return None


def detainee_date_errors(values: dict) -> dict[str, str]:
    """Errors per field for a case file's dates (a model instance's attributes or an import row's values)."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    born = values.get("date_of_birth")
    incarcerated = values.get("incarcerated_on")
    for name in (
        "date_of_birth",
        "incarcerated_on",
        "leave_eligible_on",
        "conditional_release_eligible_on",
        "sentence_ends_on",
        "released_on",
    ):
        message = range_error(values.get(name))
        if message:
            errors[name] = message
    if born and born > today and "date_of_birth" not in errors:
        errors["date_of_birth"] = _("De geboortedatum ligt in de toekomst.")
    if incarcerated and incarcerated > today and "incarcerated_on" not in errors:
        errors["incarcerated_on"] = _("De opsluitingsdatum ligt in de toekomst.")
    if born and incarcerated and incarcerated <= born and "incarcerated_on" not in errors:
        errors["incarcerated_on"] = _("De opsluiting moet na de geboortedatum liggen.")
    if incarcerated:
        for name, message in (
            ("sentence_ends_on", _("Het einde van de straf moet na de opsluiting liggen.")),
            ("released_on", _("De vrijlating kan niet vóór de opsluiting liggen.")),
            ("leave_eligible_on", _("De toelaatbaarheidsdatum kan niet vóór de opsluiting liggen.")),
            ("conditional_release_eligible_on", _("De toelaatbaarheidsdatum kan niet vóór de opsluiting liggen.")),
        ):
            value = values.get(name)
            too_early = value is not None and (
                value <= incarcerated if name == "sentence_ends_on" else value < incarcerated
            )
            if too_early and name not in errors:
                errors[name] = message
    return errors
