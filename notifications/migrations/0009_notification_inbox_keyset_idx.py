"""The inbox in keyset pages (ADR 0036): `recipient, created_at DESC, id DESC`, replacing the index without the id.

Built CONCURRENTLY (not atomic); reversible.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("notifications", "0008_notification_one_per_event")]

    operations = [
        AddIndexConcurrently(
            model_name="notification",
            index=models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox_keyset_idx"),
        ),
        RemoveIndexConcurrently(model_name="notification", name="notification_inbox_idx"),
    ]
