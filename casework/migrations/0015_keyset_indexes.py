"""Indexes in the order of the keyset pages (ADR 0036): a file's timeline (`detainee, started_at DESC, id DESC`,
replacing the index without the id), and the dpo's access and refusal reviews (`at DESC, id DESC`).

Built CONCURRENTLY: sessions and reads keep being written while they build (so the migration is not atomic).
Reversible: the reverse drops the new ones and rebuilds the old one, concurrently too.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("casework", "0014_disclosure_what_as_meaning")]

    operations = [
        AddIndexConcurrently(
            model_name="session",
            index=models.Index(fields=["detainee", "-started_at", "-id"], name="session_file_keyset_idx"),
        ),
        RemoveIndexConcurrently(model_name="session", name="session_timeline_idx"),
        AddIndexConcurrently(
            model_name="accesslog", index=models.Index(fields=["-at", "-id"], name="accesslog_keyset_idx"),
        ),
        AddIndexConcurrently(
            model_name="accessrefusal", index=models.Index(fields=["-at", "-id"], name="accessrefusal_keyset_idx"),
        ),
    ]
