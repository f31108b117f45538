"""Refresh the cached "next free slot" of practitioners: run it from cron every 15 minutes.

Writes refresh it as they commit (booking.services.availability); this pass catches time
passing (a cached slot that went by, a horizon that moved on) and services edited in the page
editor. Safe to run twice at once: each refresh recomputes the same value from the database.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from booking.services.availability import STALE_AFTER, next_free_slots_refresh


class Command(BaseCommand):
    help = (
        "Recalcule la prochaine disponibilité des praticiens dont la valeur est passée, "
        "ancienne ou jamais calculée (à lancer toutes les 15 minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=int(STALE_AFTER.total_seconds() // 60),
            help="Recalcule aussi les valeurs plus anciennes que ce nombre de minutes.",
        )

    def handle(self, *args, stale_minutes: int, **options):
        refreshed = next_free_slots_refresh(stale_after=timedelta(minutes=max(stale_minutes, 0)))
        self.stdout.write(f"Prochaines disponibilités recalculées : {refreshed}.")
