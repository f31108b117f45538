"""Reads of the practitioner area: today on their clock, blocked ranges, days off.

The agenda's time grid has its own module, booking.practitioner.agenda_grid.
"""

from datetime import date, datetime

from django.utils import timezone

from booking.models import BlockedRange, DayOff, Practitioner, SpecialHours


def practitioner_today(practitioner: Practitioner, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(practitioner.tz).date()


def practitioner_upcoming_blocked_ranges(
    *, practitioner: Practitioner, now: datetime | None = None
) -> list[BlockedRange]:
    """Blocked ranges not yet over, soonest first."""
    return list(practitioner.blocked_ranges.filter(end__gt=now or timezone.now()))


def practitioner_upcoming_days_off(
    *, practitioner: Practitioner, now: datetime | None = None
) -> list[DayOff]:
    return list(practitioner.days_off.filter(date__gte=practitioner_today(practitioner, now)))


def practitioner_upcoming_special_hours(
    *, practitioner: Practitioner, now: datetime | None = None
) -> list[SpecialHours]:
    return list(practitioner.special_hours.filter(date__gte=practitioner_today(practitioner, now)))
