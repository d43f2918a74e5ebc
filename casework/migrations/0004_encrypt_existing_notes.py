"""Encrypt the notes written before field encryption existed (and decrypt them on the way back).

Raw SQL on purpose: the model field now decrypts on load, so the ORM cannot read the old plaintext.
The history tables (pghistory events) hold copies of the same text and are encrypted too.
"""

import pgtrigger
from django.db import migrations

from config.crypto import TOKEN_PREFIX, decrypt_text, encrypt_text

COLUMNS = [
    ("casework_session", "confidential_notes"),
    ("casework_sessionevent", "confidential_notes"),
    ("casework_networkperson", "notes"),
    ("casework_networkpersonevent", "notes"),
]


def _convert(schema_editor, transform, wants_encrypted: bool) -> None:
    # Re-encoding the same text is not a change anybody made: keep the history triggers quiet.
    with pgtrigger.ignore("casework.Session:update_update", "casework.NetworkPerson:update_update"), \
            schema_editor.connection.cursor() as cursor:
        for table, column in COLUMNS:
            pk = "pgh_id" if table.endswith("event") else "id"
            cursor.execute(f'SELECT "{pk}", "{column}" FROM "{table}" WHERE "{column}" <> %s', [""])  # noqa: S608
            for row_id, value in cursor.fetchall():
                if value.startswith(TOKEN_PREFIX) == wants_encrypted:
                    continue
                cursor.execute(f'UPDATE "{table}" SET "{column}" = %s WHERE "{pk}" = %s', [transform(value), row_id])  # noqa: S608


def encrypt(apps, schema_editor):
    _convert(schema_editor, encrypt_text, wants_encrypted=True)


def decrypt(apps, schema_editor):
    _convert(schema_editor, decrypt_text, wants_encrypted=False)


class Migration(migrations.Migration):
    dependencies = [("casework", "0003_detainee_retention_field_encryption")]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=False)]
