"""Stripe settings checked at start-up: half a configuration fails loudly, not at the first
payment.

- booking.E001: one of STRIPE_SECRET_KEY / STRIPE_PUBLISHABLE_KEY without the other (the server
  could create intents the page cannot show, or the page load Stripe.js for nothing).
- booking.E002: a live secret key with a test publishable key or the reverse.
- booking.W001: keys without STRIPE_WEBHOOK_SECRET: every webhook would be refused, and
  payments confirmed only by the reconciliation, minutes later.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def stripe_settings_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    secret, public = settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY
    if bool(secret) != bool(public):
        return [
            checks.Error(
                "STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY go together: set both or neither.",
                id="booking.E001",
            )
        ]
    if not secret:
        return []
    messages: list[checks.CheckMessage] = []
    if ("_live_" in secret) != ("_live_" in public):
        messages.append(
            checks.Error(
                "The Stripe keys are not of the same mode (one live, one test).",
                id="booking.E002",
            )
        )
    if not settings.STRIPE_WEBHOOK_SECRET:
        messages.append(
            checks.Warning(
                "Stripe keys are set but STRIPE_WEBHOOK_SECRET is not: every webhook will be "
                "refused and payments confirmed only by payments_reconcile.",
                id="booking.W001",
            )
        )
    return messages
