"""The agenda's time grid (booking.practitioner.agenda_grid): rows, positions, free gaps.

The practitioner of tests.factories is open Monday to Saturday, 09:00-12:00 and 14:00-18:00,
slots every 30 minutes; the clock stops on Monday 1 March 2027, 09:00 in Paris.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from booking.models import AppointmentStatus, ClientRecord, DayOff, SpecialHours
from booking.practitioner.agenda_grid import (
    APPOINTMENT,
    BLOCKED,
    DEFAULT_HOURS,
    FREE,
    MAX_LANES,
    MAX_ROW_LINE,
    agenda_grid,
)
from booking.selectors import slots_for_duration
from booking.services import blocked_range_create
from tests.booking.booking_helpers import paris
from tests.booking.practitioner_helpers import appointment_insert
from tests.factories import bookable_practitioner_create, client_create

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 3, 1)
SUNDAY = date(2027, 3, 7)


@pytest.fixture
def camille(directory, frozen_clock):
    return bookable_practitioner_create(directory)


def week(practitioner, first=MONDAY):
    return agenda_grid(
        practitioner=practitioner, first_day=first, last_day=first + timedelta(days=6)
    )


def spans(entries, kind):
    return [(e.starts_label, e.ends_label) for e in entries if e.kind == kind]


def test_rows_run_from_the_earliest_opening_to_the_latest_closing_of_the_week(camille):
    SpecialHours.objects.create(practitioner=camille, date=SUNDAY, start=time(7, 30), end=time(10))
    grid = week(camille)
    # 07:00 (07:30 rounded down to the hour) to 18:00: 44 quarters of an hour.
    assert (grid.first_minute, grid.last_minute, grid.rows) == (7 * 60, 18 * 60, 44)
    assert grid.hour_marks[0] == ("07:00", 1) and grid.hour_marks[-1] == ("17:00", 41)
    assert [d.day for d in grid.days] == [MONDAY + timedelta(days=n) for n in range(7)]
    sunday = grid.days[-1]
    assert spans(sunday.opening, "open") == [("07:30", "10:00")]
    assert (sunday.opening[0].row_start, sunday.opening[0].row_end) == (3, 13)


def test_an_appointment_outside_the_hours_widens_the_grid(camille):
    appointment_insert(camille, client_create(), paris(2027, 3, 3, 19, 15), minutes=45)
    grid = week(camille)
    assert (grid.first_minute, grid.last_minute) == (9 * 60, 20 * 60)
    (entry,) = grid.days[2].appointments
    assert (entry.starts_label, entry.ends_label) == ("19:15", "20:00")
    # Line 1 is 09:00: 19:15 is 41 quarters later.
    assert (entry.row_start, entry.row_end) == (42, 45)


def test_appointment_rows_and_its_label_name_the_time_and_the_client(camille):
    appointment_insert(camille, client_create(), paris(2027, 3, 2, 10), minutes=60)
    (entry,) = week(camille).days[1].appointments
    assert (entry.row_start, entry.row_end) == (5, 9)  # 10:00 to 11:00, from 09:00
    assert entry.label == "10:00\u201311:00, Claire Dupont, Première consultation, confirmé"


def test_a_phoned_client_is_named_from_the_practitioners_record(camille):
    record = ClientRecord.objects.create(practitioner=camille, first_name="Rémi", last_name="Roux")
    appointment = appointment_insert(camille, None, paris(2027, 3, 2, 10))
    appointment.client_record = record
    appointment.save()
    (entry,) = week(camille).days[1].appointments
    assert entry.who == "Rémi Roux"


def test_free_gaps_are_the_slot_engines_free_slots_joined(camille):
    appointment_insert(camille, client_create(), paris(2027, 3, 2, 10))
    blocked_range_create(
        practitioner=camille, start=paris(2027, 3, 2, 15), end=paris(2027, 3, 2, 16, 30)
    )
    tuesday = week(camille).days[1]
    assert spans(tuesday.entries, FREE) == [
        ("09:00", "10:00"),
        ("11:00", "12:00"),
        ("14:00", "15:00"),
        ("16:30", "18:00"),
    ]
    # Exactly what the engine offers in steps of the practitioner's slot step.
    slots = slots_for_duration(
        practitioner=camille,
        duration=timedelta(minutes=30),
        first_day=tuesday.day,
        last_day=tuesday.day,
        ignore_notice=True,
    )
    free = [e for e in tuesday.entries if e.kind == FREE]
    assert all(any(g.start <= s.start and s.end <= g.end for g in free) for s in slots)
    assert sum((g.end - g.start for g in free), timedelta()) == timedelta(minutes=30) * len(slots)
    # Chronological: appointments, blocked ranges and gaps interleaved by start.
    assert [e.kind for e in tuesday.entries] == [FREE, APPOINTMENT, FREE, FREE, BLOCKED, FREE]


def test_free_gaps_keep_the_buffer_around_appointments(directory, frozen_clock):
    practitioner = bookable_practitioner_create(directory, buffer_minutes=15)
    appointment_insert(practitioner, client_create(), paris(2027, 3, 2, 10))
    tuesday = week(practitioner).days[1]
    # 09:30-10:00 would end 15 minutes before the appointment: not bookable, so not free.
    assert spans(tuesday.entries, FREE)[:2] == [("09:00", "09:30"), ("11:30", "12:00")]


def test_no_free_gap_in_the_past_and_today_only_from_now(camille, frozen_clock):
    frozen_clock.move_to(datetime(2027, 3, 3, 10, 10, tzinfo=UTC))  # Wednesday, 11:10 in Paris
    grid = week(camille)
    assert not spans(grid.days[0].entries, FREE) and not spans(grid.days[1].entries, FREE)
    assert spans(grid.days[2].entries, FREE) == [("11:30", "12:00"), ("14:00", "18:00")]
    assert grid.days[2].is_today and not grid.days[1].is_today
    assert spans(grid.days[3].entries, FREE) == [("09:00", "12:00"), ("14:00", "18:00")]


def test_a_day_off_is_closed_with_its_reason_unless_it_has_special_hours(camille):
    DayOff.objects.create(practitioner=camille, date=date(2027, 3, 2), reason="Formation")
    DayOff.objects.create(practitioner=camille, date=date(2027, 3, 3))
    SpecialHours.objects.create(
        practitioner=camille, date=date(2027, 3, 3), start=time(10), end=time(12)
    )
    grid = week(camille)
    tuesday, wednesday, sunday = grid.days[1], grid.days[2], grid.days[6]
    assert tuesday.is_closed and tuesday.day_off.reason == "Formation"
    assert not spans(tuesday.entries, FREE)
    assert not wednesday.is_closed and wednesday.day_off is None
    assert spans(wednesday.entries, FREE) == [("10:00", "12:00")]
    assert sunday.is_closed and sunday.day_off is None  # closed every week, not a day off


def test_a_blocked_range_over_midnight_shows_on_each_day_it_covers(camille):
    blocked_range_create(
        practitioner=camille, start=paris(2027, 3, 2, 16), end=paris(2027, 3, 3, 10)
    )
    grid = week(camille)
    assert spans(grid.days[1].entries, BLOCKED) == [("16:00", "24:00")]
    assert spans(grid.days[2].entries, BLOCKED) == [("00:00", "10:00")]
    assert (grid.first_minute, grid.last_minute) == (0, 24 * 60)
    (late,) = [e for e in grid.days[1].entries if e.kind == BLOCKED]
    assert late.row_end == MAX_ROW_LINE


def test_overlapping_entries_are_put_side_by_side(camille):
    blocked_range_create(
        practitioner=camille, start=paris(2027, 3, 2, 16), end=paris(2027, 3, 2, 17)
    )
    claire = client_create()
    cancelled = appointment_insert(camille, claire, paris(2027, 3, 2, 10))
    cancelled.status = AppointmentStatus.CANCELLED
    cancelled.save()
    appointment_insert(camille, client_create("autre@example.com"), paris(2027, 3, 2, 10, 30))
    appointment_insert(camille, claire, paris(2027, 3, 2, 14))
    tuesday = week(camille).days[1]
    assert tuesday.lanes == 2
    # Side by side where they overlap; the afternoon one, alone, keeps the whole width.
    assert [e.lane for e in tuesday.appointments] == [1, 2, 0]
    assert not tuesday.appointments[0].is_active and tuesday.appointments[1].is_active
    assert {e.lane for e in tuesday.entries if e.kind in (BLOCKED, FREE)} == {0}


def test_lanes_are_capped(camille):
    for n in range(MAX_LANES + 2):
        appointment = appointment_insert(
            camille, client_create(f"c{n}@example.com"), paris(2027, 3, 2, 10)
        )
        appointment.status = AppointmentStatus.CANCELLED
        appointment.save()
    tuesday = week(camille).days[1]
    assert tuesday.lanes == MAX_LANES
    assert max(e.lane for e in tuesday.appointments) == MAX_LANES


def test_the_march_change_keeps_appointments_on_the_wall_clock(camille, frozen_clock):
    # Sunday 28 March 2027 lasts 23 hours in Paris; Monday 29 is on UTC+2.
    frozen_clock.move_to(datetime(2027, 3, 20, 12, tzinfo=UTC))
    appointment_insert(camille, client_create(), paris(2027, 3, 27, 10))
    appointment_insert(camille, client_create("b@example.com"), paris(2027, 3, 29, 10))
    grid = agenda_grid(
        practitioner=camille, first_day=date(2027, 3, 27), last_day=date(2027, 3, 29)
    )
    assert [spans(d.entries, APPOINTMENT) for d in grid.days] == [
        [("10:00", "11:00")],
        [],
        [("10:00", "11:00")],
    ]
    assert grid.days[0].appointments[0].row_start == grid.days[2].appointments[0].row_start


def test_an_empty_closed_week_shows_default_hours(directory, frozen_clock):
    practitioner = bookable_practitioner_create(directory)
    practitioner.opening_hours.all().delete()
    grid = week(practitioner)
    assert (grid.first_minute, grid.last_minute) == DEFAULT_HOURS
    assert all(d.is_closed and not d.entries for d in grid.days)


def css_rules() -> str:
    """The generated part of frontend/css/agenda.css: a class per row count, grid line, lane."""
    lines = [
        f".ag-rows-{n} {{ grid-template-rows: repeat({n}, var(--ag-row)); }}"
        for n in range(1, MAX_ROW_LINE)
    ]
    lines += [f".ag-s-{n} {{ grid-row-start: {n}; }}" for n in range(1, MAX_ROW_LINE + 1)]
    lines += [f".ag-e-{n} {{ grid-row-end: {n}; }}" for n in range(2, MAX_ROW_LINE + 1)]
    lines += [
        f".ag-lanes-{n} {{ grid-template-columns: repeat({n}, minmax(0, 1fr)); }}"
        for n in range(2, MAX_LANES + 1)
    ]
    lines += [f".ag-lane-{n} {{ grid-column: {n}; }}" for n in range(1, MAX_LANES + 1)]
    return "\n".join(lines) + "\n"


def test_the_stylesheet_has_a_class_for_every_row_line_and_lane():
    """Entries are placed by classes (the CSP allows no style attribute): a missing one would
    silently put an appointment on the wrong rows."""
    css = (Path(settings.BASE_DIR) / "frontend" / "css" / "agenda.css").read_text()
    assert css.endswith(css_rules()), "regenerate the end of agenda.css with css_rules()"
    assert re.search(r"\.ag-s-97 \{", css) and not re.search(r"\.ag-s-98 \{", css)
