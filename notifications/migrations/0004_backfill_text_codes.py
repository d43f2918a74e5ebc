"""Existing reminders and notifications get the meaning of their text (code + parameters), so they too
are read in the reader's language (accounts/backfill.py). Rows whose text matches no catalogue
text keep none and are shown as stored. Reverse: drop the codes again (the texts were never changed)."""

from django.db import migrations

CHUNK = 500


def backfill(apps, schema_editor):
    from accounts.backfill import build_index

    index = build_index()
    for name in ("Reminder", "Notification"):
        model = apps.get_model("notifications", name)
        texts = model.objects.filter(text_code="").values_list("text", flat=True).distinct().order_by("text")
        for text in texts.iterator(chunk_size=CHUNK):
            meaning = index.meaning_of(text)
            if meaning is not None:
                code, params = meaning
                model.objects.filter(text_code="", text=text).update(text_code=code, text_params=params)


def forget(apps, schema_editor):
    for name in ("Reminder", "Notification"):
        apps.get_model("notifications", name).objects.update(text_code="", text_params=None)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_reminder_notification_text_code")]

    operations = [migrations.RunPython(backfill, forget)]
