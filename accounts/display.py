"""How a person's name and a date are shown: one way, on every page, PDF, e-mail and export.

- A person is "first name last name" (Ayoub Bakkali), as people write it in running text and on a
  letter; lists are still *sorted* by last name, they just do not print the name another way.
- A date is the short local date (31/12/2026), a moment the short local date and time in Brussels'
  time (31/12/2026 14:05): `config/formats/` makes both day-first in every language (ADR 0010).
Templates use the `display` library: `{{ detainee|person_name }}`, `{{ day|local_date }}`,
`{{ moment|local_datetime }}`."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone


def person_name(person=None, *, first_name: str = "", last_name: str = "") -> str:
    """'First Last' for anything with first_name/last_name (a detainee, a user), or the two parts; an
    account without a name is its username."""
    username = ""
    if isinstance(person, dict):
        first_name, last_name = person.get("first_name") or "", person.get("last_name") or ""
    elif person is not None:
        first_name = getattr(person, "first_name", "") or ""
        last_name = getattr(person, "last_name", "") or ""
        username = getattr(person, "username", "") or ""
    name = " ".join(part.strip() for part in (first_name, last_name) if part and part.strip())
    return name or username


def local_date(value) -> str:
    """The short local date of a date or an aware datetime ('' for None)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def local_datetime(value) -> str:
    """The short local date and time of an aware datetime, in the site's time zone ('' for None)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if not isinstance(value, dt.datetime):
        return local_date(value)
    return formats.date_format(value, "SHORT_DATETIME_FORMAT")
