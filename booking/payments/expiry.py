"""Appointments whose payment did not come in time: out of the slot, their PaymentIntent
cancelled.

Called under the practitioner's lock by every write that may need the time
(booking.services.appointments._lock), like expired holds, so no sweep has to have run for the
slot to be free. The PaymentIntent is cancelled after commit; if the payment succeeded in the
meantime, its current state decides (booking.payments.services.payment_refresh: confirmed if
the slot is still free, refunded otherwise): exactly one outcome.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django_tasks import task

from booking.models import Appointment, AppointmentStatus, Payment, PaymentStatus
from booking.payments import gateway

logger = logging.getLogger(__name__)


def awaiting_payments_expire(*, practitioner_id: int, now: datetime) -> list[int]:
    """Move the practitioner's appointments awaiting a payment past their deadline to
    PAYMENT_EXPIRED (call under their lock); their intents are cancelled on commit."""
    expired = Appointment.objects.filter(
        practitioner_id=practitioner_id,
        status=AppointmentStatus.AWAITING_PAYMENT,
        hold_expires_at__lte=now,
    )
    ids = list(expired.values_list("pk", flat=True))
    if not ids:
        return []
    Appointment.objects.filter(pk__in=ids, status=AppointmentStatus.AWAITING_PAYMENT).update(
        status=AppointmentStatus.PAYMENT_EXPIRED, hold_key="", updated_at=now
    )

    def cancel_intents() -> None:
        for appointment_id in ids:
            payment_intent_cancel_task.enqueue(appointment_id=appointment_id)

    transaction.on_commit(cancel_intents, robust=True)
    return ids


@task()
def payment_intent_cancel_task(*, appointment_id: int) -> None:
    payment = Payment.objects.filter(
        appointment_id=appointment_id, status=PaymentStatus.PENDING
    ).first()
    if payment is None:
        return
    try:
        gateway.payment_intent_cancel(
            account_id=payment.stripe_account_id, intent_id=payment.payment_intent_id
        )
    except gateway.StripeError:
        # Typically: it succeeded just before. Its state, read below, decides.
        logger.info("PaymentIntent %s not cancelled.", payment.payment_intent_id)
    # Imported here: services writes through booking.services, whose lock imports this module.
    from booking.payments.services import payment_refresh

    try:
        payment_refresh(payment=payment)
    except gateway.StripeError:
        logger.exception("PaymentIntent %s: state not read; reconciled later.", payment.pk)
