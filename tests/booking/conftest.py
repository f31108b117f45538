"""Fixtures shared by the booking tests: one clock, the practitioner signed in to their area."""

import pytest
import time_machine

from tests.booking.booking_helpers import NOW
from tests.booking.practitioner_helpers import practitioner_user_create, signed_in_practitioner
from tests.factories import bookable_practitioner_create, client_create


@pytest.fixture
def clock_start():
    """Where frozen_clock stops the clock; a module whose story needs another date overrides it."""
    return NOW


@pytest.fixture
def frozen_clock(clock_start):
    """The clock, stopped at clock_start (booking_helpers.NOW): slots depend on "now". Yields the
    traveller, for the tests that move it (move_to)."""
    with time_machine.travel(clock_start, tick=False) as traveller:
        yield traveller


@pytest.fixture
def own(client, directory, frozen_clock):
    """A practitioner signed in to their area (two factors), the clock stopped since before the
    sign-in: a session never looks expired to the test."""
    practitioner, _user = signed_in_practitioner(client, directory)
    return practitioner


@pytest.fixture
def practitioner(directory):
    """A bookable practitioner, open Monday to Saturday (tests/factories.py); one service."""
    return bookable_practitioner_create(directory)


@pytest.fixture
def service(practitioner):
    return practitioner.page.services.first()


@pytest.fixture
def practitioner_user(practitioner):
    """The practitioner's account (Camille Martin, camille@example.com), linked to the page."""
    return practitioner_user_create(practitioner, "camille@example.com")


@pytest.fixture
def client_user(db):
    """A verified client account (client@example.com)."""
    return client_create()
