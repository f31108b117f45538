"""Refund decisions: each is recorded once (its `decision_key`), then sent to Stripe on commit
with that key as the idempotency key. A retried decision (a double click, a retried task, a
second cancellation attempt) finds its row and refunds nothing more; a refund Stripe did not
take yet (no `stripe_refund_id`) is sent again by the reconciliation."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from accounts.models import User
from booking import notifications
from booking.exceptions import BookingError
from booking.models import Payment, PaymentRefund, PaymentStatus
from booking.payments import gateway

logger = logging.getLogger(__name__)


class RefundRefused(BookingError):
    code = "refund_refused"
    default_message = _("Ce montant ne peut pas être remboursé (il dépasse ce qui reste payé).")


def payment_refund_decide(
    *,
    payment: Payment,
    amount_cents: int,
    reason: str,
    decision_key: str,
    decided_by: User | None = None,
    note: str = "",
) -> PaymentRefund:
    """Record the decision to refund `amount_cents` of `payment` (once per `decision_key`)."""
    with transaction.atomic():
        existing = PaymentRefund.objects.filter(decision_key=decision_key).first()
        if existing is not None:
            return existing
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if amount_cents <= 0 or amount_cents > locked.refundable_cents:
            raise RefundRefused()
        try:
            with transaction.atomic():
                refund = PaymentRefund.objects.create(
                    payment=locked,
                    decision_key=decision_key,
                    amount_cents=amount_cents,
                    reason=reason,
                    decided_by=decided_by,
                    note=note,
                )
        except IntegrityError:
            # The same decision, recorded by a concurrent request a moment ago.
            return PaymentRefund.objects.get(decision_key=decision_key)
        locked.refunded_cents += amount_cents
        locked.status = (
            PaymentStatus.REFUNDED
            if locked.refunded_cents >= locked.amount_cents
            else PaymentStatus.PARTIALLY_REFUNDED
        )
        locked.save(update_fields=["refunded_cents", "status", "updated_at"])
        payment.refunded_cents, payment.status = locked.refunded_cents, locked.status
        transaction.on_commit(
            lambda: payment_refund_send_task.enqueue(refund_id=refund.pk), robust=True
        )
        transaction.on_commit(lambda: notifications.payment_refunded_notify(refund.pk), robust=True)
    return refund


def payment_refund_send(*, refund_id: int) -> PaymentRefund:
    """Send the decided refund to Stripe (idempotent: its decision key is Stripe's
    idempotency key, and a refund already sent is not sent again)."""
    refund = PaymentRefund.objects.select_related("payment").get(pk=refund_id)
    if refund.stripe_refund_id:
        return refund
    payment = refund.payment
    refund.stripe_refund_id = gateway.refund_create(
        account_id=payment.stripe_account_id,
        intent_id=payment.payment_intent_id,
        amount_cents=refund.amount_cents,
        idempotency_key=refund.decision_key,
    )
    PaymentRefund.objects.filter(pk=refund.pk, stripe_refund_id="").update(
        stripe_refund_id=refund.stripe_refund_id
    )
    return refund


@task()
def payment_refund_send_task(*, refund_id: int) -> None:
    try:
        payment_refund_send(refund_id=refund_id)
    except gateway.StripeError:
        # Kept unsent: payments_reconcile sends it again (same idempotency key).
        logger.exception("Refund %s not sent to Stripe yet.", refund_id)
