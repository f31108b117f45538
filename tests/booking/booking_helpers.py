"""Helpers shared by the booking-core tests: a fixed clock and Paris wall-clock instants."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

# Monday 1 March 2027, 09:00 in Paris (CET): with the default 24 h notice, the first slot is
# Tuesday 2 March at 09:00.
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def paris(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)
