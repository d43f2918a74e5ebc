"""Anonymise every closed file whose retention period has passed (unless on legal hold).

`--dry-run` lists what is due without changing anything. The dpo can do the same from
/privacy/bewaring/; both call casework.privacy.services.retention_run.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from casework.privacy.selectors import closed_files
from casework.privacy.services import retention_run


class Command(BaseCommand):
    help = "Anonymise the case files whose retention period after closure has passed."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list the files that are due.")

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        due = [s for s in closed_files(today=today) if s.due_on <= today and not s.legal_hold]
        if dry_run:
            for status in due:
                self.stdout.write(f"file #{status.detainee_id}: closed {status.closed_on}, due {status.due_on}")
            self.stdout.write(f"{len(due)} file(s) due.")
            return
        run = retention_run(user=None, today=today)
        for record in run.anonymised:
            self.stdout.write(f"file #{record.detainee_id} anonymised")
        for detainee_id, reason in run.skipped:
            self.stderr.write(f"file #{detainee_id} skipped: {reason}")
        self.stdout.write(self.style.SUCCESS(f"{len(run.anonymised)} file(s) anonymised, {len(run.skipped)} skipped."))
