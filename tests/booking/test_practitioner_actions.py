"""The practitioner's actions: mark an appointment, cancel it with a reason, block time."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.urls import reverse

from booking.models import AppointmentStatus, BlockedRange
from booking.selectors import practitioner_free_slots
from booking.services import appointment_book, blocked_range_create
from tests.booking.booking_helpers import paris
from tests.booking.practitioner_helpers import sign_in_again
from tests.factories import bookable_practitioner_create, client_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(own):
    """Tuesday 2 March 2027, 10:00-11:00 in Paris, booked by Claire."""
    return appointment_book(
        practitioner=own,
        service=own.page.services.first(),
        start=paris(2027, 3, 2, 10),
        client=client_create(),
    )


def starts(practitioner, day: date) -> set[datetime]:
    service = practitioner.page.services.first()
    return {
        slot.start
        for slot in practitioner_free_slots(
            practitioner=practitioner, service=service, first_day=day, last_day=day
        )
    }


# --- Mark done / no-show ----------------------------------------------------------------------


def test_marking_an_appointment_done_before_it_starts_is_refused(client, booked):
    url = reverse("practitioner:appointment_mark", args=[booked.reference])
    response = client.post(url, {"status": "done"})
    assert response.status_code == 409
    assert "pas encore commencé" in response.content.decode()
    assert_valid_accessible_html(response.content)
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CONFIRMED


@pytest.mark.parametrize("status", ["done", "no_show"])
def test_once_started_the_appointment_can_be_marked(client, own, booked, frozen_clock, status):
    frozen_clock.move_to(datetime(2027, 3, 2, 9, 30, tzinfo=UTC))  # 10:30 in Paris
    sign_in_again(client, own)
    url = reverse("practitioner:appointment_mark", args=[booked.reference])
    response = client.post(url, {"status": status})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == status


@pytest.mark.parametrize("status", ["", "cancelled", "confirmed", "n'importe quoi"])
def test_marking_with_an_unknown_status_is_a_400_and_changes_nothing(
    client, own, booked, frozen_clock, status
):
    frozen_clock.move_to(datetime(2027, 3, 2, 9, 30, tzinfo=UTC))
    sign_in_again(client, own)
    response = client.post(
        reverse("practitioner:appointment_mark", args=[booked.reference]), {"status": status}
    )
    assert response.status_code == 400
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CONFIRMED


def test_the_area_refuses_get_on_actions(client, booked):
    url = reverse("practitioner:appointment_mark", args=[booked.reference])
    assert client.get(url).status_code == 405


# --- Cancel with a reason ---------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_without_a_reason_is_refused(client, booked, reason):
    url = reverse("practitioner:appointment_cancel", args=[booked.reference])
    response = client.post(url, {"reason": reason})
    assert response.status_code == 400
    assert "motif" in response.content.decode()
    assert_valid_accessible_html(response.content)
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CONFIRMED


def test_cancelling_with_a_reason_frees_the_slot_and_tells_the_client_by_email(
    client, own, booked, django_capture_on_commit_callbacks
):
    assert paris(2027, 3, 2, 10) not in starts(own, date(2027, 3, 2))
    mail.outbox.clear()
    url = reverse("practitioner:appointment_cancel", args=[booked.reference])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Formation imprévue, toutes mes excuses"})
    assert response.status_code == 302

    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED
    assert booked.cancelled_by == "practitioner"
    assert booked.cancellation_reason == "Formation imprévue, toutes mes excuses"
    to_client = [message for message in mail.outbox if "client@example.com" in message.to]
    assert len(to_client) == 1
    assert "Formation imprévue" in to_client[0].body
    assert paris(2027, 3, 2, 10) in starts(own, date(2027, 3, 2))


def test_a_cancelled_appointment_cannot_be_cancelled_again(client, booked):
    url = reverse("practitioner:appointment_cancel", args=[booked.reference])
    assert client.post(url, {"reason": "Empêchement"}).status_code == 302
    again = client.post(url, {"reason": "Encore"})
    assert again.status_code == 409
    booked.refresh_from_db()
    assert booked.cancellation_reason == "Empêchement"


# --- Blocked ranges ---------------------------------------------------------------------------


def test_a_blocked_range_is_no_longer_offered_and_removing_it_offers_it_again(client, own):
    tuesday = date(2027, 3, 2)
    assert paris(2027, 3, 2, 15) in starts(own, tuesday)
    response = client.post(
        reverse("practitioner:blocked_ranges"),
        {
            "plage-date": "2027-03-02",
            "plage-start": "14:00",
            "plage-end": "16:00",
            "plage-reason": "Dentiste",
        },
    )
    assert response.status_code == 302
    blocked = BlockedRange.objects.get(practitioner=own)
    assert (blocked.start, blocked.end) == (paris(2027, 3, 2, 14), paris(2027, 3, 2, 16))
    offered = starts(own, tuesday)
    assert not {paris(2027, 3, 2, 14), paris(2027, 3, 2, 15)} & offered
    assert paris(2027, 3, 2, 16) in offered

    listing = client.get(reverse("practitioner:blocked_ranges"))
    assert "Dentiste" in listing.content.decode()
    assert_valid_accessible_html(listing.content)

    removed = client.post(reverse("practitioner:blocked_range_remove", args=[blocked.pk]))
    assert removed.status_code == 302
    assert paris(2027, 3, 2, 15) in starts(own, tuesday)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"plage-date": "2027-03-02", "plage-start": "16:00", "plage-end": "14:00"}, "après"),
        ({"plage-date": "2027-02-30", "plage-start": "10:00", "plage-end": "11:00"}, "date"),
        ({"plage-date": "2027-02-01", "plage-start": "10:00", "plage-end": "11:00"}, "passée"),
        ({"plage-date": "2027-03-02", "plage-start": "25:00", "plage-end": "26:00"}, "heure"),
        ({}, "requis"),
    ],
)
def test_bad_blocked_ranges_are_refused_with_a_message(client, own, data, message):
    response = client.post(reverse("practitioner:blocked_ranges"), data)
    assert response.status_code == 400
    assert message in response.content.decode().lower()
    assert_valid_accessible_html(response.content)
    assert not BlockedRange.objects.exists()


def test_blocking_over_a_booked_appointment_is_refused(client, booked):
    response = client.post(
        reverse("practitioner:blocked_ranges"),
        {"plage-date": "2027-03-02", "plage-start": "09:00", "plage-end": "12:00"},
    )
    assert response.status_code == 400
    assert "chevauche" in response.content.decode()
    assert not BlockedRange.objects.exists()


def test_another_practitioners_blocked_range_cannot_be_removed(client, own, directory):
    other = bookable_practitioner_create(directory, title="Dominique Autre")
    theirs = blocked_range_create(
        practitioner=other, start=paris(2027, 3, 2, 9), end=paris(2027, 3, 2, 10)
    )
    response = client.post(reverse("practitioner:blocked_range_remove", args=[theirs.pk]))
    assert response.status_code == 404
    assert BlockedRange.objects.filter(pk=theirs.pk).exists()
    assert (
        client.post("/espace-praticien/plages-bloquees/99999999999999999999/retirer/").status_code
        == 404
    )
