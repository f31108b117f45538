"""Helpers shared by the booking tests: a fixed clock, Paris wall-clock instants, refusals."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from booking.exceptions import BookingError
from booking.slots import PARIS

# Monday 1 March 2027, 09:00 in Paris (CET): with the default 24 h notice, the first slot is
# Tuesday 2 March at 09:00.
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def paris(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@contextmanager
def refused(
    exc_type: type[BookingError], code: str, message: str | None = None
) -> Iterator[pytest.ExceptionInfo[BookingError]]:
    """pytest.raises that also checks which refusal was raised: its code, and its message where
    several refusals share a code (appointment_change_refusal's, all "change_not_allowed")."""
    with pytest.raises(exc_type) as caught:
        yield caught
    assert caught.value.code == code
    if message is not None:
        assert caught.value.message == message
