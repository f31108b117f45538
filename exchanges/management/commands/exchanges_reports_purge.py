"""Delete reports older than 5 years from the report (privacy rules P7; see
exchanges/reports/retention.py). Run daily; --dry-run only counts."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from exchanges.reports.retention import RETENTION_YEARS, reports_expired_delete


class Command(BaseCommand):
    help = f"Delete reports made more than {RETENTION_YEARS} years ago."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the reports.")

    def handle(self, *args, dry_run: bool, **options):
        result = reports_expired_delete(now=timezone.now(), dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        oldest = result.oldest.isoformat() if result.oldest else "none"
        self.stdout.write(
            f"{result.reports} report(s) made before {result.cutoff.isoformat()} {verb}"
            f" (oldest: {oldest})."
        )
