"""Send the e-mails that are still waiting: run it from cron (every few minutes).

In production the worker retries by itself; this sweeper catches what no task will (a lost
enqueue, a worker killed mid-send, the immediate backend that cannot defer a retry).
"""

from django.core.management.base import BaseCommand

from emails.delivery import outgoing_emails_due, outgoing_emails_retry


class Command(BaseCommand):
    help = (
        "Resend pending e-mails whose retry time has come (and failed ones with --include-failed)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--include-failed",
            action="store_true",
            help="Also retry messages whose automatic retries were exhausted.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count the messages.")

    def handle(self, *args, include_failed: bool, dry_run: bool, **options):
        if dry_run:
            count = outgoing_emails_due(include_failed=include_failed).count()
            self.stdout.write(f"{count} e-mail(s) would be retried.")
            return
        counts = outgoing_emails_retry(include_failed=include_failed)
        summary = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "none"
        self.stdout.write(f"Retried e-mails: {summary}.")
