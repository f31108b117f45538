"""The only module that talks to Stripe: a handful of calls, each with the exact parameters it
sends, so that tests can check them against the SDK's request shapes (the local test server
has no Connect, no application fee and no Payment Element).

Direct charges: every payment call is made on the practitioner's connected account
(`stripe_account=`, the Stripe-Account header). Metadata carries only our ids: Stripe is not a
health-data host, so no name, e-mail or service title ever goes there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings

# Stripe's own errors, re-exported so callers need not import the SDK.
StripeError = stripe.StripeError
SignatureVerificationError = stripe.SignatureVerificationError

# The PaymentIntent states that end a payment one way or the other.
INTENT_SUCCEEDED = "succeeded"
INTENT_CANCELED = "canceled"


def configured() -> bool:
    """Online payment is possible at all (a secret and a publishable key are set)."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def client(http_client: Any = None) -> stripe.StripeClient:
    """A client for the platform's key (tests may pass the SDK's HTTP client to record)."""
    base = settings.STRIPE_API_BASE or None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base, "connect": base} if base else None,
        max_network_retries=2,
        http_client=http_client,
    )


@dataclass(frozen=True)
class AccountState:
    account_id: str
    charges_enabled: bool
    details_submitted: bool


@dataclass(frozen=True)
class IntentState:
    """What we keep of a PaymentIntent: its id, state, amount and the secret the browser needs
    (never stored; handed to Stripe.js on the payment page only)."""

    intent_id: str
    status: str
    amount_cents: int
    currency: str
    client_secret: str
    last_error_code: str = ""


def _intent_state(intent: Any) -> IntentState:
    error = getattr(intent, "last_payment_error", None)
    return IntentState(
        intent_id=intent.id,
        status=intent.status,
        amount_cents=int(intent.amount),
        currency=intent.currency,
        client_secret=getattr(intent, "client_secret", "") or "",
        last_error_code=(getattr(error, "code", "") or "") if error else "",
    )


def account_create(*, practitioner_id: int, email: str, sdk: Any = None) -> str:
    """A Standard connected account for a practitioner (they own it and its dashboard); its id."""
    account = (sdk or client()).v1.accounts.create(
        params={
            "type": "standard",
            "country": "FR",
            "email": email,
            "metadata": {"practitioner": str(practitioner_id)},
        },
        options={"idempotency_key": f"account-practitioner-{practitioner_id}"},
    )
    return account.id


def account_link_create(
    *, account_id: str, refresh_url: str, return_url: str, sdk: Any = None
) -> str:
    """The URL of Stripe's hosted onboarding for `account_id` (single use, short-lived)."""
    link = (sdk or client()).v1.account_links.create(
        params={
            "account": account_id,
            "type": "account_onboarding",
            "refresh_url": refresh_url,
            "return_url": return_url,
        }
    )
    return link.url


def account_retrieve(*, account_id: str, sdk: Any = None) -> AccountState:
    account = (sdk or client()).v1.accounts.retrieve(account_id)
    return AccountState(
        account_id=account.id,
        charges_enabled=bool(getattr(account, "charges_enabled", False)),
        details_submitted=bool(getattr(account, "details_submitted", False)),
    )


def payment_intent_create(
    *,
    account_id: str,
    amount_cents: int,
    currency: str,
    appointment_id: int,
    reference: str,
    idempotency_key: str,
    fee_cents: int = 0,
    payment_method: str = "",
    sdk: Any = None,
) -> IntentState:
    """A PaymentIntent on the practitioner's account for the appointment's snapshot price.

    The same `idempotency_key` (derived from the appointment) returns the same intent for 24
    hours: a double click, a retry or two tabs never create two. Cards only (the Payment
    Element shows what the intent allows); the platform fee only when there is one.
    `payment_method`: a card created server-side (the local test server only).
    """
    params: dict[str, Any] = {
        "amount": amount_cents,
        "currency": currency,
        "payment_method_types": ["card"],
        "metadata": {"appointment": str(appointment_id), "reference": reference},
    }
    if fee_cents:
        params["application_fee_amount"] = fee_cents
    if payment_method:
        params["payment_method"] = payment_method
    intent = (sdk or client()).v1.payment_intents.create(
        params=params,  # type: ignore[arg-type]
        options={"stripe_account": account_id, "idempotency_key": idempotency_key},
    )
    return _intent_state(intent)


def payment_intent_retrieve(*, account_id: str, intent_id: str, sdk: Any = None) -> IntentState:
    intent = (sdk or client()).v1.payment_intents.retrieve(
        intent_id, options={"stripe_account": account_id}
    )
    return _intent_state(intent)


def payment_intent_cancel(*, account_id: str, intent_id: str, sdk: Any = None) -> IntentState:
    intent = (sdk or client()).v1.payment_intents.cancel(
        intent_id, options={"stripe_account": account_id}
    )
    return _intent_state(intent)


def refund_create(
    *,
    account_id: str,
    intent_id: str,
    amount_cents: int,
    idempotency_key: str,
    sdk: Any = None,
) -> str:
    """Refund `amount_cents` of the intent's charge on the connected account; the refund's id.
    The platform fee, if any, is refunded in proportion (refund_application_fee) only when
    there is one: the client gets back what they paid, the practitioner no fee on nothing."""
    params: dict[str, Any] = {"payment_intent": intent_id, "amount": amount_cents}
    if settings.PAYMENT_PLATFORM_FEE_CENTS:
        params["refund_application_fee"] = True
    refund = (sdk or client()).v1.refunds.create(
        params=params,  # type: ignore[arg-type]
        options={"stripe_account": account_id, "idempotency_key": idempotency_key},
    )
    return refund.id


@dataclass(frozen=True)
class VerifiedEvent:
    event_id: str
    type: str
    # The connected account the event happened on ("" for the platform's own).
    account_id: str
    object_id: str


def event_verify(*, payload: bytes, signature: str) -> VerifiedEvent:
    """The event in `payload` if `signature` is Stripe's for the Connect endpoint's secret;
    raises SignatureVerificationError (or ValueError for a payload that is not an event)."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise SignatureVerificationError("No webhook secret configured.", signature)
    event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    data_object = event.data.object
    return VerifiedEvent(
        event_id=event.id,
        type=event.type,
        account_id=getattr(event, "account", None) or "",
        object_id=getattr(data_object, "id", "") or "",
    )
