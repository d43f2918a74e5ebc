"""Validators for identifiers used in the case file."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.be import bis, nn

_NON_DIGITS = re.compile(r"[\s.\-/]")


def normalise_national_number(value: str) -> str:
    """Strip the usual separators (85.07.30-033.28) and keep the 11 digits."""
    return _NON_DIGITS.sub("", value or "")


def national_number_is_valid(value: str) -> bool:
    """A Belgian national register number (rijksregisternummer, `be.nn`) or a BIS number (`be.bis`, for
    people not in the national register: month + 20 or + 40), checked by python-stdnum: 11 digits,
    the check digits (97-modulus, with the 2000s rule) and a possible date of birth in the first six.
    """
    digits = normalise_national_number(value)
    if len(digits) != 11 or not digits.isdigit():
        return False
    return nn.is_valid(digits) or bis.is_valid(digits)


def validate_national_number(value: str) -> None:
    if not national_number_is_valid(value):
        raise ValidationError(
            _("Ongeldig rijksregisternummer: 11 cijfers met geldige controlecijfers verwacht."),
            code="invalid_national_number",
        )
