"""The Stripe webhook endpoint: signature checked, each event applied once, the intent's state
read from Stripe (out-of-order events harmless), unknown types ignored; ten simultaneous
deliveries of one event and a payment succeeding while its deadline passes each have exactly
one outcome (PostgreSQL, real threads); a real delivery from the local server."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from booking.models import (
    Appointment,
    AppointmentStatus,
    Payment,
    PaymentEvent,
    PaymentRefund,
    PaymentStatus,
)
from booking.payments.services import payment_refresh, payment_start
from booking.services import slot_hold
from tests.booking.payments.payment_helpers import (
    TUESDAY_11,
    awaiting_payment,
    paid_practitioner_create,
    signed_event,
)
from tests.factories import client_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

URL = "/paiements/webhook/"


@pytest.fixture
def paid_intent(paid, client_user, localstripe, frozen_clock):
    """An appointment awaiting payment whose intent has just succeeded at Stripe."""
    appointment = awaiting_payment(paid, client_user, TUESDAY_11)
    state = payment_start(appointment=appointment)
    localstripe.confirm(state.intent_id, localstripe.card())
    mail.outbox.clear()
    return appointment, state.intent_id


def post(client, payload, signature):
    return client.post(
        URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def confirmations(appointment):
    return [m for m in mail.outbox if appointment.client.email in m.to]


@pytest.mark.parametrize("signature", ["", "t=1,v1=deadbeef", "garbage"])
def test_a_bad_or_missing_signature_is_refused_and_changes_nothing(client, paid_intent, signature):
    appointment, intent_id = paid_intent
    payload, _good = signed_event("payment_intent.succeeded", intent_id)

    response = post(client, payload, signature)

    assert response.status_code == 400
    assert response.json() == {"error": "invalid_signature"}
    assert Appointment.objects.get(pk=appointment.pk).status == "awaiting_payment"
    assert not PaymentEvent.objects.exists()


def test_a_tampered_body_is_refused(client, paid_intent):
    appointment, intent_id = paid_intent
    payload, signature = signed_event("payment_intent.succeeded", intent_id)

    response = post(client, payload.replace(b"evt_1", b"evt_2"), signature)

    assert response.status_code == 400
    assert Appointment.objects.get(pk=appointment.pk).status == "awaiting_payment"


def test_a_verified_event_confirms_once_whatever_the_redeliveries(client, paid_intent):
    appointment, intent_id = paid_intent
    payload, signature = signed_event("payment_intent.succeeded", intent_id)

    first = post(client, payload, signature)
    second = post(client, payload, signature)

    assert first.status_code == 200 and first.json() == {"received": True}
    assert second.status_code == 200 and second.json()["duplicate"] is True
    assert Appointment.objects.get(pk=appointment.pk).status == "confirmed"
    assert PaymentEvent.objects.get().stripe_event_id == "evt_1"
    assert len(confirmations(appointment)) == 1


def test_the_state_is_read_from_stripe_not_from_the_event(
    client, paid, client_user, localstripe, frozen_clock
):
    appointment = awaiting_payment(paid, client_user, TUESDAY_11)
    state = payment_start(appointment=appointment)
    # An event claiming success for an intent nobody paid (out of order, or forged with a
    # leaked secret) confirms nothing: Stripe says it is not paid.
    payload, signature = signed_event("payment_intent.succeeded", state.intent_id)

    assert post(client, payload, signature).status_code == 200
    assert Appointment.objects.get(pk=appointment.pk).status == "awaiting_payment"
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_unknown_event_types_and_intents_are_acknowledged_and_ignored(client, paid_intent):
    appointment, _intent_id = paid_intent
    for event_id, (event_type, object_id) in enumerate(
        [("charge.dispute.created", "dp_1"), ("payment_intent.succeeded", "pi_unknown")]
    ):
        payload, signature = signed_event(event_type, object_id, event_id=f"evt_{event_id}")
        assert post(client, payload, signature).status_code == 200
    assert Appointment.objects.get(pk=appointment.pk).status == "awaiting_payment"


def test_a_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent deliveries under real row locks are PostgreSQL's",
)


def _together(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@postgresql_only
def test_ten_simultaneous_deliveries_of_one_event_make_one_change_and_one_email(paid_intent):
    from django.test import Client

    appointment, intent_id = paid_intent
    payload, signature = signed_event("payment_intent.succeeded", intent_id)

    results, errors = _together(10, lambda: post(Client(), payload, signature).status_code)

    assert errors == [] and results == [200] * 10
    assert Appointment.objects.get(pk=appointment.pk).status == "confirmed"
    assert PaymentEvent.objects.count() == 1
    assert len(confirmations(appointment)) == 1


@postgresql_only
def test_a_payment_succeeding_while_its_deadline_passes_has_one_outcome(
    paid, client_user, localstripe, frozen_clock
):
    appointment = awaiting_payment(paid, client_user, TUESDAY_11)
    state = payment_start(appointment=appointment)
    localstripe.confirm(state.intent_id, localstripe.card())
    frozen_clock.move_to(timezone.now() + timedelta(minutes=16))
    other = client_create(email="autre@example.com")
    payment = Payment.objects.get()
    service = paid.page.services.first()

    def settle():
        return payment_refresh(payment=Payment.objects.get(pk=payment.pk)).status

    def take():
        return slot_hold(practitioner=paid, service=service, start=TUESDAY_11, hold_key="b")

    # The payment's confirmation and another client's hold of the same slot, at once.
    settled: list = []
    hold_or_error: list = []
    barrier = threading.Barrier(2)

    def run(target, into):
        try:
            barrier.wait()
            into.append(target())
        except Exception as exc:  # a refusal is an outcome: checked below
            into.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(settle, settled)),
        threading.Thread(target=run, args=(take, hold_or_error)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert settled and not isinstance(settled[0], Exception), settled
    appointment.refresh_from_db()
    payment.refresh_from_db()
    if appointment.status == AppointmentStatus.CONFIRMED:
        assert payment.status == PaymentStatus.SUCCEEDED
        assert not PaymentRefund.objects.exists()
        assert getattr(hold_or_error[0], "code", None) == "slot_unavailable"
    else:
        assert appointment.status == AppointmentStatus.PAYMENT_EXPIRED
        assert payment.status == PaymentStatus.REFUNDED
        assert PaymentRefund.objects.count() == 1
        assert hold_or_error[0].status == "held"
    assert other.appointments.count() == 0


def test_a_real_delivery_from_the_local_server_confirms(
    live_server, directory, client_user, localstripe, settings
):
    """No frozen clock here: the local server signs with the real time."""
    settings.ALLOWED_HOSTS = ["*"]
    paid = paid_practitioner_create(directory)
    start = (timezone.now() + timedelta(days=7)).astimezone(paid.tz)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)
    while start.weekday() == 6:
        start += timedelta(days=1)
    localstripe.webhook_register(f"{live_server.url}{URL}")
    try:
        appointment = awaiting_payment(paid, client_user, start)
        state = payment_start(appointment=appointment)

        localstripe.confirm(state.intent_id, localstripe.card())

        # The e-mail leaves once the webhook's transaction has committed; waiting on it
        # rather than on the database keeps this thread from reading while the live server
        # writes (SQLite's in-memory test database locks whole tables).
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not confirmations(appointment):
            time.sleep(0.2)
    finally:
        # The server keeps its webhooks for the session: point this one nowhere again.
        localstripe.webhook_register("http://127.0.0.1:9/")
    assert Appointment.objects.get(pk=appointment.pk).status == "confirmed"
    # Events of earlier tests' intents may arrive too (each is sent a second later): stored
    # once each, and ignored, since no payment of ours has their intent.
    assert PaymentEvent.objects.filter(type="payment_intent.succeeded").exists()
    assert len(confirmations(appointment)) == 1


def test_an_account_disconnected_from_the_platform_goes_back_to_payment_on_site(
    client, paid, client_user, frozen_clock
):
    from booking.models import PaymentAccount
    from booking.payments.selectors import online_payment_required
    from tests.booking.payments.payment_helpers import ACCOUNT_ID

    service = paid.page.services.first()
    assert online_payment_required(practitioner=paid, service=service)
    payload, signature = signed_event(
        "account.application.deauthorized", "ca_platform", event_id="evt_deauth"
    )

    assert post(client, payload, signature).status_code == 200

    assert not PaymentAccount.objects.get(stripe_account_id=ACCOUNT_ID).charges_enabled
    assert not online_payment_required(practitioner=paid, service=service)
    booked = awaiting_payment(paid, client_user, TUESDAY_11)
    assert booked.status == "confirmed" and booked.payment_method == "on_site"
