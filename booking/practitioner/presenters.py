"""Reads of the practitioner area: the agenda laid out by day, blocked ranges, days off."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from booking.models import Appointment, BlockedRange, DayOff, Practitioner, SpecialHours
from booking.selectors import practitioner_agenda, practitioner_blocked_ranges


@dataclass
class AgendaDay:
    day: date
    appointments: list[Appointment] = field(default_factory=list)
    blocked_ranges: list[BlockedRange] = field(default_factory=list)
    is_today: bool = False

    @property
    def entries(self) -> list[tuple[str, Appointment | BlockedRange]]:
        """Appointments and blocked ranges in the order of their start, tagged by kind."""
        tagged: list[tuple[str, Appointment | BlockedRange]] = [
            ("appointment", a) for a in self.appointments
        ]
        tagged += [("blocked", b) for b in self.blocked_ranges]
        return sorted(tagged, key=lambda entry: entry[1].start)


def local_day_start(practitioner: Practitioner, day: date) -> datetime:
    """Midnight of `day` on the practitioner's wall clock, as a UTC instant.

    Built with combine() rather than by adding 24 h to the previous midnight, so that a day of
    23 or 25 hours (daylight-saving changes) starts and ends where its clock says.
    """
    return datetime.combine(day, time.min, tzinfo=practitioner.tz).astimezone(UTC)


def practitioner_today(practitioner: Practitioner, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(practitioner.tz).date()


def practitioner_agenda_days(
    *, practitioner: Practitioner, first_day: date, last_day: date, now: datetime | None = None
) -> list[AgendaDay]:
    """Each day from first_day to last_day with its appointments and blocked ranges."""
    days = {
        first_day + timedelta(days=n): AgendaDay(first_day + timedelta(days=n))
        for n in range((last_day - first_day).days + 1)
    }
    today = practitioner_today(practitioner, now)
    if today in days:
        days[today].is_today = True
    tz = practitioner.tz
    for appointment in practitioner_agenda(
        practitioner=practitioner, first_day=first_day, last_day=last_day
    ):
        local_day = appointment.start.astimezone(tz).date()
        if local_day in days:
            days[local_day].appointments.append(appointment)
    for blocked in practitioner_blocked_ranges(
        practitioner=practitioner, first_day=first_day, last_day=last_day
    ):
        # A range over midnight shows on each day it covers.
        for agenda_day in days.values():
            day_start = local_day_start(practitioner, agenda_day.day)
            day_end = local_day_start(practitioner, agenda_day.day + timedelta(days=1))
            if blocked.start < day_end and blocked.end > day_start:
                agenda_day.blocked_ranges.append(blocked)
    return list(days.values())


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
