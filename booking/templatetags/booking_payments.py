"""Amounts of online payments as people read them ("75,00 €"), and what an appointment's
payment is, for the client's and the practitioner's pages and the e-mails.

Amounts are stored in cents (what Stripe counts in); they are shown in the active language's
number format, with the currency sign after the amount as French writes it.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.formats import number_format

from booking.models import Appointment, Payment, PaymentStatus

register = template.Library()

_SIGNS = {"eur": "€"}

# The statuses of a payment whose money was taken (it may have been refunded since).
PAID_STATUSES = (
    PaymentStatus.SUCCEEDED,
    PaymentStatus.PARTIALLY_REFUNDED,
    PaymentStatus.REFUNDED,
)


def cents_display(cents: int, currency: str = "eur") -> str:
    """7500 → "75,00 €" (non-breaking space before the sign)."""
    amount = number_format(Decimal(cents) / 100, decimal_pos=2, use_l10n=True)
    sign = _SIGNS.get(currency.lower(), currency.upper())
    return f"{amount}\N{NO-BREAK SPACE}{sign}"


def appointment_payment(appointment: Appointment) -> Payment | None:
    """The appointment's online payment, or None (one query unless select_related("payment"))."""
    try:
        return appointment.payment
    except ObjectDoesNotExist:
        return None


def payment_summary(payment: Payment | None) -> dict | None:
    """{"paid", "refunded", "refundable", "fully_refunded"} as display strings for a payment
    whose money was taken; None otherwise (no payment, or still pending, or abandoned)."""
    if payment is None or payment.status not in PAID_STATUSES:
        return None
    return {
        "paid": cents_display(payment.amount_cents, payment.currency),
        "refunded": (
            cents_display(payment.refunded_cents, payment.currency)
            if payment.refunded_cents
            else ""
        ),
        "refundable": (
            cents_display(payment.refundable_cents, payment.currency)
            if payment.refundable_cents
            else ""
        ),
        "fully_refunded": payment.refunded_cents >= payment.amount_cents,
    }


@register.filter
def cents(value: int | None, currency: str = "eur") -> str:
    """{{ refund.amount_cents|cents }} → "75,00 €"."""
    if value is None or value == "":
        return ""
    return cents_display(int(value), currency or "eur")


@register.simple_tag
def appointment_paid(appointment: Appointment) -> dict | None:
    """{% appointment_paid appointment as paid %}: payment_summary of its payment."""
    return payment_summary(appointment_payment(appointment))
