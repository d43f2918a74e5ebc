"""The national number encrypted at rest, with a keyed hash (blind index) for uniqueness and search.

The existing plaintext numbers (files and their history rows) are encrypted in place with raw SQL (the
model field now decrypts on load, so the ORM cannot read plaintext), and each file's index computed.
Re-encoding is nobody's change: the history triggers stay quiet. Two files with the same number stop
the migration with their ids: they are one person, to be merged first.
"""

import pgtrigger

import config.crypto
import casework.validators
from django.conf import settings
from django.db import migrations, models

from config.crypto import TOKEN_PREFIX, blind_index, decrypt_text, encrypt_text


def encrypt(apps, schema_editor):
    with pgtrigger.ignore("casework.Detainee:update_update"), schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, national_number FROM casework_detainee WHERE national_number <> ''")
        seen = {}
        for row_id, value in cursor.fetchall():
            plain = decrypt_text(value) if value.startswith(TOKEN_PREFIX) else value
            index = blind_index(plain)
            if index in seen:
                raise RuntimeError(
                    f"Files {seen[index]} and {row_id} have the same national number: merge them before migrating."
                )
            seen[index] = row_id
            cursor.execute(
                "UPDATE casework_detainee SET national_number = %s, national_number_index = %s WHERE id = %s",
                [value if value.startswith(TOKEN_PREFIX) else encrypt_text(plain), index, row_id],
            )
        cursor.execute("SELECT pgh_id, national_number FROM casework_detaineeevent WHERE national_number <> ''")
        for row_id, value in cursor.fetchall():
            if not value.startswith(TOKEN_PREFIX):
                cursor.execute("UPDATE casework_detaineeevent SET national_number = %s WHERE pgh_id = %s",
                               [encrypt_text(value), row_id])


def decrypt(apps, schema_editor):
    with pgtrigger.ignore("casework.Detainee:update_update"), schema_editor.connection.cursor() as cursor:
        for table, pk in (("casework_detainee", "id"), ("casework_detaineeevent", "pgh_id")):
            cursor.execute(f"SELECT {pk}, national_number FROM {table} WHERE national_number <> ''")  # noqa: S608
            for row_id, value in cursor.fetchall():
                if value.startswith(TOKEN_PREFIX):
                    cursor.execute(f"UPDATE {table} SET national_number = %s WHERE {pk} = %s",  # noqa: S608
                                   [decrypt_text(value), row_id])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_user_language'),
        ('casework', '0009_detainee_search_trigram'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='detainee',
            name='national_number_index',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='detainee',
            name='national_number',
            field=config.crypto.EncryptedTextField(blank=True, max_length=11, validators=[casework.validators.validate_national_number], verbose_name='rijksregisternummer'),
        ),
        migrations.AlterField(
            model_name='detaineeevent',
            name='national_number',
            field=config.crypto.EncryptedTextField(blank=True, max_length=11, validators=[casework.validators.validate_national_number], verbose_name='rijksregisternummer'),
        ),
        migrations.RunPython(encrypt, decrypt, elidable=False),
        migrations.AddConstraint(
            model_name='detainee',
            constraint=models.UniqueConstraint(condition=models.Q(('national_number_index', ''), _negated=True), fields=('national_number_index',), name='detainee_national_number_unique'),
        ),
    ]
