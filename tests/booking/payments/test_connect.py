"""The practitioner's Stripe account: created once (a Standard account in France), onboarded
through Account Links, its state read back from Stripe; the online-payment setting waits for
it. The local test server has no Connect: requests are checked with the SDK's own client and a
recording HTTP client (test_gateway_requests.StripeRecorder)."""

from __future__ import annotations

from typing import Any

import pytest
from wagtail.models import ModelLogEntry

from booking.models import PaymentAccount, PaymentAccountState
from booking.payments import connect, gateway
from booking.payments.selectors import payment_account_state
from tests.booking.payments.stripe_recorder import ACCOUNT, LINK, REFRESH, RETURN, account_body
from tests.booking.practitioner_helpers import practitioner_user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(practitioner):
    return practitioner_user_create(practitioner, "camille@praticien.example")


def history(practitioner) -> list[tuple[str, Any, dict]]:
    return [
        (entry.action, entry.user, entry.data)
        for entry in ModelLogEntry.objects.for_instance(practitioner).order_by("timestamp", "pk")
    ]


def connect_now(practitioner, user) -> str:
    return connect.payment_account_connect(
        practitioner=practitioner, by=user, refresh_url=REFRESH, return_url=RETURN
    )


# --- The requests, as the SDK sends them ------------------------------------------------------


def test_the_account_created_is_a_standard_french_account_keyed_by_the_practitioner(recorder):
    account_id = gateway.account_create(practitioner_id=7, email="camille@praticien.example")

    sent = recorder.only
    assert account_id == ACCOUNT
    assert (sent.method, sent.host, sent.path) == ("POST", "api.stripe.com", "/v1/accounts")
    assert sent.data == {
        "type": "standard",
        "country": "FR",
        "email": "camille@praticien.example",
        "metadata[practitioner]": "7",
    }
    # Two clicks or a retry get the same account from Stripe.
    assert sent.headers["Idempotency-Key"] == "account-practitioner-7"
    # The platform's own call: no connected account header.
    assert "Stripe-Account" not in sent.headers


def test_the_onboarding_link_is_an_account_onboarding_link_with_both_urls(recorder):
    url = gateway.account_link_create(account_id=ACCOUNT, refresh_url=REFRESH, return_url=RETURN)

    sent = recorder.only
    assert url == LINK
    assert (sent.method, sent.path) == ("POST", "/v1/account_links")
    assert sent.data == {
        "account": ACCOUNT,
        "type": "account_onboarding",
        "refresh_url": REFRESH,
        "return_url": RETURN,
    }


def test_reading_the_account_is_a_get_of_that_account(recorder):
    recorder.responses[("GET", f"/v1/accounts/{ACCOUNT}")] = account_body(
        charges_enabled=True, details_submitted=True
    )

    state = gateway.account_retrieve(account_id=ACCOUNT)

    sent = recorder.only
    assert (sent.method, sent.path, sent.data) == ("GET", f"/v1/accounts/{ACCOUNT}", {})
    assert state == gateway.AccountState(
        account_id=ACCOUNT, charges_enabled=True, details_submitted=True
    )


# --- payment_account_connect ------------------------------------------------------------------


def test_connecting_creates_the_account_once_and_records_who_did_it(recorder, practitioner, user):
    url = connect_now(practitioner, user)

    assert url == LINK
    assert [(r.method, r.path) for r in recorder.requests] == [
        ("POST", "/v1/accounts"),
        ("POST", "/v1/account_links"),
    ]
    account = PaymentAccount.objects.get(practitioner=practitioner)
    assert (account.stripe_account_id, account.charges_enabled) == (ACCOUNT, False)
    assert payment_account_state(practitioner) == PaymentAccountState.PENDING
    assert history(practitioner) == [(connect.ACTION_ACCOUNT_CONNECT, user, {"account": ACCOUNT})]


def test_connecting_again_reuses_the_account_and_makes_a_fresh_link(recorder, practitioner, user):
    connect_now(practitioner, user)
    recorder.requests.clear()

    assert connect_now(practitioner, user) == LINK

    assert [(r.method, r.path) for r in recorder.requests] == [("POST", "/v1/account_links")]
    assert recorder.only.data["account"] == ACCOUNT
    assert PaymentAccount.objects.filter(practitioner=practitioner).count() == 1
    assert len(history(practitioner)) == 1


def test_without_stripe_keys_connecting_is_refused_and_nothing_is_sent(
    recorder, settings, practitioner, user
):
    settings.STRIPE_SECRET_KEY = ""

    with pytest.raises(connect.PaymentsUnavailable):
        connect_now(practitioner, user)

    assert recorder.requests == []
    assert not PaymentAccount.objects.exists()


def test_stripe_refusing_the_account_leaves_nothing_behind(recorder, practitioner, user):
    recorder.responses[("POST", "/v1/accounts")] = (
        400,
        {"error": {"type": "invalid_request_error", "message": "Platform not set up"}},
    )

    with pytest.raises(connect.PaymentsUnavailable) as refusal:
        connect_now(practitioner, user)

    assert "Stripe" in refusal.value.message
    assert not PaymentAccount.objects.exists()
    assert history(practitioner) == []


# --- payment_account_refresh ------------------------------------------------------------------


def test_refreshing_an_unknown_account_returns_none_without_asking_stripe(recorder):
    assert connect.payment_account_refresh(account_id="acct_someone_else") is None
    assert recorder.requests == []


def test_refreshing_stores_what_stripe_says_and_logs_the_change_once(recorder, practitioner, user):
    connect_now(practitioner, user)
    recorder.requests.clear()
    recorder.responses[("GET", f"/v1/accounts/{ACCOUNT}")] = account_body(
        charges_enabled=True, details_submitted=True
    )

    account = connect.payment_account_refresh(account_id=ACCOUNT)
    again = connect.payment_account_refresh(account_id=ACCOUNT)

    assert [(r.method, r.path) for r in recorder.requests] == [
        ("GET", f"/v1/accounts/{ACCOUNT}"),
        ("GET", f"/v1/accounts/{ACCOUNT}"),
    ]
    assert account is not None and again is not None
    stored = PaymentAccount.objects.get(practitioner=practitioner)
    assert (stored.charges_enabled, stored.details_submitted) == (True, True)
    assert payment_account_state(practitioner) == PaymentAccountState.ENABLED
    # The same state read twice is one change in the history, by nobody (Stripe said so).
    assert history(practitioner)[1:] == [
        (
            connect.ACTION_ACCOUNT_STATE,
            None,
            {"account": ACCOUNT, "state": PaymentAccountState.ENABLED},
        )
    ]


def test_an_account_stripe_disables_goes_back_to_pending(recorder, practitioner, user):
    PaymentAccount.objects.create(
        practitioner=practitioner,
        stripe_account_id=ACCOUNT,
        charges_enabled=True,
        details_submitted=True,
    )
    recorder.responses[("GET", f"/v1/accounts/{ACCOUNT}")] = account_body(
        charges_enabled=False, details_submitted=True
    )

    connect.payment_account_refresh(account_id=ACCOUNT)

    assert payment_account_state(practitioner) == PaymentAccountState.PENDING


# --- The online-payment setting ---------------------------------------------------------------


def test_online_payment_is_refused_until_the_account_takes_charges(recorder, practitioner, user):
    with pytest.raises(connect.OnlinePaymentRefused):
        connect.practitioner_online_payment_set(practitioner=practitioner, enabled=True, by=user)
    PaymentAccount.objects.create(practitioner=practitioner, stripe_account_id=ACCOUNT)
    with pytest.raises(connect.OnlinePaymentRefused):
        connect.practitioner_online_payment_set(practitioner=practitioner, enabled=True, by=user)

    practitioner.refresh_from_db()
    assert practitioner.online_payment is False
    assert history(practitioner) == []


def test_online_payment_switched_on_then_off_once_charges_are_enabled(recorder, practitioner, user):
    PaymentAccount.objects.create(
        practitioner=practitioner, stripe_account_id=ACCOUNT, charges_enabled=True
    )

    connect.practitioner_online_payment_set(practitioner=practitioner, enabled=True, by=user)
    practitioner.refresh_from_db()
    assert practitioner.online_payment is True

    connect.practitioner_online_payment_set(practitioner=practitioner, enabled=False, by=user)
    practitioner.refresh_from_db()
    assert practitioner.online_payment is False
    assert history(practitioner) == [
        (connect.ACTION_ONLINE_PAYMENT, user, {"enabled": True}),
        (connect.ACTION_ONLINE_PAYMENT, user, {"enabled": False}),
    ]


def test_switching_online_payment_off_is_always_possible(recorder, practitioner, user):
    # An account Stripe disabled after the practitioner chose online payment.
    PaymentAccount.objects.create(practitioner=practitioner, stripe_account_id=ACCOUNT)
    practitioner.online_payment = True
    practitioner.save(update_fields=["online_payment"])

    connect.practitioner_online_payment_set(practitioner=practitioner, enabled=False, by=user)

    practitioner.refresh_from_db()
    assert practitioner.online_payment is False


def test_the_practitioners_history_says_what_happened_in_words(recorder, practitioner, user):
    connect_now(practitioner, user)
    recorder.responses[("GET", f"/v1/accounts/{ACCOUNT}")] = account_body(
        charges_enabled=True, details_submitted=True
    )
    connect.payment_account_refresh(account_id=ACCOUNT)
    connect.practitioner_online_payment_set(practitioner=practitioner, enabled=True, by=user)
    connect.practitioner_online_payment_set(practitioner=practitioner, enabled=False, by=user)

    entries = ModelLogEntry.objects.for_instance(practitioner).order_by("timestamp", "pk")
    assert [entry.message for entry in entries] == [
        "Compte Stripe créé",
        "Compte Stripe : paiements activés",
        "Paiement en ligne demandé à la réservation",
        "Paiement sur place (paiement en ligne désactivé)",
    ]
