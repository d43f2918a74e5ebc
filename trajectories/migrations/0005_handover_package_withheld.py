"""A handover package not rendered because its consent was withdrawn is `withheld`, not `failed`.

Earlier such packages were marked failed. A failed package without a file for whose recipient no
handover consent is in force today is the one the render refused; it becomes withheld (it would be
refused again). Reversible: withheld packages go back to failed.
"""

from django.db import migrations, models


def failed_to_withheld(apps, schema_editor):
    HandoverPackage = apps.get_model("trajectories", "HandoverPackage")
    Consent = apps.get_model("casework", "Consent")
    for package in HandoverPackage.objects.filter(status="failed", file="").select_related("trajectory"):
        in_force = Consent.objects.filter(
            detainee_id=package.trajectory.detainee_id, organisation_id=package.recipient_organisation_id,
            purposes__contains=["handover"], withdrawn_on__isnull=True, superseded_at__isnull=True,
        ).exists()
        if not in_force:
            HandoverPackage.objects.filter(pk=package.pk).update(status="withheld")


def withheld_to_failed(apps, schema_editor):
    HandoverPackage = apps.get_model("trajectories", "HandoverPackage")
    HandoverPackage.objects.filter(status="withheld").update(status="failed")


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("trajectories", "0004_trajectory_recent_idx"),
    ]

    operations = [
        migrations.AlterField(
            model_name="handoverpackage",
            name="status",
            field=models.CharField(
                choices=[("pending", "Wordt aangemaakt"), ("ready", "Klaar"), ("failed", "Mislukt"),
                         ("withheld", "Ingehouden: toestemming ingetrokken")],
                default="pending", max_length=12, verbose_name="status",
            ),
        ),
        migrations.RunPython(failed_to_withheld, withheld_to_failed),
    ]
