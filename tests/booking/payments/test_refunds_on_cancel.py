"""Cancellations of an appointment paid online refund by the rules snapshotted at booking: the
client before the cut-off and the practitioner get everything back, staff choose; one refund
per decision whatever the retries; a reschedule keeps the payment. Against the local Stripe
server: the refunds really reach it."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
import requests
from django.urls import reverse
from wagtail.models import ModelLogEntry

from booking.exceptions import ChangeNotAllowed
from booking.models import (
    Appointment,
    AppointmentStatus,
    Payment,
    PaymentRefund,
    PaymentStatus,
    RefundReason,
)
from booking.payments.refunds import RefundRefused
from booking.payments.services import PaymentNotPossible, payment_start
from booking.services import appointment_cancel, appointment_reschedule
from booking.services.changes import appointment_refund
from tests.booking.booking_helpers import paris
from tests.booking.payments.payment_helpers import TUESDAY_11, paid_appointment_create
from tests.booking.practitioner_helpers import practitioner_user_create, sign_in_again
from tests.factories import otp_login
from tests.payments_server import SECRET_KEY

pytestmark = pytest.mark.usefixtures("frozen_clock")

# TUESDAY_11 (payment_helpers): the clock (booking_helpers.NOW) is Monday 09:00, 26 h before:
# within the default 24 h cut-off, the client may still cancel.


def stripe_refund(localstripe, refund_id: str) -> dict:
    response = requests.get(
        f"{localstripe.base}/v1/refunds/{refund_id}", auth=(SECRET_KEY, ""), timeout=10
    )
    response.raise_for_status()
    return response.json()


@pytest.fixture
def appointment(paid, client_user, localstripe):
    return paid_appointment_create(paid, client_user, localstripe)


@pytest.fixture
def camille(paid):
    return practitioner_user_create(paid, "camille@praticien.example")


@pytest.fixture
def staff(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(email="equipe@example.com", password="x")


def refund_of(appointment) -> list[tuple[str, int, str]]:
    return [
        (refund.reason, refund.amount_cents, refund.decision_key)
        for refund in PaymentRefund.objects.filter(payment__appointment=appointment)
    ]


def test_client_cancelling_before_the_cutoff_is_refunded_in_full_on_stripe(
    appointment, client_user, localstripe, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, by=client_user, by_role="client", reason="")

    refund = PaymentRefund.objects.get(payment__appointment=appointment)
    assert (refund.reason, refund.amount_cents, refund.decided_by) == (
        RefundReason.CLIENT_CANCELLED,
        7500,
        client_user,
    )
    assert refund.decision_key == f"client_cancelled:{appointment.pk}"
    payment = Payment.objects.get(appointment=appointment)
    assert (payment.status, payment.refunded_cents) == (PaymentStatus.REFUNDED, 7500)
    # Sent on commit, with the decision as idempotency key: the local server has it.
    on_stripe = stripe_refund(localstripe, refund.stripe_refund_id)
    assert (on_stripe["amount"], on_stripe["payment_intent"]) == (7500, payment.payment_intent_id)


def test_client_cannot_cancel_after_the_cutoff_and_nothing_is_refunded(
    appointment, client_user, frozen_clock
):
    frozen_clock.move_to(TUESDAY_11 - timedelta(hours=23))

    with pytest.raises(ChangeNotAllowed):
        appointment_cancel(appointment=appointment, by=client_user, by_role="client")

    payment = Payment.objects.get(appointment=appointment)
    assert (payment.status, payment.refunded_cents) == (PaymentStatus.SUCCEEDED, 0)
    assert not PaymentRefund.objects.exists()


def test_practitioner_cancelling_refunds_the_client_in_full(appointment, camille):
    appointment_cancel(appointment=appointment, by=camille, by_role="practitioner", reason="Malade")

    assert refund_of(appointment) == [
        (RefundReason.PRACTITIONER_CANCELLED, 7500, f"practitioner_cancelled:{appointment.pk}")
    ]
    assert Payment.objects.get(appointment=appointment).status == PaymentStatus.REFUNDED


def test_staff_cancelling_refunds_in_full_unless_they_give_an_amount(
    paid, appointment, staff, client_user, localstripe
):
    appointment_cancel(
        appointment=appointment, by=staff, by_role="staff", reason="Doublon", refund_cents=3000
    )

    assert refund_of(appointment) == [(RefundReason.STAFF, 3000, f"staff:{appointment.pk}")]
    payment = Payment.objects.get(appointment=appointment)
    assert (payment.status, payment.refunded_cents) == (PaymentStatus.PARTIALLY_REFUNDED, 3000)

    other = paid_appointment_create(paid, client_user, localstripe, paris(2027, 3, 3, 11))
    appointment_cancel(appointment=other, by=staff, by_role="staff", reason="Fermeture")
    assert refund_of(other) == [(RefundReason.STAFF, 7500, f"staff:{other.pk}")]


def test_staff_may_cancel_without_refunding(appointment, staff):
    appointment_cancel(
        appointment=appointment, by=staff, by_role="staff", reason="Absent", refund_cents=0
    )

    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.CANCELLED
    assert refund_of(appointment) == []


def test_a_refund_above_what_was_paid_keeps_the_appointment(appointment, staff):
    with pytest.raises(RefundRefused):
        appointment_cancel(
            appointment=appointment, by=staff, by_role="staff", reason="x", refund_cents=7501
        )

    # One transaction: the cancellation is rolled back with its refused refund.
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.CONFIRMED
    assert refund_of(appointment) == []


def test_only_staff_choose_the_amount(appointment, client_user):
    with pytest.raises(ValueError):
        appointment_cancel(
            appointment=appointment, by=client_user, by_role="client", refund_cents=100
        )
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.CONFIRMED


def test_cancelling_twice_refunds_once(appointment, client_user):
    appointment_cancel(appointment=appointment, by=client_user, by_role="client")
    with pytest.raises(ChangeNotAllowed):
        appointment_cancel(appointment=appointment, by=client_user, by_role="client")

    assert len(refund_of(appointment)) == 1
    assert Payment.objects.get(appointment=appointment).refunded_cents == 7500


def test_a_staff_refund_retried_with_the_same_form_is_one_refund_and_one_history_entry(
    appointment, staff, localstripe, django_capture_on_commit_callbacks
):
    decision = uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = appointment_refund(
            appointment=appointment,
            by=staff,
            amount_cents=2000,
            note="Geste",
            decision_id=decision,
        )
    again = appointment_refund(
        appointment=appointment, by=staff, amount_cents=2000, note="Geste", decision_id=decision
    )
    other = appointment_refund(
        appointment=appointment, by=staff, amount_cents=500, note="Retard", decision_id=uuid4()
    )

    assert again.pk == first.pk and other.pk != first.pk
    payment = Payment.objects.get(appointment=appointment)
    assert (payment.refunded_cents, payment.status) == (2500, PaymentStatus.PARTIALLY_REFUNDED)
    assert first.decision_key == f"staff:{payment.pk}:{decision}"
    assert (first.decided_by, first.note) == (staff, "Geste")
    entries = ModelLogEntry.objects.for_instance(payment).filter(action="booking.payment_refund")
    assert sorted(entry.data["amount_cents"] for entry in entries) == [500, 2000]
    assert all(entry.user == staff for entry in entries)
    first.refresh_from_db()
    assert stripe_refund(localstripe, first.stripe_refund_id)["amount"] == 2000


def test_a_staff_refund_needs_a_reason_and_the_permission(appointment, staff, client_user):
    with pytest.raises(ChangeNotAllowed):
        appointment_refund(
            appointment=appointment, by=staff, amount_cents=100, note=" ", decision_id=uuid4()
        )
    with pytest.raises(ChangeNotAllowed):
        appointment_refund(
            appointment=appointment,
            by=client_user,
            amount_cents=100,
            note="Je me rembourse",
            decision_id=uuid4(),
        )
    assert refund_of(appointment) == []


def test_rescheduling_keeps_the_payment_and_never_asks_to_pay_again(
    appointment, client_user, localstripe
):
    payment = Payment.objects.get(appointment=appointment)

    moved = appointment_reschedule(
        appointment=appointment, start=paris(2027, 3, 3, 14), by=client_user
    )

    moved.refresh_from_db()
    assert moved.status == AppointmentStatus.CONFIRMED
    assert moved.payment_method == "online"
    after = Payment.objects.get(appointment=appointment)
    assert (after.pk, after.payment_intent_id, after.status, after.refunded_cents) == (
        payment.pk,
        payment.payment_intent_id,
        PaymentStatus.SUCCEEDED,
        0,
    )
    assert not PaymentRefund.objects.exists()
    with pytest.raises(PaymentNotPossible):
        payment_start(appointment=moved)


# --- What the pages say ------------------------------------------------------------------------


def test_the_cancel_page_states_the_refund_then_the_list_shows_it(client, appointment, client_user):
    client.force_login(client_user)
    url = reverse("booking:cancel", args=[appointment.reference])

    page = client.get(url).content.decode()
    assert "vous êtes remboursé de 75,00\N{NO-BREAK SPACE}€" in page

    client.post(url, {"reason": ""})
    listing = client.get(reverse("booking:my_appointments")).content.decode()
    assert "Payé en ligne : 75,00\N{NO-BREAK SPACE}€ · remboursé : 75,00\N{NO-BREAK SPACE}€" in (
        listing
    )


def test_after_the_cutoff_the_cancel_page_says_the_payment_is_not_refunded(
    client, appointment, client_user, frozen_clock
):
    frozen_clock.move_to(TUESDAY_11 - timedelta(hours=2))
    client.force_login(client_user)

    page = client.get(reverse("booking:cancel", args=[appointment.reference])).content.decode()

    assert "ce paiement n'est pas remboursé" in page
    assert "vous êtes remboursé" not in page


def test_the_practitioner_sees_the_refund_announced_then_done(
    client, appointment, camille, paid, frozen_clock
):
    otp_login(client, camille)
    url = reverse("practitioner:appointment", kwargs={"reference": appointment.reference})

    page = client.get(url).content.decode()
    assert "payé en ligne : 75,00\N{NO-BREAK SPACE}€" in page
    assert "le client est remboursé en totalité (75,00\N{NO-BREAK SPACE}€)" in page

    appointment_cancel(appointment=appointment, by=camille, by_role="practitioner", reason="Malade")
    sign_in_again(client, paid)
    page = client.get(url).content.decode()
    assert "remboursé : 75,00\N{NO-BREAK SPACE}€" in page
    assert "annulation par le praticien" in page
