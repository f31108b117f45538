"""The Stripe webhook endpoint (Connect: events of the practitioners' accounts).

A bad or missing signature → 400, nothing changes. Each event is stored once by its Stripe id
(a unique constraint) in the same transaction as its effect: concurrent deliveries of one event
queue on the unique index and all but one find it there (one change, one e-mail). The effect
reads the PaymentIntent's current state from Stripe (booking.payments.services.payment_settle),
so events arriving out of order are harmless. Unknown event types → 200, ignored.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from booking.models import PaymentEvent
from booking.payments import connect, gateway
from booking.payments.services import payment_settle

logger = logging.getLogger(__name__)

PAYMENT_INTENT_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.canceled",
    "payment_intent.payment_failed",
}


def event_handle(event: gateway.VerifiedEvent) -> None:
    if event.type in PAYMENT_INTENT_EVENTS:
        payment_settle(account_id=event.account_id, intent_id=event.object_id)
    elif event.type == "account.updated":
        connect.payment_account_refresh(account_id=event.account_id or event.object_id)
    elif event.type == "account.application.deauthorized":
        # The practitioner disconnected the platform from their Stripe account.
        connect.payment_account_disconnected(account_id=event.account_id)


@csrf_exempt  # Stripe cannot hold a CSRF token: the signature authenticates the request.
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    try:
        event = gateway.event_verify(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except (ValueError, gateway.SignatureVerificationError):
        return JsonResponse({"error": "invalid_signature"}, status=400)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    PaymentEvent.objects.create(stripe_event_id=event.event_id, type=event.type)
            except IntegrityError:
                return JsonResponse({"received": True, "duplicate": True})
            event_handle(event)
    except gateway.StripeError:
        # Stripe could not be asked for the current state: not stored, so a retry (Stripe's,
        # or the reconciliation) applies it.
        logger.exception("Webhook %s not applied yet.", event.event_id)
        return JsonResponse({"error": "stripe_unavailable"}, status=503)
    return JsonResponse({"received": True})
