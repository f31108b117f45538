"""Take offline the reviews published longer ago than the rules page's online duration
(exchanges/reviews/retention.py). Run daily; --dry-run only counts."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from exchanges.reviews.retention import reviews_expired_archive


class Command(BaseCommand):
    help = "Retire les avis dont la durée de mise en ligne est écoulée (--dry-run : compte)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the reviews.")

    def handle(self, *args, dry_run: bool, **options):
        result = reviews_expired_archive(now=timezone.now(), dry_run=dry_run)
        verb = "would be taken offline" if dry_run else "taken offline"
        oldest = result.oldest.isoformat() if result.oldest else "none"
        self.stdout.write(
            f"{result.reviews} review(s) published before {result.cutoff.isoformat()} {verb}"
            f" (oldest: {oldest})."
        )
