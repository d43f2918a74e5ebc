"""Index for listing trajectories newest referral first across an organisation (the trajectories API).

Built CONCURRENTLY, so the migration is not atomic; reversible.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("trajectories", "0003_release_aftercare_handover")]

    operations = [
        AddIndexConcurrently(
            model_name="trajectory",
            index=models.Index(fields=["-referred_on", "-id"], name="trajectory_recent_idx"),
        ),
    ]
