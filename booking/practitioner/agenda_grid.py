"""The agenda as a time grid: one column per day, one row per quarter of an hour.

A presenter, not a second slot engine: free gaps are the slot engine's own free slots
(booking.selectors.slots_for_duration) merged into spans, so the agenda never shows as free a
time the booking service would refuse. Everything is laid out on the practitioner's wall clock;
the instants stay aware (UTC) for <time datetime>. A fixed number of queries whatever the number
of appointments or days (the view's test counts them).

The template positions each entry by CSS classes (ag-s-N, ag-e-N: grid-row start and end, see
frontend/css/agenda.css), not by style attributes: the Content-Security-Policy has no
'unsafe-inline' for styles.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.models import (
    ACTIVE_STATUSES,
    Appointment,
    BlockedRange,
    DayOff,
    Practitioner,
    availability_of,
)
from booking.selectors import practitioner_agenda, practitioner_blocked_ranges, slots_for_duration
from booking.slots import Slot

ROW_MINUTES = 15
DAY_MINUTES = 24 * 60
# The grid's rows when the days shown have neither opening hours nor anything booked.
DEFAULT_HOURS = (8 * 60, 18 * 60)
# Side-by-side lanes for entries at the same time (a cancelled appointment and the one booked in
# its place, a blocked range over an appointment); more overlaps share the last lane.
MAX_LANES = 3
# Upper bound of every row class the CSS must define: a whole day of quarter hours, plus the
# line after the last row.
MAX_ROW_LINE = DAY_MINUTES // ROW_MINUTES + 1

APPOINTMENT, BLOCKED, FREE, OPEN = "appointment", "blocked", "free", "open"


@dataclass(frozen=True)
class GridEntry:
    """Something on the grid between two instants; `start_minute`/`end_minute` are its wall
    clock minutes on its day (clipped to that day), `row_start`/`row_end` its grid lines."""

    kind: str
    start: datetime
    end: datetime
    start_minute: int
    end_minute: int
    row_start: int
    row_end: int
    appointment: Appointment | None = None
    blocked: BlockedRange | None = None
    # Side by side with overlapping entries: 1, 2... (ag-lane-N); 0 takes the whole width.
    lane: int = 0

    @property
    def starts_label(self) -> str:
        return _hhmm(self.start_minute)

    @property
    def ends_label(self) -> str:
        return _hhmm(self.end_minute)

    @property
    def is_active(self) -> bool:
        return self.appointment is not None and self.appointment.status in ACTIVE_STATUSES

    @property
    def who(self) -> str:
        """The appointment's client: their account, or the practitioner's record of them."""
        contact = self.appointment.contact if self.appointment else None
        if contact is None:
            return _("compte supprimé")
        return contact.get_full_name() or contact.email

    @property
    def label(self) -> str:
        """An appointment in words (its link's aria-label): time, client, service, status."""
        if self.appointment is None:
            return ""
        return ", ".join(
            [
                f"{self.starts_label}\u2013{self.ends_label}",  # an en dash
                self.who,
                self.appointment.service_name,
                str(self.appointment.get_status_display()),
            ]
        )


@dataclass
class GridDay:
    day: date
    is_today: bool = False
    day_off: DayOff | None = None
    # The practitioner's hours that day (shaded): OPEN entries.
    opening: list[GridEntry] = field(default_factory=list)
    # Appointments, blocked ranges and free gaps, in the order of their start.
    entries: list[GridEntry] = field(default_factory=list)
    lanes: int = 1

    @property
    def is_closed(self) -> bool:
        return not self.opening

    @property
    def appointments(self) -> list[GridEntry]:
        return [e for e in self.entries if e.kind == APPOINTMENT]

    @property
    def iso(self) -> str:
        return self.day.isoformat()


@dataclass
class AgendaGrid:
    days: list[GridDay]
    first_minute: int
    last_minute: int

    @property
    def rows(self) -> int:
        return (self.last_minute - self.first_minute) // ROW_MINUTES

    @property
    def hour_marks(self) -> list[tuple[str, int]]:
        """("09:00", grid line) for each full hour the grid shows."""
        first_hour = -(-self.first_minute // 60)
        return [
            (_hhmm(hour * 60), self.row_line(hour * 60))
            for hour in range(first_hour, self.last_minute // 60)
        ]

    def row_line(self, minute: int) -> int:
        return (minute - self.first_minute) // ROW_MINUTES + 1

    def end_line(self, minute: int) -> int:
        return -(-(minute - self.first_minute) // ROW_MINUTES) + 1


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _wall_minute(instant: datetime, practitioner: Practitioner) -> int:
    local = instant.astimezone(practitioner.tz)
    return local.hour * 60 + local.minute


def _day_start(practitioner: Practitioner, day: date) -> datetime:
    # combine() per day rather than +24 h: days of 23 or 25 hours start where their clock says.
    return datetime.combine(day, time.min, tzinfo=practitioner.tz).astimezone(UTC)


def _clip(
    practitioner: Practitioner, day: date, start: datetime, end: datetime
) -> tuple[int, int] | None:
    """The wall-clock minutes of [start, end) on `day`, or None when it misses the day."""
    day_start, next_start = (
        _day_start(practitioner, day),
        _day_start(practitioner, day + timedelta(days=1)),
    )
    if end <= day_start or start >= next_start:
        return None
    start_minute = 0 if start <= day_start else _wall_minute(start, practitioner)
    end_minute = DAY_MINUTES if end >= next_start else _wall_minute(end, practitioner)
    # The autumn change repeats an hour: an entry inside it may end "before" it starts.
    return start_minute, max(end_minute, start_minute + 1)


def _merged(slots: list[Slot]) -> list[tuple[datetime, datetime]]:
    """Free slots (of one step each) joined into the spans they cover."""
    spans: list[tuple[datetime, datetime]] = []
    for slot in sorted(slots, key=lambda s: s.start):
        if spans and slot.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], slot.end))
        else:
            spans.append((slot.start, slot.end))
    return spans


def _assign_lanes(entries: list[GridEntry]) -> tuple[list[GridEntry], int]:
    """Put overlapping appointments and blocked ranges side by side (greedy, by start).

    Lanes are counted per group of entries that overlap one another: an entry that overlaps
    nothing keeps the whole width (lane 0) even on a day where others share it.
    """
    placed: list[GridEntry] = [e for e in entries if e.kind == FREE]  # never overlaps a booking
    busy = sorted(
        (e for e in entries if e.kind != FREE), key=lambda e: (e.start_minute, -e.end_minute)
    )
    day_lanes = 1
    group: list[tuple[GridEntry, int]] = []
    lane_ends: list[int] = []

    def close_group() -> None:
        nonlocal day_lanes
        shared = len(lane_ends) > 1
        for grouped, index in group:
            placed.append(replace(grouped, lane=min(index, MAX_LANES - 1) + 1 if shared else 0))
        day_lanes = max(day_lanes, min(len(lane_ends), MAX_LANES))

    for entry in busy:
        if group and entry.start_minute >= max(lane_ends):
            close_group()
            group, lane_ends = [], []
        for index, lane_end in enumerate(lane_ends):
            if lane_end <= entry.start_minute:
                lane_ends[index] = entry.end_minute
                break
        else:
            index = len(lane_ends)
            lane_ends.append(entry.end_minute)
        group.append((entry, index))
    if group:
        close_group()
    return placed, day_lanes


def agenda_grid(
    *, practitioner: Practitioner, first_day: date, last_day: date, now: datetime | None = None
) -> AgendaGrid:
    """The days from first_day to last_day laid out on one time grid.

    Rows run from the earliest opening (or earliest entry) to the latest closing (or latest
    entry) of the days shown, rounded to whole hours. Free gaps are shown from now on only: a
    free time in the past cannot be booked any more. They ignore the minimum notice, which
    protects the practitioner from last-minute online bookings, not from those they take
    themselves (the same rule as appointment_book_for_client).
    """
    now = now or timezone.now()
    today = now.astimezone(practitioner.tz).date()
    availability = availability_of(practitioner)
    appointments = practitioner_agenda(
        practitioner=practitioner, first_day=first_day, last_day=last_day
    )
    # Who each appointment is for: an account (selected already) or the practitioner's record.
    prefetch_related_objects(appointments, "client_record")
    blocked_ranges = practitioner_blocked_ranges(
        practitioner=practitioner, first_day=first_day, last_day=last_day
    )
    free = _merged(
        slots_for_duration(
            practitioner=practitioner,
            duration=timedelta(minutes=practitioner.slot_step_minutes),
            first_day=first_day,
            last_day=last_day,
            now=now,
            availability=availability,
            ignore_notice=True,
        )
    )
    days_off = {
        row.date: row
        for row in practitioner.days_off.filter(date__gte=first_day, date__lte=last_day)
    }

    raw: dict[date, list[tuple[str, datetime, datetime, int, int, object]]] = {}
    opening: dict[date, list[tuple[time, time]]] = {}
    day = first_day
    while day <= last_day:
        raw[day] = []
        opening[day] = availability.ranges_on(day)
        day += timedelta(days=1)

    def place(kind: str, start: datetime, end: datetime, item: object) -> None:
        for grid_day in raw:
            clipped = _clip(practitioner, grid_day, start, end)
            if clipped is not None:
                raw[grid_day].append((kind, start, end, *clipped, item))

    for appointment in appointments:
        place(APPOINTMENT, appointment.start, appointment.end, appointment)
    for blocked in blocked_ranges:
        place(BLOCKED, blocked.start, blocked.end, blocked)
    for span_start, span_end in free:
        place(FREE, span_start, span_end, None)

    minutes = [t.hour * 60 + t.minute for ranges in opening.values() for r in ranges for t in r]
    minutes += [m for entries in raw.values() for e in entries for m in (e[3], e[4])]
    if minutes:
        first_minute = min(minutes) // 60 * 60
        last_minute = min(DAY_MINUTES, -(-max(minutes) // 60) * 60)
    else:
        first_minute, last_minute = DEFAULT_HOURS
    grid = AgendaGrid(days=[], first_minute=first_minute, last_minute=last_minute)

    def entry(kind, start, end, start_minute, end_minute, item) -> GridEntry:
        return GridEntry(
            kind=kind,
            start=start,
            end=end,
            start_minute=start_minute,
            end_minute=end_minute,
            row_start=grid.row_line(start_minute),
            row_end=max(grid.end_line(end_minute), grid.row_line(start_minute) + 1),
            appointment=item if kind == APPOINTMENT else None,
            blocked=item if kind == BLOCKED else None,
        )

    for grid_day, entries in raw.items():
        placed, lanes = _assign_lanes([entry(*e) for e in entries])
        hours = [
            entry(
                OPEN,
                # The instants of the wall-clock bounds, for <time datetime>.
                datetime.combine(grid_day, opens, tzinfo=practitioner.tz),
                datetime.combine(grid_day, closes, tzinfo=practitioner.tz),
                opens.hour * 60 + opens.minute,
                closes.hour * 60 + closes.minute,
                None,
            )
            for opens, closes in opening[grid_day]
        ]
        grid.days.append(
            GridDay(
                day=grid_day,
                is_today=grid_day == today,
                day_off=None if hours else days_off.get(grid_day),
                opening=hours,
                entries=sorted(placed, key=lambda e: (e.start, e.kind != FREE)),
                lanes=lanes,
            )
        )
    return grid
