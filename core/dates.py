"""Calendar arithmetic the retention rules share."""

from __future__ import annotations

from datetime import datetime


def years_before(moment: datetime, years: int) -> datetime:
    """The same instant `years` calendar years earlier; 29 February falls back to the 28th."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)
