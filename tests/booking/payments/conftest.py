"""Fixtures of the payment tests: the local Stripe server, a practitioner paid online, the
recording Stripe client."""

import pytest

from tests.booking.payments.payment_helpers import paid_practitioner_create
from tests.booking.payments.stripe_recorder import recorder_install, stripe_answers
from tests.payments_server import localstripe, localstripe_server  # noqa: F401


@pytest.fixture
def paid(directory, localstripe):  # noqa: F811
    """A practitioner whose services are paid online (their Stripe account takes charges)."""
    return paid_practitioner_create(directory)


@pytest.fixture
def recorder(settings, monkeypatch):
    """Stripe keys set and every gateway call going through the recorder."""
    return recorder_install(settings, monkeypatch, stripe_answers())
