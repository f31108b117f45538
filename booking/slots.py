"""The slot engine: which start times a client may book, as a pure function.

Everything it needs is passed in (opening hours, exceptions, existing appointments, rules and
"now"), so it can be tested exhaustively and reused by the booking service, which checks a slot
again inside its transaction. Wall-clock times (opening hours) are in the practitioner's time
zone; instants (appointments, now, slots) are aware datetimes, handled in UTC: Python adds a
timedelta to a Europe/Paris datetime on the wall clock, which would make a 60-minute appointment
last 0 or 120 minutes across a daylight-saving change. Slots are returned in UTC.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class OpeningRange:
    """Open from `start` to `end` (wall-clock times, end excluded) on a weekday (0 = Monday)."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class Interval:
    """A busy span of time: an appointment, a hold or a blocked range (aware datetimes)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class BookingRules:
    step: timedelta = timedelta(minutes=30)
    buffer: timedelta = timedelta(0)
    min_notice: timedelta = timedelta(hours=24)
    horizon: timedelta = timedelta(days=60)
    tz: ZoneInfo = PARIS


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Availability:
    """A practitioner's hours: weekly ranges, whole days off, and dates with special hours.

    `special_hours` replaces the weekly hours of a date (an exceptional opening on a Sunday, or
    shorter hours on Christmas Eve); a date in `days_off` is closed unless it has special hours.
    """

    weekly: Sequence[OpeningRange]
    days_off: Collection[date] = frozenset()
    special_hours: Mapping[date, Sequence[tuple[time, time]]] = field(default_factory=dict)

    def ranges_on(self, day: date) -> list[tuple[time, time]]:
        """The day's opening ranges, overlapping or touching ones merged."""
        if day in self.special_hours:
            ranges = list(self.special_hours[day])
        elif day in self.days_off:
            ranges = []
        else:
            ranges = [(r.start, r.end) for r in self.weekly if r.weekday == day.weekday()]
        merged: list[tuple[time, time]] = []
        for start, end in sorted(r for r in ranges if r[0] < r[1]):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged


def free_slots(
    *,
    availability: Availability,
    busy: Sequence[Interval],
    duration: timedelta,
    rules: BookingRules,
    now: datetime,
    first_day: date,
    last_day: date,
) -> list[Slot]:
    """Every bookable slot of `duration` whose local start date is in [first_day, last_day].

    A slot is bookable when it lies inside one opening range, starts at least `min_notice`
    after `now` and no later than `now + horizon`, and, widened by `buffer` on both sides, does
    not overlap any busy interval (back-to-back appointments are fine when the buffer is 0).
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if duration <= timedelta(0) or rules.step <= timedelta(0):
        raise ValueError("duration and step must be positive")

    now = now.astimezone(UTC)
    earliest = now + rules.min_notice
    latest = now + rules.horizon
    first_day = max(first_day, earliest.astimezone(rules.tz).date())
    last_day = min(last_day, latest.astimezone(rules.tz).date())

    # Busy intervals widened by the buffer, sorted by start, with a running maximum of their ends
    # so that one binary search answers "does anything overlap [start, end)?".
    widened = sorted(
        (b.start.astimezone(UTC) - rules.buffer, b.end.astimezone(UTC) + rules.buffer)
        for b in busy
        if b.end > b.start
    )
    starts = [s for s, _ in widened]
    max_end_before: list[datetime] = []
    running = datetime.min.replace(tzinfo=UTC)
    for _, end in widened:
        running = max(running, end)
        max_end_before.append(running)

    def overlaps(start: datetime, end: datetime) -> bool:
        # Intervals starting before `end`; the latest end among them decides.
        index = bisect.bisect_left(starts, end)
        return index > 0 and max_end_before[index - 1] > start

    slots: list[Slot] = []
    for day in _days(first_day, last_day):
        for range_start, range_end in availability.ranges_on(day):
            opens = _aware(day, range_start, rules.tz)
            closes = _aware(day, range_end, rules.tz)
            for start in _steps(day, range_start, range_end, rules):
                end = start + duration
                if end > closes or start < opens:
                    continue
                if start < earliest or start > latest:
                    continue
                if overlaps(start, end):
                    continue
                slots.append(Slot(start, end))
    return slots


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _aware(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The instant (UTC) of a wall-clock time; a time skipped in spring maps past the gap."""
    return datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)


def _steps(
    day: date, range_start: time, range_end: time, rules: BookingRules
) -> Iterator[datetime]:
    """Start times stepped on the wall clock, so that slots stay at 9:00, 9:30... on any day.

    Wall-clock times that do not exist (the spring-forward gap) are skipped; times that exist
    twice (the autumn fall-back) are offered once, at their first occurrence.
    """
    wall = datetime.combine(day, range_start)
    stop = datetime.combine(day, range_end)
    # Only the two change days a year need the (slower) existence check of each time.
    same_offset_all_day = (
        datetime.combine(day, time.min, tzinfo=rules.tz).utcoffset()
        == datetime.combine(day, time.max, tzinfo=rules.tz).utcoffset()
    )
    while wall < stop:
        local = wall.replace(tzinfo=rules.tz)
        if same_offset_all_day or _exists(local):
            yield local.astimezone(UTC)
        wall += rules.step


def _exists(local: datetime) -> bool:
    round_trip = local.astimezone(UTC).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)
