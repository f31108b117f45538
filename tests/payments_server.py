"""The local Stripe stand-in for the payment tests: localstripe on a loopback port.

`localstripe_server` (one per test session) starts tools/localstripe_loopback.py; the
`localstripe` fixture empties its store and points the settings at it (keys, API base,
Stripe.js URL, webhook secret). Register it in a conftest with
`from tests.payments_server import localstripe, localstripe_server  # noqa: F401`.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "sk_test_localstripe"
PUBLISHABLE_KEY = "pk_test_localstripe"
WEBHOOK_SECRET = "whsec_localstripe_tests"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LocalStripe:
    base: str

    def _auth(self) -> tuple[str, str]:
        return (SECRET_KEY, "")

    def card(self, number: str = "4242424242424242") -> str:
        """A card PaymentMethod created server-side (what the Payment Element does in a real
        browser); its id. 4000002500003155 asks for 3-D Secure, 4000000000000341 is declined
        when charged."""
        response = requests.post(
            f"{self.base}/v1/payment_methods",
            data={
                "type": "card",
                "card[number]": number,
                "card[exp_month]": "12",
                "card[exp_year]": "2034",
                "card[cvc]": "123",
            },
            auth=self._auth(),
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["id"]

    def intent(self, intent_id: str) -> dict:
        response = requests.get(
            f"{self.base}/v1/payment_intents/{intent_id}", auth=self._auth(), timeout=10
        )
        response.raise_for_status()
        return response.json()

    def confirm(self, intent_id: str, payment_method: str | None = None) -> dict:
        """Attach `payment_method` (if given) and confirm, as Stripe.js would."""
        if payment_method:
            # A new card replaces a declined one, as on Stripe; localstripe keeps the failed
            # charge (and so refuses to confirm again) unless it is cleared with it.
            requests.post(
                f"{self.base}/v1/payment_intents/{intent_id}",
                json={"payment_method": payment_method, "latest_charge": None},
                auth=self._auth(),
                timeout=10,
            ).raise_for_status()
        response = requests.post(
            f"{self.base}/v1/payment_intents/{intent_id}/confirm", auth=self._auth(), timeout=10
        )
        return response.json()

    def authenticate(self, intent_id: str, client_secret: str, *, success: bool) -> dict:
        """Complete (or fail) 3-D Secure, as the stand-in's modal does."""
        response = requests.post(
            f"{self.base}/v1/payment_intents/{intent_id}/_authenticate"
            f"?success={'true' if success else 'false'}",
            json={"key": PUBLISHABLE_KEY, "client_secret": client_secret},
            timeout=10,
        )
        return response.json()

    def webhook_register(self, url: str, name: str = "tests") -> None:
        """Have the server send its events to `url`, signed with WEBHOOK_SECRET (each event is
        sent once, about a second later, never retried)."""
        requests.post(
            f"{self.base}/_config/webhooks/{name}",
            data={"url": url, "secret": WEBHOOK_SECRET},
            timeout=10,
        ).raise_for_status()

    def flush(self) -> None:
        requests.delete(f"{self.base}/_config/data", timeout=10).raise_for_status()


@pytest.fixture(scope="session")
def localstripe_server() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "localstripe_loopback.py"), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{base}/js.stripe.com/v3/", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def localstripe(localstripe_server: str, settings) -> LocalStripe:
    server = LocalStripe(base=localstripe_server)
    server.flush()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_API_BASE = localstripe_server
    settings.STRIPE_JS_URL = f"{localstripe_server}/js.stripe.com/v3/"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return server
