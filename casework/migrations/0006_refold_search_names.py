"""Recompute the search copy of every name with the wider fold of casework.text (the Turkish dotless i,
ø, ł … now fold to the letters people type): "yildiz" finds Yıldız. Only rows whose copy changes are
written. Recomputing a derived column is nobody's change: the history trigger stays quiet."""

import pgtrigger
from django.db import migrations

from casework.text import fold


def refold(apps, schema_editor):
    Detainee = apps.get_model("casework", "Detainee")
    changed = []
    for detainee in Detainee.objects.only("pk", "first_name", "last_name", "search_name").iterator(chunk_size=2000):
        folded = fold(f"{detainee.first_name} {detainee.last_name}")
        if folded != detainee.search_name:
            detainee.search_name = folded
            changed.append(detainee)
    with pgtrigger.ignore("casework.Detainee:update_update"):
        Detainee.objects.bulk_update(changed, ["search_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("casework", "0005_disclosure_subject_access_purpose")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
