from django.db import migrations


def forwards(apps, schema_editor):
    from casework.reference.data import load

    load(apps)


def backwards(apps, schema_editor):
    from casework.reference.data import unload

    unload(apps)


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial"), ("accounts", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
