"""A notification names the event it announces (object and due day, copied from its reminder); the key on
it follows in 0008, after 0007 has filled it in and removed the duplicates."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0005_mail_opt_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='due_on',
            field=models.DateField(blank=True, null=True, verbose_name='vervaldag'),
        ),
        migrations.AddField(
            model_name='notification',
            name='object_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='object_type',
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
