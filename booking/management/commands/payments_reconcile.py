"""Reconcile online payments with Stripe: run it from cron every 5 minutes.

Webhooks can be lost (and the local test server sends each event once, never again): this
expires appointments whose payment deadline passed (their PaymentIntent is cancelled), asks
Stripe about every payment pending for more than a few minutes and applies its state (the
same service as the webhook: confirmed, refunded if the slot is gone, or expired), and sends
the refunds Stripe has not acknowledged. Safe to run twice at once (every change is latched on
the payment's state under the practitioner's lock).
"""

from django.core.management.base import BaseCommand

from booking.payments import gateway
from booking.payments.services import payments_reconcile


class Command(BaseCommand):
    help = "Rapproche les paiements en ligne avec Stripe (à lancer toutes les 5 minutes)."

    def handle(self, *args, **options):
        if not gateway.configured():
            self.stdout.write("Paiement en ligne non configuré : rien à rapprocher.")
            return
        counts = payments_reconcile()
        self.stdout.write(
            "Expirés : {expired}, réglés : {settled}, remboursements envoyés : {refunds_sent}, "
            "erreurs : {errors}.".format(**counts)
        )
        if counts["errors"]:
            raise SystemExit(1)
