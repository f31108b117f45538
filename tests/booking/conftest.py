"""Fixtures shared by the booking tests: one clock, the practitioner signed in to their area."""

import pytest
import time_machine

from tests.booking.booking_helpers import NOW
from tests.booking.practitioner_helpers import signed_in_practitioner


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
