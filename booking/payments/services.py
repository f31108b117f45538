"""The payment of an appointment, from its PaymentIntent to its outcome.

The client confirms a held slot of an online-paid service: the appointment is AWAITING_PAYMENT
(booking.services.appointments.appointment_create), its slot kept for PAYMENT_HOLD_MINUTES.
payment_start creates its PaymentIntent on the practitioner's account, once. Only the intent's
state as read from Stripe (a verified webhook, the return page asking Stripe, or the periodic
reconciliation) changes anything, through payment_intent_apply, under the practitioner's lock:

- succeeded, appointment awaiting payment → confirmed (e-mails on commit);
- succeeded after the deadline (PAYMENT_EXPIRED) → confirmed if the slot is still free,
  otherwise refunded in full and the client told, with alternatives;
- canceled → the appointment expires (its slot is free).

The Payment row's PENDING status is the latch: whichever caller applies a final state first
wins, every later one (a second delivery, ten at once, the reconciliation) finds it settled.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booking import notifications
from booking.exceptions import BookingError
from booking.models import (
    Appointment,
    AppointmentStatus,
    Payment,
    PaymentAccount,
    PaymentMethod,
    PaymentRefund,
    PaymentStatus,
    Practitioner,
    RefundReason,
)
from booking.payments import gateway
from booking.payments.expiry import awaiting_payments_expire
from booking.payments.refunds import payment_refund_decide, payment_refund_send
from booking.services.appointments import _check_slot, _lock
from booking.services.availability import next_free_refresh_on_commit

logger = logging.getLogger(__name__)

# How long a payment may stay pending before the reconciliation asks Stripe (webhooks can be
# lost: the local test server sends each event once and never retries).
RECONCILE_AFTER = timedelta(minutes=3)


class PaymentNotPossible(BookingError):
    code = "payment_not_possible"
    default_message = _(
        "Le paiement en ligne est momentanément indisponible. Réessayez dans un instant."
    )


def amount_cents(price: Decimal) -> int:
    return int((price * 100).to_integral_value())


def payment_idempotency_key(appointment: Appointment) -> str:
    """One PaymentIntent per appointment, whatever the double clicks, retries and tabs."""
    return f"appointment-{appointment.reference}-payment"


def payment_start(*, appointment: Appointment) -> gateway.IntentState:
    """The PaymentIntent of an appointment awaiting payment: created on the practitioner's
    connected account for the snapshot price the first time, read back afterwards (a retry
    after a declined card uses the same intent)."""
    with transaction.atomic():
        # The appointment's row serialises two tabs: the second one finds the first's intent.
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if current.status != AppointmentStatus.AWAITING_PAYMENT or (
            current.hold_expires_at is not None and current.hold_expires_at <= timezone.now()
        ):
            raise PaymentNotPossible(
                gettext(
                    "Le délai de paiement de ce rendez-vous est dépassé : choisissez un créneau."
                ),
                code="payment_expired",
            )
        payment = Payment.objects.filter(appointment=current).first()
        try:
            if payment is not None:
                return gateway.payment_intent_retrieve(
                    account_id=payment.stripe_account_id, intent_id=payment.payment_intent_id
                )
            account = PaymentAccount.objects.filter(
                practitioner_id=current.practitioner_id, charges_enabled=True
            ).first()
            if account is None:
                raise PaymentNotPossible()
            cents = amount_cents(current.price)
            fee = min(settings.PAYMENT_PLATFORM_FEE_CENTS, cents)
            state = gateway.payment_intent_create(
                account_id=account.stripe_account_id,
                amount_cents=cents,
                currency="eur",
                appointment_id=current.pk,
                reference=str(current.reference),
                idempotency_key=payment_idempotency_key(current),
                fee_cents=fee,
            )
        except gateway.StripeError as exc:
            logger.warning("PaymentIntent for appointment %s: %s", current.pk, exc)
            raise PaymentNotPossible() from exc
        Payment.objects.create(
            appointment=current,
            stripe_account_id=account.stripe_account_id,
            payment_intent_id=state.intent_id,
            amount_cents=cents,
            application_fee_cents=fee,
            currency="eur",
        )
        return state


def payment_refresh(*, payment: Payment) -> Payment:
    """Ask Stripe for the payment's intent and apply its state (the return page, the
    reconciliation). Raises gateway.StripeError if Stripe cannot be reached."""
    state = gateway.payment_intent_retrieve(
        account_id=payment.stripe_account_id, intent_id=payment.payment_intent_id
    )
    return payment_intent_apply(payment=payment, state=state)


def payment_settle(*, account_id: str, intent_id: str) -> Payment | None:
    """A webhook named `intent_id`: apply its current state (read from Stripe, not from the
    event, so that events arriving out of order are harmless). None for an unknown intent."""
    payment = Payment.objects.filter(payment_intent_id=intent_id).first()
    if payment is None or (account_id and account_id != payment.stripe_account_id):
        return None
    return payment_refresh(payment=payment)


def payment_intent_apply(*, payment: Payment, state: gateway.IntentState) -> Payment:
    if state.status == gateway.INTENT_SUCCEEDED:
        return _succeeded(payment)
    if state.status == gateway.INTENT_CANCELED:
        return _canceled(payment)
    # Requires a payment method (declined, 3-D Secure failed), an action or processing: the
    # client may still pay within the deadline; nothing changes here.
    return payment


def _succeeded(payment: Payment) -> Payment:
    appointment = payment.appointment
    with transaction.atomic():
        locked = _lock(appointment.practitioner)
        current = Payment.objects.select_for_update().get(pk=payment.pk)
        if current.status != PaymentStatus.PENDING:
            return current
        now = timezone.now()
        current.status = PaymentStatus.SUCCEEDED
        current.succeeded_at = now
        current.save(update_fields=["status", "succeeded_at", "updated_at"])
        row = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if row.status == AppointmentStatus.PAYMENT_EXPIRED and _slot_still_free(locked, row, now):
            row.status = AppointmentStatus.AWAITING_PAYMENT
        if row.status == AppointmentStatus.AWAITING_PAYMENT:
            _confirm(row)
        else:
            # Paid for a slot that went to someone else (or an appointment no longer there).
            payment_refund_decide(
                payment=current,
                amount_cents=current.amount_cents,
                reason=RefundReason.SLOT_LOST,
                decision_key=f"{RefundReason.SLOT_LOST}:{current.pk}",
            )
            transaction.on_commit(
                lambda: notifications.payment_slot_lost_notify(row.pk), robust=True
            )
    return current


def _slot_still_free(locked: Practitioner, row: Appointment, now: datetime) -> bool:
    try:
        _check_slot(
            practitioner=locked,
            start=row.start,
            duration=timedelta(minutes=row.duration_minutes),
            now=now,
            exclude_appointment_id=row.pk,
            # The client paid: the minimum notice was met when they chose the slot.
            ignore_notice=True,
        )
    except BookingError:
        return False
    return True


def _confirm(row: Appointment) -> None:
    row.status = AppointmentStatus.CONFIRMED
    row.payment_method = PaymentMethod.ONLINE
    row.hold_expires_at = None
    row.hold_key = ""
    row.save(
        update_fields=["status", "payment_method", "hold_expires_at", "hold_key", "updated_at"]
    )
    transaction.on_commit(lambda: notifications.appointment_booked_notify(row.pk), robust=True)
    next_free_refresh_on_commit(row.practitioner_id)


def _canceled(payment: Payment) -> Payment:
    appointment = payment.appointment
    with transaction.atomic():
        _lock(appointment.practitioner)
        current = Payment.objects.select_for_update().get(pk=payment.pk)
        if current.status != PaymentStatus.PENDING:
            return current
        current.status = PaymentStatus.CANCELED
        current.save(update_fields=["status", "updated_at"])
        Appointment.objects.filter(
            pk=appointment.pk, status=AppointmentStatus.AWAITING_PAYMENT
        ).update(status=AppointmentStatus.PAYMENT_EXPIRED, hold_key="", updated_at=timezone.now())
        next_free_refresh_on_commit(appointment.practitioner_id)
    return current


def payments_reconcile(*, now: datetime | None = None) -> dict[str, int]:
    """What webhooks may have missed: expire what is past its deadline, ask Stripe about the
    payments pending for longer than RECONCILE_AFTER, send the refunds Stripe has not taken.
    Run every few minutes (`manage.py payments_reconcile`); safe to run twice."""
    now = now or timezone.now()
    counts = {"expired": 0, "settled": 0, "refunds_sent": 0, "errors": 0}
    practitioner_ids = set(
        Appointment.objects.filter(
            status=AppointmentStatus.AWAITING_PAYMENT, hold_expires_at__lte=now
        ).values_list("practitioner_id", flat=True)
    )
    for practitioner_id in practitioner_ids:
        with transaction.atomic():
            # The same lock as every booking write, so expiry never races a confirmation.
            Practitioner.objects.select_for_update().get(pk=practitioner_id)
            expired = awaiting_payments_expire(practitioner_id=practitioner_id, now=now)
            counts["expired"] += len(expired)
            if expired:
                next_free_refresh_on_commit(practitioner_id)
    for payment in Payment.objects.filter(
        status=PaymentStatus.PENDING, created_at__lte=now - RECONCILE_AFTER
    ).select_related("appointment__practitioner"):
        try:
            settled = payment_refresh(payment=payment)
        except gateway.StripeError:
            counts["errors"] += 1
            continue
        if settled.status != PaymentStatus.PENDING:
            counts["settled"] += 1
    for refund in PaymentRefund.objects.filter(stripe_refund_id="").only("pk"):
        try:
            payment_refund_send(refund_id=refund.pk)
        except gateway.StripeError:
            counts["errors"] += 1
            continue
        counts["refunds_sent"] += 1
    return counts
