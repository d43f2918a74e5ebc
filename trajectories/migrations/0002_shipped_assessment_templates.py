"""Ship the three assessment instruments (data in trajectories/instruments.py)."""

from django.db import migrations

from trajectories.instruments import TEMPLATES, load


def ship(apps, schema_editor):
    load(apps)


def unship(apps, schema_editor):
    Template = apps.get_model("trajectories", "AssessmentTemplate")
    Template.objects.filter(code__in=[t["code"] for t in TEMPLATES], version=1, assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0001_initial")]

    operations = [migrations.RunPython(ship, unship)]
