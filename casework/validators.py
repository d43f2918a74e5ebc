"""Validators for identifiers used in the case file."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_NON_DIGITS = re.compile(r"[\s.\-/]")


def normalise_national_number(value: str) -> str:
    """Strip the usual separators (85.07.30-033.28) and keep the 11 digits."""
    return _NON_DIGITS.sub("", value or "")


def national_number_is_valid(value: str) -> bool:
    """Belgian national register number: YYMMDD + 3-digit serial + 2 check digits.

    The check is 97 minus the first nine digits modulo 97; for people born in 2000 or later
    the nine digits are prefixed with a 2 before taking the modulus.
    """
    digits = normalise_national_number(value)
    if len(digits) != 11 or not digits.isdigit():
        return False
    body, check = int(digits[:9]), int(digits[9:])
    return check in (97 - body % 97, 97 - int("2" + digits[:9]) % 97)


def validate_national_number(value: str) -> None:
    if not national_number_is_valid(value):
        raise ValidationError(
            _("Ongeldig rijksregisternummer: 11 cijfers met geldige controlecijfers verwacht."),
            code="invalid_national_number",
        )
