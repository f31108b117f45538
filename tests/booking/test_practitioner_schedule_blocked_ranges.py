"""Blocked ranges over several days, and the blocked ranges in the practitioner's private feed."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from booking.models import BlockedRange
from booking.selectors import practitioner_free_slots
from booking.services.schedule import blocked_range_create
from tests.booking.booking_helpers import paris
from tests.booking.mail_helpers import ics_events, ics_lines
from tests.factories import bookable_practitioner_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db


def feed(client, practitioner) -> bytes:
    url = reverse("practitioner:calendar_feed", kwargs={"token": practitioner.calendar_token})
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def block_post(client, **fields):
    data = {"plage-reason": ""} | {f"plage-{name}": value for name, value in fields.items()}
    return client.post(reverse("practitioner:blocked_ranges"), data)


def free_days(practitioner, first: date, last: date) -> set[date]:
    service = practitioner.page.services.first()
    return {
        slot.start.astimezone(practitioner.tz).date()
        for slot in practitioner_free_slots(
            practitioner=practitioner, service=service, first_day=first, last_day=last
        )
    }


# --- Over several days ------------------------------------------------------------------------


def test_a_range_from_one_day_to_another_blocks_every_day_between(client, own):
    response = block_post(
        client, date="2027-03-02", start="14:00", end_date="2027-03-05", end="12:00"
    )

    assert response.status_code == 302
    blocked = BlockedRange.objects.get(practitioner=own)
    assert (blocked.start, blocked.end) == (paris(2027, 3, 2, 14), paris(2027, 3, 5, 12))
    days = free_days(own, date(2027, 3, 2), date(2027, 3, 6))
    assert date(2027, 3, 2) in days  # its morning stays open
    assert not days & {date(2027, 3, 3), date(2027, 3, 4)}
    assert date(2027, 3, 5) in days and date(2027, 3, 6) in days  # its afternoon, Saturday
    listing = client.get(reverse("practitioner:blocked_ranges")).content.decode()
    assert "5 mars 2027" in listing


def test_the_form_shows_a_start_day_and_an_end_day(client, own):
    response = client.get(reverse("practitioner:blocked_ranges"))
    assert_valid_accessible_html(response.content)
    page = response.content.decode()
    assert 'name="plage-date"' in page and 'name="plage-end_date"' in page


def test_a_range_across_the_spring_time_change_keeps_its_wall_clock_bounds(client, own):
    """Saturday 27 March 18:00 to Monday 29 March 09:00, over the night the clocks go forward."""
    response = block_post(
        client, date="2027-03-27", start="18:00", end_date="2027-03-29", end="09:00"
    )
    assert response.status_code == 302
    blocked = BlockedRange.objects.get()
    assert blocked.start == paris(2027, 3, 27, 18)
    assert blocked.end == paris(2027, 3, 29, 9)
    assert blocked.end - blocked.start == timedelta(hours=38)  # 39 on the wall, one skipped


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"date": "2027-03-05", "start": "10:00", "end_date": "2027-03-04", "end": "12:00"},
            "la fin de la plage doit être après son début",
        ),
        (
            {"date": "2027-03-04", "start": "12:00", "end_date": "2027-03-04", "end": "12:00"},
            "la fin de la plage doit être après son début",
        ),
        (
            {"date": "2027-03-02", "start": "10:00", "end_date": "2027-02-20", "end": "12:00"},
            "passée",
        ),
        (
            {"date": "2027-03-02", "start": "10:00", "end_date": "2027-13-01", "end": "12:00"},
            "date valide",
        ),
        (
            {"date": "2027-03-02", "start": "10:00", "end_date": "2028-03-10", "end": "12:00"},
            "au plus un an",
        ),
        (
            {"date": "2027-03-27", "start": "10:00", "end_date": "2027-03-28", "end": "02:30"},
            "changement d&#x27;heure",
        ),
    ],
)
def test_bad_ranges_over_days_are_a_400_with_a_message(client, own, fields, message):
    response = block_post(client, **fields)
    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    assert message in response.content.decode().lower()
    assert not BlockedRange.objects.exists()


# --- In the private calendar feed -------------------------------------------------------------


def test_each_blocked_range_is_an_event_of_the_feed_with_its_reason(client, own, directory):
    long = blocked_range_create(
        practitioner=own,
        start=paris(2027, 3, 2, 14),
        end=paris(2027, 3, 5, 12),
        reason="Congrès; Lyon, \\ salle 2\nétage 3",
    )
    short = blocked_range_create(
        practitioner=own, start=paris(2027, 3, 8, 9), end=paris(2027, 3, 8, 10)
    )
    other = bookable_practitioner_create(directory, title="Dominique Autre")
    blocked_range_create(
        practitioner=other,
        start=paris(2027, 3, 2, 9),
        end=paris(2027, 3, 2, 10),
        reason="Secret de Dominique",
    )
    client.logout()

    content = feed(client, own)
    _calendar, events = ics_events(content)
    blocked = [event for event in events if event["UID"].startswith("plage-")]
    assert len(blocked) == 2
    by_start = {event["DTSTART"]: event for event in blocked}
    first = by_start["20270302T130000Z"]
    assert first["DTEND"] == "20270305T110000Z"
    assert first["SUMMARY"] == "Plage bloquée : Congrès; Lyon, \\ salle 2\nétage 3"
    assert first["TRANSP"] == "OPAQUE"
    assert by_start["20270308T080000Z"]["SUMMARY"] == "Plage bloquée"
    assert len({event["UID"] for event in blocked}) == 2
    assert str(long.pk) in first["UID"] and str(short.pk) in by_start["20270308T080000Z"]["UID"]
    # TEXT escaped on the wire (RFC 5545 §3.3.11), never another practitioner's range.
    raw = [line for line in ics_lines(content) if line.startswith("SUMMARY:Plage bloquée :")]
    assert raw == ["SUMMARY:Plage bloquée : Congrès\\; Lyon\\, \\\\ salle 2\\nétage 3"]
    assert "Dominique" not in content.decode()


def test_a_long_reason_is_folded_without_splitting_a_character(client, own):
    blocked_range_create(
        practitioner=own,
        start=paris(2027, 3, 2, 14),
        end=paris(2027, 3, 2, 16),
        reason="é" * 119 + "\x07",
    )
    content = feed(client, own)
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    _calendar, events = ics_events(content)  # each physical line decodes on its own
    (event,) = [e for e in events if e["UID"].startswith("plage-")]
    assert event["SUMMARY"] == "Plage bloquée : " + "é" * 119  # the control character dropped


def test_ranges_over_for_more_than_90_days_leave_the_feed(client, own, frozen_clock):
    blocked_range_create(practitioner=own, start=paris(2027, 3, 2, 14), end=paris(2027, 3, 2, 16))
    frozen_clock.move_to(paris(2027, 5, 30, 12))  # 89 days after its end: still shown
    assert b"UID:plage-" in feed(client, own)
    frozen_clock.move_to(paris(2027, 6, 1, 12))
    assert b"UID:plage-" not in feed(client, own)
