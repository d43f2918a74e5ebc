"""Index for reading sessions newest first across many files (the sessions API of an organisation) and for
the manager dashboard's 12 months of sessions per month and attendance, read from the index alone.

Built CONCURRENTLY: a million sessions keep being logged while it builds (so the migration is not atomic).
Reversible: the reverse drops it, concurrently too.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("casework", "0006_refold_search_names")]

    operations = [
        AddIndexConcurrently(
            model_name="session",
            index=models.Index(fields=["-started_at", "-id"], include=("detainee", "attendance"), name="session_recent_idx"),
        ),
    ]
