"""Delete old delivery records of the outbox (retention: see emails.models)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from emails.delivery import outgoing_emails_purge


class Command(BaseCommand):
    help = "Delete records of sent and failed e-mails older than EMAIL_OUTBOX_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the records.")

    def handle(self, *args, dry_run: bool, **options):
        days = getattr(settings, "EMAIL_OUTBOX_RETENTION_DAYS", 30)
        count = outgoing_emails_purge(older_than=timedelta(days=days), dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{count} e-mail record(s) older than {days} days {verb}.")
