"""Fixtures of the client booking page tests: a fixed clock, a practitioner, a client."""

import pytest

from tests.booking.client_helpers import NOW, PASSWORD
from tests.factories import bookable_practitioner_create, client_create


@pytest.fixture
def clock_start():
    """Where the shared frozen_clock (tests/booking/conftest.py) stops: client_helpers.NOW."""
    return NOW


@pytest.fixture
def practitioner(directory):
    return bookable_practitioner_create(
        directory,
        services=[
            ("Première consultation", 60, "70.00", "cabinet"),
            ("Suivi en visio", 30, "40.00", "visio"),
        ],
    )


@pytest.fixture
def service(practitioner):
    return practitioner.page.services.get(name="Première consultation")


@pytest.fixture
def customer(db):
    return client_create(email="claire@example.com", password=PASSWORD)


@pytest.fixture
def other_customer(db):
    return client_create(email="autre@example.com", password=PASSWORD)
