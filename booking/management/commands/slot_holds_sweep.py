"""Delete expired slot holds: run it from cron every few minutes (e.g. every 5).

Nothing waits for it: an expired hold already frees its slot (the slot engine ignores it and
every writer removes the ones in its way under the practitioner's lock). It keeps the table
small. Safe to run twice at once: both delete the same expired rows.
"""

from django.core.management.base import BaseCommand

from booking.services.holds import slot_holds_sweep


class Command(BaseCommand):
    help = "Supprime les créneaux retenus dont le délai est passé (à lancer toutes les 5 minutes)."

    def handle(self, *args, **options):
        deleted = slot_holds_sweep()
        self.stdout.write(f"Créneaux retenus expirés supprimés : {deleted}.")
