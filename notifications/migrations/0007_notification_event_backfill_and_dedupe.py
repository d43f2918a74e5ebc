"""Fill in the event of every existing notification from its reminder, then keep one line per event.

Two lines are the same event when they go to the same person, are of the same kind and are about the
same object on the same due day; a line whose reminder is gone (no object known) is the same as another
when it says the same words with the same link on the same local day. Of each group the first line
stays; if any of them was read, it stays read (the earliest reading). Reverse: the event columns are
cleared again; removed duplicates stay removed (they said nothing the kept line does not)."""

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.models import OuterRef, Subquery

CHUNK = 2000


def _group_key(row, zone):
    if row["object_id"] is not None:
        return ("event", row["recipient_id"], row["kind"], row["object_type"], row["object_id"], row["due_on"])
    return ("words", row["recipient_id"], row["kind"], row["text_code"], repr(row["text_params"]), row["text"],
            row["link"], row["created_at"].astimezone(zone).date())


def backfill_and_dedupe(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Reminder = apps.get_model("notifications", "Reminder")
    reminder = Reminder.objects.filter(pk=OuterRef("reminder_id"))
    Notification.objects.filter(reminder__isnull=False, object_id__isnull=True).update(
        object_type=Subquery(reminder.values("object_type")[:1]),
        object_id=Subquery(reminder.values("object_id")[:1]),
        due_on=Subquery(reminder.values("due_on")[:1]),
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    groups = defaultdict(list)
    rows = Notification.objects.order_by("created_at", "id").values(
        "id", "recipient_id", "kind", "object_type", "object_id", "due_on", "text_code", "text_params", "text",
        "link", "created_at", "read_at")
    for row in rows.iterator(chunk_size=CHUNK):
        groups[_group_key(row, zone)].append(row)
    doomed = []
    for lines in groups.values():
        if len(lines) < 2:
            continue
        kept, *others = lines
        read = [line["read_at"] for line in lines if line["read_at"] is not None]
        if read and kept["read_at"] != min(read):
            Notification.objects.filter(pk=kept["id"]).update(read_at=min(read))
        doomed += [line["id"] for line in others]
    for start in range(0, len(doomed), CHUNK):
        Notification.objects.filter(pk__in=doomed[start:start + CHUNK]).delete()


def clear_events(apps, schema_editor):
    apps.get_model("notifications", "Notification").objects.update(object_type="", object_id=None, due_on=None)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_notification_event_key")]

    operations = [migrations.RunPython(backfill_and_dedupe, clear_events)]
