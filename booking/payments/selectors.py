"""Reads for online payment: whether a booking is paid online, the state of an account, whose
payments are whose."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from booking.models import (
    Payment,
    PaymentAccount,
    PaymentAccountState,
    Practitioner,
)
from booking.payments import gateway
from cms.models import ServicePayment


def online_payment_required(*, practitioner: Practitioner, service: Any) -> bool:
    """Whether booking `service` asks for payment online: the platform takes payments, the
    service says so (or leaves it to the practitioner, who says so), and the practitioner's
    own Stripe account takes charges. Otherwise the client pays on site."""
    if not gateway.configured() or not getattr(service, "price", 0):
        return False
    choice = getattr(service, "payment", "") or ServicePayment.DEFAULT
    if choice == ServicePayment.ON_SITE:
        return False
    if choice == ServicePayment.DEFAULT and not practitioner.online_payment:
        return False
    return PaymentAccount.objects.filter(practitioner=practitioner, charges_enabled=True).exists()


def payment_account_state(practitioner: Practitioner) -> str:
    account = PaymentAccount.objects.filter(practitioner=practitioner).first()
    return account.state if account is not None else PaymentAccountState.NOT_CONNECTED


def client_payment(*, client: Any, reference: Any) -> Payment | None:
    """The payment of the client's own appointment `reference` (None for anyone else's)."""
    if client is None or not getattr(client, "is_authenticated", False):
        return None
    return (
        Payment.objects.select_related("appointment", "appointment__practitioner__page")
        .filter(appointment__reference=reference, appointment__client=client)
        .first()
    )


def practitioner_payments(*, practitioner: Practitioner) -> QuerySet[Payment]:
    """The practitioner's own payments, newest first, with their appointment and client."""
    return (
        Payment.objects.filter(appointment__practitioner=practitioner)
        .select_related("appointment", "appointment__client", "appointment__client_record")
        .order_by("-created_at")
    )
