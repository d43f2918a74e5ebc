"""One notification per event (recipient, kind, object, due day): the database refuses a second line."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notifications", "0007_notification_event_backfill_and_dedupe")]

    operations = [
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("object_id__isnull", False)),
                fields=("recipient", "kind", "object_type", "object_id", "due_on"),
                name="notification_one_per_event",
            ),
        ),
    ]
