"""Helpers of the payment tests: a practitioner who takes online payments, a slot held and
confirmed by a client (the appointment then awaits its payment), a signed webhook event."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from booking.models import Appointment, AppointmentStatus, Payment, PaymentAccount
from booking.payments.services import payment_refresh, payment_start
from booking.services import hold_confirm, slot_hold
from tests.booking.booking_helpers import paris
from tests.factories import bookable_practitioner_create
from tests.payments_server import WEBHOOK_SECRET

ACCOUNT_ID = "acct_1TestPractitioner"
# Tuesday 2 March 2027, 11:00 in Paris: a free slot for the booking tests' clock.
TUESDAY_11 = paris(2027, 3, 2, 11)


def paid_practitioner_create(directory, **kwargs):
    """A bookable practitioner (75 € service) whose Stripe account takes charges and who asks
    for online payment at booking."""
    practitioner = bookable_practitioner_create(
        directory, services=[("Bilan de vitalité", 60, "75.00", "cabinet")], **kwargs
    )
    practitioner.online_payment = True
    practitioner.save(update_fields=["online_payment"])
    PaymentAccount.objects.create(
        practitioner=practitioner,
        stripe_account_id=ACCOUNT_ID,
        charges_enabled=True,
        details_submitted=True,
    )
    return practitioner


def awaiting_payment(practitioner, client, start, key: str = "browser-a") -> Appointment:
    """The client held `start` and confirmed: the appointment awaits its payment."""
    service = practitioner.page.services.first()
    hold = slot_hold(practitioner=practitioner, service=service, start=start, hold_key=key)
    return hold_confirm(hold=hold, client=client)


def paid_appointment_create(practitioner, client, localstripe, start=TUESDAY_11) -> Appointment:
    """An appointment confirmed by its payment: held, confirmed, paid with the test card on the
    local Stripe server, its state read back (what the webhook or the return page does)."""
    appointment = awaiting_payment(practitioner, client, start)
    state = payment_start(appointment=appointment)
    assert localstripe.confirm(state.intent_id, localstripe.card())["status"] == "succeeded"
    payment_refresh(payment=Payment.objects.get(appointment=appointment))
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED
    return appointment


def signed_event(
    event_type: str, object_id: str, *, event_id: str = "evt_1", account: str = ACCOUNT_ID
) -> tuple[bytes, str]:
    """A webhook body and its Stripe-Signature header, signed with the tests' secret."""
    payload = json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "account": account,
            "created": int(time.time()),
            "data": {"object": {"id": object_id, "object": event_type.split(".")[0]}},
        }
    ).encode()
    timestamp = int(time.time())
    signature = hmac.new(
        WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return payload, f"t={timestamp},v1={signature}"
