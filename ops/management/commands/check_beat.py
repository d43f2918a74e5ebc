"""Exit 0 when celery beat ticked within BEAT_HEARTBEAT_MAX_AGE seconds, else 1 (the beat container's health check)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops import heartbeat


class Command(BaseCommand):
    help = "Fail when the celery beat heartbeat is missing or stale."
    requires_system_checks = []

    def handle(self, *args, **options):
        age = heartbeat.age_seconds()
        if age is None or age > settings.BEAT_HEARTBEAT_MAX_AGE:
            raise CommandError("beat heartbeat missing" if age is None else f"beat heartbeat is {age:.0f}s old")
        self.stdout.write(f"beat heartbeat {age:.0f}s old")
