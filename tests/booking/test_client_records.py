"""A practitioner books a client who phoned: their own records, the same double-booking guard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from booking.exceptions import ChangeNotAllowed, OutsideBookingRules, SlotUnavailable
from booking.models import Appointment, ClientRecord
from booking.selectors import practitioner_client_appointments, practitioner_clients
from booking.services import appointment_book
from booking.services.clients import (
    appointment_book_for_client,
    client_record_create,
    client_record_update,
)
from staff.services import practitioner_account_link
from tests.booking.booking_helpers import paris
from tests.factories import bookable_practitioner_create, client_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


@pytest.fixture
def camille(directory):
    practitioner = bookable_practitioner_create(
        directory, title="Camille Martin", min_notice_hours=24
    )
    user = client_create("camille@example.com")
    practitioner_account_link(user=user, page=practitioner.page)
    return practitioner, user


@pytest.fixture
def nina(directory):
    practitioner = bookable_practitioner_create(directory, title="Nina Rossi")
    user = client_create("nina@example.com")
    practitioner_account_link(user=user, page=practitioner.page)
    return practitioner, user


# The clock stands at Monday 1 March 2027, 09:00 in Paris (booking_helpers.NOW).
TODAY_16H = paris(2027, 3, 1, 16)  # inside the 24-hour notice: only the practitioner may book it
THURSDAY_10H = paris(2027, 3, 4, 10)
FRIDAY_10H = paris(2027, 3, 5, 10)


def test_a_phoned_client_is_booked_inside_the_notice_and_gets_the_confirmation(
    camille, django_capture_on_commit_callbacks
):
    practitioner, pro = camille
    record = client_record_create(
        practitioner=practitioner,
        by=pro,
        first_name="Jean",
        last_name="Morel",
        phone="06 12 34 56 78",
        email="Jean.Morel@example.com",
    )
    service = practitioner.page.services.first()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book_for_client(
            practitioner=practitioner,
            service=service,
            start=TODAY_16H,
            by=pro,
            client_record=record,
        )

    assert appointment.client is None and appointment.client_record == record
    with pytest.raises(OutsideBookingRules):  # online, the notice applies
        appointment_book(
            practitioner=practitioner,
            service=service,
            start=TODAY_16H + timedelta(hours=1),
            client=client_create("en-ligne@example.com"),
        )
    to_client = [m for m in mail.outbox if m.to == ["jean.morel@example.com"]]
    assert len(to_client) == 1
    assert "créez un compte" in to_client[0].body
    assert "Jean" in to_client[0].body
    assert to_client[0].attachments[0][0] == "rendez-vous.ics"


def test_the_same_slot_cannot_be_taken_twice_by_phone_and_online(camille):
    practitioner, pro = camille
    service = practitioner.page.services.first()
    start = THURSDAY_10H
    online = client_create("client@example.com")
    appointment_book(practitioner=practitioner, service=service, start=start, client=online)
    record = client_record_create(practitioner=practitioner, by=pro, first_name="J", last_name="M")

    with pytest.raises(SlotUnavailable) as taken:
        appointment_book_for_client(
            practitioner=practitioner, service=service, start=start, by=pro, client_record=record
        )
    assert taken.value.code == "slot_unavailable"
    assert Appointment.objects.count() == 1


def test_a_practitioner_books_and_sees_only_their_own_clients(camille, nina):
    practitioner, pro = camille
    other, other_pro = nina
    mine = client_record_create(
        practitioner=practitioner, by=pro, first_name="Jean", last_name="Morel"
    )
    theirs = client_record_create(
        practitioner=other, by=other_pro, first_name="Jeanne", last_name="Roy"
    )
    service = practitioner.page.services.first()

    with pytest.raises(ChangeNotAllowed) as refused:
        appointment_book_for_client(
            practitioner=practitioner,
            service=service,
            start=THURSDAY_10H,
            by=pro,
            client_record=theirs,
        )
    assert refused.value.code == "not_yours"
    with pytest.raises(ChangeNotAllowed):
        client_record_create(practitioner=other, by=pro, first_name="X", last_name="Y")
    with pytest.raises(ChangeNotAllowed):
        client_record_update(record=theirs, by=pro, first_name="X", last_name="Y")
    stranger = client_create("inconnu@example.com")
    with pytest.raises(ChangeNotAllowed):
        appointment_book_for_client(
            practitioner=practitioner,
            service=service,
            start=THURSDAY_10H,
            by=pro,
            client=stranger,
        )

    assert [c.record for c in practitioner_clients(practitioner=practitioner, search="jean")] == [
        mine
    ]
    assert practitioner_clients(practitioner=practitioner, search="Roy") == []


def test_an_account_that_booked_online_is_one_of_the_clients_with_its_history(camille, nina):
    practitioner, pro = camille
    other, _ = nina
    online = client_create("client@example.com")
    here = appointment_book(
        practitioner=practitioner,
        service=practitioner.page.services.first(),
        start=THURSDAY_10H,
        client=online,
    )
    appointment_book(
        practitioner=other,
        service=other.page.services.first(),
        start=THURSDAY_10H,
        client=online,
    )

    (line,) = practitioner_clients(practitioner=practitioner)
    assert line.account == online
    assert practitioner_client_appointments(practitioner=practitioner, client=online) == [here]
    again = appointment_book_for_client(
        practitioner=practitioner,
        service=practitioner.page.services.first(),
        start=FRIDAY_10H,
        by=pro,
        client=online,
    )
    assert again.client == online
    assert ClientRecord.objects.count() == 0


def test_the_phoned_client_finds_the_appointment_once_their_address_is_verified(camille):
    from django.contrib.auth import get_user_model

    from booking.models import AppointmentStatus, CancelledBy
    from booking.selectors import client_appointments
    from booking.services import appointment_cancel

    practitioner, pro = camille
    record = client_record_create(
        practitioner=practitioner,
        by=pro,
        first_name="Jean",
        last_name="Morel",
        email="jean@example.com",
    )
    appointment = appointment_book_for_client(
        practitioner=practitioner,
        service=practitioner.page.services.first(),
        start=THURSDAY_10H,
        by=pro,
        client_record=record,
    )
    unverified = get_user_model().objects.create_user("JEAN@example.com", "x" * 20)
    assert client_appointments(client=unverified) == ([], [])
    with pytest.raises(ChangeNotAllowed) as refused:
        appointment_cancel(appointment=appointment, by=unverified, by_role=CancelledBy.CLIENT)
    assert refused.value.code == "not_yours"

    unverified.delete()
    jean = client_create("jean@example.com")
    assert client_appointments(client=jean) == ([appointment], [])
    appointment_cancel(appointment=appointment, by=jean, by_role=CancelledBy.CLIENT)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_a_phoned_client_with_an_address_gets_the_reminder_without_account_links(
    camille, frozen_clock, django_capture_on_commit_callbacks
):
    from booking.notifications import appointment_reminders_send

    practitioner, pro = camille
    record = client_record_create(
        practitioner=practitioner,
        by=pro,
        first_name="Jean",
        last_name="Morel",
        email="jean@example.com",
    )
    appointment_book_for_client(
        practitioner=practitioner,
        service=practitioner.page.services.first(),
        start=THURSDAY_10H,
        by=pro,
        client_record=record,
    )
    mail.outbox.clear()
    frozen_clock.move_to(THURSDAY_10H - timedelta(hours=20))

    with django_capture_on_commit_callbacks(execute=True):
        assert appointment_reminders_send() == 1

    (reminder,) = [m for m in mail.outbox if m.to == ["jean@example.com"]]
    assert "contactez directement le praticien" in reminder.body
    assert "/compte/rendez-vous/" not in reminder.body
