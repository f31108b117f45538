import pytest
import time_machine

from tests.booking.booking_helpers import NOW


@pytest.fixture
def frozen_clock():
    """The booking-core tests' clock (booking_helpers.NOW), stopped: slots depend on "now"."""
    with time_machine.travel(NOW, tick=False):
        yield
