"""Re-encrypt every encrypted field with the current (first) key of DJANGO_FIELD_ENCRYPTION_KEYS.

Procedure (docs/security.md): put the new key first, keep the old ones after it, deploy, run this
command, then remove the old keys. Safe to run twice; rows are processed in batches, each in its own
transaction, and the history triggers stay quiet (a rotation is not a change anybody made).
"""

from __future__ import annotations

import pgtrigger
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from config.crypto import EncryptedTextField, rotate_token

BATCH_SIZE = 500


def encrypted_columns():
    """(table, primary key column, [encrypted columns]) for every model, history event tables included."""
    for model in apps.get_models():
        columns = [field.column for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]
        if columns:
            yield model._meta.db_table, model._meta.pk.column, columns


def update_triggers():
    for model in apps.get_models():
        if any(isinstance(field, EncryptedTextField) for field in model._meta.concrete_fields):
            for trigger in getattr(model._meta, "triggers", []):
                if trigger.name.startswith("update"):
                    yield f"{model._meta.label}:{trigger.name}"


class Command(BaseCommand):
    help = "Re-encrypt encrypted fields with the current key (after adding a new key in front)."

    def handle(self, *args, **options):
        total = 0
        with pgtrigger.ignore(*update_triggers()):
            for table, pk, columns in encrypted_columns():
                rotated = self._rotate_table(table, pk, columns)
                total += rotated
                self.stdout.write(f"{table}: {rotated} row(s) re-encrypted")
        mfa = self._rotate_authenticators()
        self.stdout.write(f"mfa_authenticator: {mfa} secret(s) re-encrypted")
        total += mfa
        self.stdout.write(self.style.SUCCESS(f"Done: {total} row(s) re-encrypted with the current key."))

    def _rotate_authenticators(self) -> int:
        """TOTP secrets and recovery-code seeds are encrypted with the same keys (accounts.adapters.MFAAdapter)."""
        from allauth.mfa.models import Authenticator

        rotated = 0
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update().filter(
                type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
            ):
                key = "secret" if authenticator.type == Authenticator.Type.TOTP else "seed"
                if authenticator.data.get(key):
                    authenticator.data[key] = rotate_token(authenticator.data[key])
                    authenticator.save(update_fields=["data"])
                    rotated += 1
        return rotated

    def _rotate_table(self, table: str, pk: str, columns: list[str]) -> int:
        last_pk, rotated = 0, 0
        select_columns = ", ".join(f'"{column}"' for column in columns)
        assignments = ", ".join(f'"{column}" = %s' for column in columns)
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                # Lock the batch so a concurrent edit cannot be overwritten with the old text.
                cursor.execute(
                    f'SELECT "{pk}", {select_columns} FROM "{table}" WHERE "{pk}" > %s ORDER BY "{pk}" LIMIT %s FOR UPDATE',  # noqa: S608 - identifiers from model meta
                    [last_pk, BATCH_SIZE],
                )
                rows = cursor.fetchall()
                for row_pk, *values in rows:
                    cursor.execute(
                        f'UPDATE "{table}" SET {assignments} WHERE "{pk}" = %s',  # noqa: S608 - model meta
                        [*(rotate_token(value) if value else value for value in values), row_pk],
                    )
                    rotated += 1
            if len(rows) < BATCH_SIZE:
                return rotated
            last_pk = rows[-1][0]
