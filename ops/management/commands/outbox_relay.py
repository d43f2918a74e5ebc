"""`manage.py outbox_relay`: publish the transactional outbox to Celery, for ever (ops/outbox.py, ADR 0016)."""

from django.core.management.base import BaseCommand, CommandError

from ops.outbox import relay_alive_age, run_relay


class Command(BaseCommand):
    help = "Relay committed outbox rows to the Celery broker, in id order, retrying while the broker is away."

    def add_arguments(self, parser):
        parser.add_argument("--poll", type=float, default=0.5, help="seconds between polls when idle")
        parser.add_argument("--once", action="store_true", help="relay what is pending, then stop")
        parser.add_argument(
            "--check",
            action="store_true",
            help="health check: fail unless the relay on this host went round within a minute",
        )

    def handle(self, *args, poll: float, once: bool, check: bool, **options):
        if check:
            age = relay_alive_age()
            if age is None or age > 60:
                raise CommandError("the outbox relay is not running" if age is None else f"relay stuck for {age:.0f}s")
            self.stdout.write(f"outbox relay alive ({age:.0f}s ago)")
            return
        run_relay(poll_seconds=poll, once=once)
