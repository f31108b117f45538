"""A recording HTTP client for the Stripe SDK: the requests the gateway sends, as the official
SDK puts them on the wire (the local test server has no Connect and ignores the Stripe-Account
header and idempotency keys), answered with canned JSON; and the answers of a Connect account."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

from booking.payments import gateway


@dataclass
class RecordedRequest:
    method: str
    host: str
    path: str
    headers: dict[str, str]
    data: dict[str, str]  # the form body, flattened as Stripe encodes it: metadata[appointment]


class StripeRecorder(stripe.HTTPClient):
    """An HTTP client for stripe.StripeClient that records requests and answers from
    `responses`: {(method, path): body} or {(method, path): (status, body)}."""

    name = "recorder"

    def __init__(self, responses: dict[tuple[str, str], Any]) -> None:
        super().__init__()
        self.responses = responses
        self.requests: list[RecordedRequest] = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        body = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
        self.requests.append(
            RecordedRequest(
                method=method.upper(),
                host=parts.netloc,
                path=parts.path,
                headers=dict(headers or {}),
                data=dict(parse_qsl(body or parts.query, keep_blank_values=True)),
            )
        )
        answer = self.responses[(method.upper(), parts.path)]
        status, payload = answer if isinstance(answer, tuple) else (200, answer)
        return json.dumps(payload), status, {"Request-Id": "req_recorded"}

    def close(self) -> None:
        pass

    @property
    def only(self) -> RecordedRequest:
        assert len(self.requests) == 1, self.requests
        return self.requests[0]


def recorder_sdk(responses: dict[tuple[str, str], Any]) -> tuple[stripe.StripeClient, Any]:
    recorder = StripeRecorder(responses)
    return gateway.client(http_client=recorder), recorder


ACCOUNT = "acct_1CamilleMartin"
LINK = "https://connect.stripe.com/setup/s/acct_1CamilleMartin/abc123"
REFRESH = "https://praticiens.example/espace-praticien/paiements/stripe/nouveau-lien/"
RETURN = "https://praticiens.example/espace-praticien/paiements/stripe/retour/"


def account_body(*, charges_enabled=False, details_submitted=False) -> dict[str, Any]:
    return {
        "id": ACCOUNT,
        "object": "account",
        "type": "standard",
        "charges_enabled": charges_enabled,
        "details_submitted": details_submitted,
    }


def stripe_answers(**account_fields: Any) -> dict[tuple[str, str], Any]:
    return {
        ("POST", "/v1/accounts"): account_body(),
        ("POST", "/v1/account_links"): {
            "object": "account_link",
            "url": LINK,
            "created": 1800000000,
            "expires_at": 1800000300,
        },
        ("GET", f"/v1/accounts/{ACCOUNT}"): account_body(**account_fields),
    }


def recorder_install(settings, monkeypatch, answers: dict[tuple[str, str], Any]) -> StripeRecorder:
    """Stripe keys set and every gateway call going through a recorder answering `answers`."""
    settings.STRIPE_SECRET_KEY = "sk_test_recorder"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_recorder"
    settings.STRIPE_API_BASE = ""
    recording = StripeRecorder(answers)
    real_client = gateway.client
    monkeypatch.setattr(gateway, "client", lambda http_client=None: real_client(recording))
    return recording
