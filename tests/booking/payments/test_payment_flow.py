"""The payment of an appointment against the local Stripe server: awaiting payment after the
confirm step, one PaymentIntent whatever the retries, only Stripe's state confirms, a declined
card retried on the same intent, 3-D Secure, expiry, a payment that comes after its slot went
to someone else, the reconciliation of lost webhooks."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from booking.exceptions import OutsideBookingRules
from booking.models import (
    Appointment,
    AppointmentStatus,
    Payment,
    PaymentRefund,
    PaymentStatus,
    RefundReason,
)
from booking.payments.services import (
    PaymentNotPossible,
    payment_refresh,
    payment_start,
    payments_reconcile,
)
from booking.services import appointment_book, slot_hold
from tests.booking.payments.payment_helpers import (
    ACCOUNT_ID,
    TUESDAY_11,
    awaiting_payment,
    paid_practitioner_create,
)
from tests.factories import client_create

# Transactional: e-mails, the intent's cancellation and refunds leave on commit, as in production.
pytestmark = [
    pytest.mark.usefixtures("frozen_clock"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def appointment(paid, client_user):
    mail.outbox.clear()
    return awaiting_payment(paid, client_user, TUESDAY_11)


def test_confirming_a_paid_service_awaits_the_payment_and_keeps_the_slot(
    appointment, paid, client_user
):
    assert appointment.status == AppointmentStatus.AWAITING_PAYMENT
    assert appointment.client == client_user and appointment.payment_method == "online"
    assert appointment.hold_expires_at == timezone.now() + timedelta(minutes=15)
    # No e-mail before the payment.
    assert mail.outbox == []
    other = client_create(email="autre@example.com")
    service = paid.page.services.first()
    with pytest.raises(Exception) as taken:
        slot_hold(practitioner=paid, service=service, start=TUESDAY_11, hold_key="browser-b")
    assert taken.value.code == "slot_unavailable"
    assert other.appointments.count() == 0


def test_one_payment_intent_per_appointment_with_only_ids_in_its_metadata(appointment, localstripe):
    first = payment_start(appointment=appointment)
    again = payment_start(appointment=appointment)

    assert again.intent_id == first.intent_id
    payment = Payment.objects.get(appointment=appointment)
    assert (payment.payment_intent_id, payment.amount_cents, payment.currency) == (
        first.intent_id,
        7500,
        "eur",
    )
    assert payment.stripe_account_id == ACCOUNT_ID
    intent = localstripe.intent(first.intent_id)
    assert intent["amount"] == 7500
    assert intent["metadata"] == {
        "appointment": str(appointment.pk),
        "reference": str(appointment.reference),
    }


def test_only_the_state_read_from_stripe_confirms(appointment, localstripe):
    state = payment_start(appointment=appointment)
    payment = Payment.objects.get(appointment=appointment)

    payment_refresh(payment=payment)  # not paid yet: nothing changes
    assert Appointment.objects.get(pk=appointment.pk).status == "awaiting_payment"

    assert localstripe.confirm(state.intent_id, localstripe.card())["status"] == "succeeded"
    payment_refresh(payment=payment)
    payment_refresh(payment=payment)  # a second look changes nothing more

    appointment.refresh_from_db()
    payment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert appointment.hold_expires_at is None and appointment.hold_key == ""
    assert payment.status == PaymentStatus.SUCCEEDED and payment.succeeded_at == timezone.now()
    assert [m.to for m in mail.outbox].count([appointment.client.email]) == 1


def test_a_declined_card_is_retried_on_the_same_intent(appointment, localstripe):
    state = payment_start(appointment=appointment)
    declined = localstripe.confirm(state.intent_id, localstripe.card("4000000000000341"))
    assert declined["error"]["code"] == "card_declined"
    payment = payment_refresh(payment=Payment.objects.get(appointment=appointment))
    assert payment.status == PaymentStatus.PENDING
    assert Appointment.objects.get(pk=appointment.pk).status == "awaiting_payment"

    retry = payment_start(appointment=appointment)
    assert retry.intent_id == state.intent_id and retry.status == "requires_payment_method"
    assert localstripe.confirm(state.intent_id, localstripe.card())["status"] == "succeeded"
    payment_refresh(payment=payment)
    assert Appointment.objects.get(pk=appointment.pk).status == "confirmed"
    assert Payment.objects.filter(appointment=appointment).count() == 1


@pytest.mark.parametrize("success", [True, False])
def test_three_d_secure(appointment, localstripe, success):
    state = payment_start(appointment=appointment)
    assert (
        localstripe.confirm(state.intent_id, localstripe.card("4000002500003155"))["status"]
        == "requires_action"
    )
    localstripe.authenticate(state.intent_id, state.client_secret, success=success)
    payment_refresh(payment=Payment.objects.get(appointment=appointment))

    expected = "confirmed" if success else "awaiting_payment"
    assert Appointment.objects.get(pk=appointment.pk).status == expected


def test_unpaid_in_time_the_slot_goes_back_and_the_intent_is_cancelled(
    appointment, paid, localstripe, frozen_clock
):
    state = payment_start(appointment=appointment)
    frozen_clock.move_to(timezone.now() + timedelta(minutes=16))

    with pytest.raises(PaymentNotPossible):
        payment_start(appointment=appointment)
    # Someone else takes the slot: the lock moves the unpaid appointment out of it first.
    other = client_create(email="autre@example.com")
    hold = slot_hold(
        practitioner=paid, service=paid.page.services.first(), start=TUESDAY_11, hold_key="b"
    )
    assert hold.status == "held"

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PAYMENT_EXPIRED
    assert localstripe.intent(state.intent_id)["status"] == "canceled"
    assert Payment.objects.get(appointment=appointment).status == PaymentStatus.CANCELED
    assert other.appointments.count() == 0


def test_a_payment_after_the_slot_went_to_someone_else_is_refunded_in_full(
    appointment, paid, localstripe, frozen_clock
):
    state = payment_start(appointment=appointment)
    localstripe.confirm(state.intent_id, localstripe.card())
    payment = Payment.objects.get(appointment=appointment)
    # The webhook is lost; the deadline passes and another client books the slot. The
    # cancellation of the intent fails (it succeeded): its state decides.
    frozen_clock.move_to(timezone.now() + timedelta(minutes=16))
    mail.outbox.clear()
    hold = slot_hold(
        practitioner=paid, service=paid.page.services.first(), start=TUESDAY_11, hold_key="b"
    )

    appointment.refresh_from_db()
    payment.refresh_from_db()
    assert hold.status == "held"
    assert appointment.status == AppointmentStatus.PAYMENT_EXPIRED
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_cents == 7500
    refund = PaymentRefund.objects.get(payment=payment)
    assert refund.reason == RefundReason.SLOT_LOST and refund.stripe_refund_id.startswith("re_")
    assert appointment.client.email in {to for m in mail.outbox for to in m.to}


def test_a_late_payment_confirms_when_the_slot_is_still_free(
    appointment, localstripe, frozen_clock
):
    state = payment_start(appointment=appointment)
    localstripe.confirm(state.intent_id, localstripe.card())
    frozen_clock.move_to(timezone.now() + timedelta(minutes=16))

    # The deadline passed before anyone looked: the expiry's cancellation is refused (the
    # intent succeeded) and the intent's state decides: nobody took the slot, so it is booked.
    counts = payments_reconcile()

    assert counts["expired"] == 1
    assert Appointment.objects.get(pk=appointment.pk).status == "confirmed"
    assert Payment.objects.get(appointment=appointment).status == PaymentStatus.SUCCEEDED
    assert not PaymentRefund.objects.exists()


def test_unpaid_and_expired_by_the_reconciliation(appointment, localstripe, frozen_clock):
    state = payment_start(appointment=appointment)
    frozen_clock.move_to(timezone.now() + timedelta(minutes=16))

    assert payments_reconcile()["expired"] == 1

    assert localstripe.intent(state.intent_id)["status"] == "canceled"
    assert Appointment.objects.get(pk=appointment.pk).status == "payment_expired"
    assert payments_reconcile()["expired"] == 0


def test_reconciliation_confirms_a_payment_whose_webhook_was_lost(
    appointment, localstripe, frozen_clock
):
    state = payment_start(appointment=appointment)
    localstripe.confirm(state.intent_id, localstripe.card())

    assert payments_reconcile()["settled"] == 0  # too recent: the webhook may still come
    frozen_clock.move_to(timezone.now() + timedelta(minutes=4))
    assert payments_reconcile() == {"expired": 0, "settled": 1, "refunds_sent": 0, "errors": 0}
    assert Appointment.objects.get(pk=appointment.pk).status == "confirmed"
    assert payments_reconcile()["settled"] == 0


def test_booking_a_paid_service_without_the_funnel_is_refused(paid, client_user):
    with pytest.raises(OutsideBookingRules) as refused:
        appointment_book(
            practitioner=paid,
            service=paid.page.services.first(),
            start=TUESDAY_11,
            client=client_user,
        )
    assert refused.value.code == "payment_required"
    assert not Appointment.objects.exists()


def test_without_stripe_keys_everything_is_paid_on_site(directory, client_user, settings):
    practitioner = paid_practitioner_create(directory)
    settings.STRIPE_SECRET_KEY = ""
    booked = awaiting_payment(practitioner, client_user, TUESDAY_11)
    assert booked.status == "confirmed" and booked.payment_method == "on_site"
