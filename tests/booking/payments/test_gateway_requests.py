"""The Stripe calls of booking/payments/gateway.py, as the official SDK puts them on the wire.

The local test server ignores the Stripe-Account header and idempotency keys and refuses the
platform fee, so these are checked here: the SDK's own client with a recording HTTP client,
which keeps each request (method, URL, headers, form body) and answers canned JSON.
"""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from booking.payments import gateway
from tests.booking.payments.stripe_recorder import recorder_sdk

ACCOUNT = "acct_1PractitionerFR"


def intent_body(**fields: Any) -> dict[str, Any]:
    return {
        "id": "pi_1Test",
        "object": "payment_intent",
        "status": "requires_payment_method",
        "amount": 7000,
        "currency": "eur",
        "client_secret": "pi_1Test_secret_abc",
        "last_payment_error": None,
        **fields,
    }


@pytest.fixture(autouse=True)
def stripe_keys(settings):
    """Test keys and Stripe's real API address (nothing is sent: the recorder answers)."""
    settings.STRIPE_SECRET_KEY = "sk_test_recorder"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_recorder"
    settings.STRIPE_API_BASE = ""
    settings.PAYMENT_PLATFORM_FEE_CENTS = 0


def create_intent(sdk: stripe.StripeClient, **overrides: Any) -> gateway.IntentState:
    arguments: dict[str, Any] = {
        "account_id": ACCOUNT,
        "amount_cents": 7000,
        "currency": "eur",
        "appointment_id": 42,
        "reference": "7d4f0d2c-1a7b-4c59-9d0e-8a3d8c1f2b11",
        "idempotency_key": "payment-appointment-42",
    }
    return gateway.payment_intent_create(**(arguments | overrides), sdk=sdk)


def test_a_payment_intent_is_a_direct_charge_on_the_practitioners_account_with_our_ids_only():
    sdk, recorder = recorder_sdk({("POST", "/v1/payment_intents"): intent_body()})

    state = create_intent(sdk)

    sent = recorder.only
    assert (sent.method, sent.host, sent.path) == ("POST", "api.stripe.com", "/v1/payment_intents")
    assert sent.headers["Stripe-Account"] == ACCOUNT
    assert sent.headers["Idempotency-Key"] == "payment-appointment-42"
    assert sent.headers["Authorization"] == "Bearer sk_test_recorder"
    # Exactly these fields: cards only, no fee when there is none, and metadata made of our
    # ids (no name, e-mail or service title reaches Stripe).
    assert sent.data == {
        "amount": "7000",
        "currency": "eur",
        "payment_method_types[0]": "card",
        "metadata[appointment]": "42",
        "metadata[reference]": "7d4f0d2c-1a7b-4c59-9d0e-8a3d8c1f2b11",
    }
    assert state == gateway.IntentState(
        intent_id="pi_1Test",
        status="requires_payment_method",
        amount_cents=7000,
        currency="eur",
        client_secret="pi_1Test_secret_abc",
        last_error_code="",
    )


def test_the_platform_fee_is_sent_only_when_there_is_one():
    sdk, recorder = recorder_sdk({("POST", "/v1/payment_intents"): intent_body()})

    create_intent(sdk, fee_cents=150)

    assert recorder.only.data["application_fee_amount"] == "150"
    assert recorder.only.headers["Stripe-Account"] == ACCOUNT


def test_a_card_created_server_side_is_attached_to_the_intent():
    sdk, recorder = recorder_sdk({("POST", "/v1/payment_intents"): intent_body()})

    create_intent(sdk, payment_method="pm_card_visa")

    assert recorder.only.data["payment_method"] == "pm_card_visa"
    assert "application_fee_amount" not in recorder.only.data


def test_reading_an_intent_asks_the_connected_account_and_keeps_the_decline_code():
    declined = intent_body(
        status="requires_payment_method",
        last_payment_error={"code": "card_declined", "type": "card_error"},
    )
    sdk, recorder = recorder_sdk({("GET", "/v1/payment_intents/pi_1Test"): declined})

    state = gateway.payment_intent_retrieve(account_id=ACCOUNT, intent_id="pi_1Test", sdk=sdk)

    sent = recorder.only
    assert (sent.method, sent.path) == ("GET", "/v1/payment_intents/pi_1Test")
    assert sent.headers["Stripe-Account"] == ACCOUNT
    assert sent.data == {}
    assert (state.status, state.last_error_code) == ("requires_payment_method", "card_declined")


def test_cancelling_an_intent_is_done_on_the_connected_account():
    sdk, recorder = recorder_sdk(
        {("POST", "/v1/payment_intents/pi_1Test/cancel"): intent_body(status="canceled")}
    )

    state = gateway.payment_intent_cancel(account_id=ACCOUNT, intent_id="pi_1Test", sdk=sdk)

    sent = recorder.only
    assert (sent.method, sent.path) == ("POST", "/v1/payment_intents/pi_1Test/cancel")
    assert sent.headers["Stripe-Account"] == ACCOUNT
    assert state.status == gateway.INTENT_CANCELED


def test_a_refund_carries_the_decision_as_idempotency_key_and_no_fee_refund_without_a_fee():
    sdk, recorder = recorder_sdk({("POST", "/v1/refunds"): {"id": "re_1", "object": "refund"}})

    refund_id = gateway.refund_create(
        account_id=ACCOUNT,
        intent_id="pi_1Test",
        amount_cents=3500,
        idempotency_key="client_cancelled:42",
        sdk=sdk,
    )

    sent = recorder.only
    assert refund_id == "re_1"
    assert (sent.method, sent.path) == ("POST", "/v1/refunds")
    assert sent.headers["Stripe-Account"] == ACCOUNT
    assert sent.headers["Idempotency-Key"] == "client_cancelled:42"
    assert sent.data == {"payment_intent": "pi_1Test", "amount": "3500"}


def test_with_a_platform_fee_a_refund_gives_the_fee_back_in_proportion(settings):
    settings.PAYMENT_PLATFORM_FEE_CENTS = 150
    sdk, recorder = recorder_sdk({("POST", "/v1/refunds"): {"id": "re_2", "object": "refund"}})

    gateway.refund_create(
        account_id=ACCOUNT,
        intent_id="pi_1Test",
        amount_cents=7000,
        idempotency_key="practitioner_cancelled:42",
        sdk=sdk,
    )

    assert recorder.only.data == {
        "payment_intent": "pi_1Test",
        "amount": "7000",
        "refund_application_fee": "true",
    }


def test_stripes_refusal_reaches_the_caller_as_a_stripe_error():
    refusal = {"error": {"type": "invalid_request_error", "message": "No such payment_intent"}}
    sdk, _recorder = recorder_sdk({("GET", "/v1/payment_intents/pi_gone"): (404, refusal)})

    with pytest.raises(gateway.StripeError):
        gateway.payment_intent_retrieve(account_id=ACCOUNT, intent_id="pi_gone", sdk=sdk)
