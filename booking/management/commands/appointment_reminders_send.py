"""Send the 24-hour reminders of appointments: run it from cron every 15 minutes.

Safe to run twice at once (two cron hosts, an overlap): each reminder is claimed in its own
transaction with SKIP LOCKED, see booking.notifications.appointment_reminders_send.
"""

from django.core.management.base import BaseCommand

from booking.notifications import appointment_reminders_send, appointments_due_reminder


class Command(BaseCommand):
    help = "Envoie les rappels des rendez-vous qui commencent dans les 24 heures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Liste les rappels à envoyer sans rien envoyer.",
        )

    def handle(self, *args, dry_run: bool, **options):
        if dry_run:
            due = list(appointments_due_reminder())
            for appointment in due:
                # The reference and time only: no client data in cron logs.
                self.stdout.write(f"{appointment.reference} {appointment.start.isoformat()}")
            self.stdout.write(f"{len(due)} rappel(s) à envoyer.")
            return
        sent = appointment_reminders_send()
        self.stdout.write(f"{sent} rappel envoyé." if sent == 1 else f"{sent} rappels envoyés.")
