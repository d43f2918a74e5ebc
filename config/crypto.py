"""Field encryption at rest for the most sensitive free text (confidential notes, network notes).

A database dump, a backup or a read-only SQL account must not reveal what a consultant wrote in
confidence. The value is encrypted with Fernet (AES-128-CBC + HMAC-SHA256) before it reaches
PostgreSQL and decrypted when it is loaded. Keys come from `DJANGO_FIELD_ENCRYPTION_KEYS`
(comma-separated, url-safe base64 Fernet keys): the first encrypts, all of them decrypt, so a new
key can be put in front and the data re-encrypted with `manage.py rotate_field_keys` (docs/security.md).

Caveats: Fernet is randomised, so these columns cannot be searched, filtered or sorted on, and
an empty value is stored empty (emptiness is not a secret worth the cost of losing `blank`).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models

# Every Fernet token starts with the version byte 0x80, base64-encoded as "gAAAAA".
TOKEN_PREFIX = "gAAAAA"


class FieldDecryptionError(Exception):
    """A stored value could not be decrypted with any configured key (wrong or missing key)."""


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("DJANGO_FIELD_ENCRYPTION_KEYS is empty: field encryption needs at least one key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "DJANGO_FIELD_ENCRYPTION_KEYS holds a key that is not a 32-byte url-safe base64 Fernet key."
        ) from error


def fernet() -> MultiFernet:
    """The MultiFernet for the configured keys (cached per key list, so overriding settings works in tests)."""
    return _fernet_for(tuple(key.strip() for key in settings.FIELD_ENCRYPTION_KEYS if key.strip()))


def encrypt_text(plaintext: str) -> str:
    if plaintext == "":
        return ""
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    if token == "":
        return ""
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as error:
        # Never include the stored value in the message: it may be plaintext from a broken import.
        raise FieldDecryptionError("an encrypted field could not be decrypted with the configured keys") from error


def rotate_token(token: str) -> str:
    """Re-encrypt `token` with the current (first) key; an empty value stays empty."""
    if token == "":
        return ""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise FieldDecryptionError("an encrypted field could not be decrypted with the configured keys") from error


def blind_index(value: str) -> str:
    """A keyed hash (HMAC-SHA256 with `NATIONAL_NUMBER_INDEX_KEY`) of an identifier, for equality search
    and uniqueness on an encrypted column. Without the key the hash cannot be recomputed from a guess,
    so the 10^9 possible national numbers cannot be tried against a dump. Empty stays empty."""
    if not value:
        return ""
    key = settings.NATIONAL_NUMBER_INDEX_KEY
    if not key:
        raise ImproperlyConfigured("NATIONAL_NUMBER_INDEX_KEY is empty: the national number index needs a key.")
    return hmac.new(key.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A TextField whose value is encrypted in the database and plaintext in Python.

    `max_length` is enforced on the plaintext (model validation, forms and DRF serializers), as the
    ciphertext is about 1.4 times longer and the column is unbounded `text`.
    """

    description = "Text encrypted at rest"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt_text(value)
