"""Index for listing conferences by date across a director's prisons (the conferences API) and for finding
overlapping conferences (double bookings).

Built CONCURRENTLY, so the migration is not atomic; reversible.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("casusoverleg", "0001_conferences_minutes")]

    operations = [
        AddIndexConcurrently(
            model_name="conference",
            index=models.Index(fields=["starts_at", "id"], name="conference_start_idx"),
        ),
    ]
