"""Delete the question threads past their retention (5 years after the last message; see
exchanges.questions.retention). Meant to run daily."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from exchanges.questions.retention import threads_expired_delete


class Command(BaseCommand):
    help = "Delete question threads whose last message is more than 5 years old."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the threads.")

    def handle(self, *args, dry_run: bool, **options):
        result = threads_expired_delete(now=timezone.now(), dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        oldest = result.oldest.date().isoformat() if result.oldest else "none"
        self.stdout.write(
            f"{result.threads} thread(s) and {result.messages} message(s) with no message since "
            f"{result.cutoff.date().isoformat()} {verb} (oldest last message: {oldest})."
        )
