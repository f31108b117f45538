"""A day off or a blocked range over booked appointments: listed, then cancelled or kept, on an
explicit choice only; never a client left silently booked on a closed day."""

import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from booking.exceptions import ChangeNotAllowed
from booking.models import AppointmentStatus, BlockedRange, DayOff
from booking.services import appointment_book
from booking.services import collisions as collisions_module
from booking.services.collisions import AppointmentsCollide, Collisions
from booking.services.schedule import blocked_range_create, day_off_add
from tests.booking.booking_helpers import paris
from tests.factories import bookable_practitioner_create, client_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

TUESDAY = "2027-03-02"


def book(practitioner, start, email, first_name="Claire"):
    client = client_create(email=email)
    client.first_name = first_name
    client.save(update_fields=["first_name"])
    return appointment_book(
        practitioner=practitioner,
        service=practitioner.page.services.first(),
        start=start,
        client=client,
    )


@pytest.fixture
def booked(own):
    """Tuesday 2 March 2027: Claire at 10:00 and Bruno at 14:00, with the signed-in practitioner."""
    first = book(own, paris(2027, 3, 2, 10), "claire@example.com", "Claire")
    second = book(own, paris(2027, 3, 2, 14), "bruno@example.com", "Bruno")
    mail.outbox.clear()
    return first, second


@pytest.fixture
def theirs(directory, own):
    """Another practitioner's client, booked the same Tuesday at 10:00."""
    other = bookable_practitioner_create(directory, title="Dominique Autre")
    appointment = book(other, paris(2027, 3, 2, 10), "zoe@example.com", "Zoé")
    mail.outbox.clear()
    return appointment


def seen_value(response) -> str:
    field = BeautifulSoup(response.content, "html.parser").find(
        "input", attrs={"name": re.compile(r"-seen$")}
    )
    assert field is not None, "the list shown must travel back with the choice"
    return field["value"]


def day_off_post(client, **fields):
    data = {"fermeture-date": TUESDAY, "fermeture-reason": "Congrès"}
    data |= {f"fermeture-{name}": value for name, value in fields.items()}
    return client.post(reverse("practitioner:day_off_add"), data)


def status_of(appointment) -> str:
    appointment.refresh_from_db()
    return appointment.status


# --- Days off ---------------------------------------------------------------------------------


def test_a_day_off_over_appointments_lists_them_and_saves_nothing(client, booked, theirs):
    response = day_off_post(client)

    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    page = response.content.decode()
    assert "Claire" in page and "Bruno" in page
    assert "10:00" in page and "14:00" in page
    assert "Fermer et annuler ces rendez-vous (motif envoyé aux clients)" in page
    assert "Fermer en gardant ces rendez-vous" in page
    # Another practitioner's client on the same day is none of this practitioner's business.
    assert "Zoé" not in page and "zoe@example.com" not in page
    assert set(seen_value(response).split()) == {str(a.reference) for a in booked}
    assert not DayOff.objects.exists()
    assert {status_of(a) for a in (*booked, theirs)} == {AppointmentStatus.CONFIRMED}
    assert mail.outbox == []


def test_cancelling_them_with_the_day_off_tells_each_client_the_reason(
    client, booked, theirs, django_capture_on_commit_callbacks
):
    seen = seen_value(day_off_post(client))
    with django_capture_on_commit_callbacks(execute=True):
        response = day_off_post(
            client, collisions="cancel", cancel_reason="Formation imprévue", seen=seen
        )

    assert response.status_code == 302
    assert DayOff.objects.get().date == date(2027, 3, 2)
    for appointment in booked:
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.CANCELLED
        assert appointment.cancelled_by == "practitioner"
        assert appointment.cancellation_reason == "Formation imprévue"
    for address in ("claire@example.com", "bruno@example.com"):
        to_client = [m for m in mail.outbox if address in m.to]
        assert len(to_client) == 1
        assert "Formation imprévue" in to_client[0].body
    assert status_of(theirs) == AppointmentStatus.CONFIRMED
    assert not [m for m in mail.outbox if "zoe@example.com" in m.to]
    follow = client.get(reverse("practitioner:hours")).content.decode()
    assert "2 rendez-vous annulés" in follow


def test_keeping_them_is_an_explicit_choice_that_tells_nobody(
    client, booked, django_capture_on_commit_callbacks
):
    seen = seen_value(day_off_post(client))
    with django_capture_on_commit_callbacks(execute=True):
        response = day_off_post(client, collisions="keep", seen=seen)

    assert response.status_code == 302
    assert DayOff.objects.filter(date=date(2027, 3, 2)).exists()
    assert {status_of(a) for a in booked} == {AppointmentStatus.CONFIRMED}
    assert mail.outbox == []
    assert "2 rendez-vous maintenus" in client.get(reverse("practitioner:hours")).content.decode()


def test_cancelling_without_a_reason_is_refused_with_the_list_and_saves_nothing(client, booked):
    seen = seen_value(day_off_post(client))
    response = day_off_post(client, collisions="cancel", cancel_reason="  ", seen=seen)

    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    page = response.content.decode()
    assert "Indiquez le motif de l&#x27;annulation" in page
    assert "Claire" in page and "Bruno" in page  # the list stays in front of the practitioner
    assert not DayOff.objects.exists()
    assert {status_of(a) for a in booked} == {AppointmentStatus.CONFIRMED}


def test_a_choice_made_on_another_list_is_asked_again(client, own, booked):
    first, second = booked
    # Only Claire was listed when the practitioner chose; Bruno booked in the meantime.
    response = day_off_post(
        client, collisions="cancel", cancel_reason="Fermé", seen=str(first.reference)
    )

    assert response.status_code == 400
    assert set(seen_value(response).split()) == {str(first.reference), str(second.reference)}
    assert not DayOff.objects.exists()
    assert {status_of(a) for a in booked} == {AppointmentStatus.CONFIRMED}


def test_another_practitioners_appointment_in_the_list_sent_back_cancels_nothing(
    client, booked, theirs
):
    forged = " ".join(str(a.reference) for a in (*booked, theirs))
    response = day_off_post(client, collisions="cancel", cancel_reason="Fermé", seen=forged)

    assert response.status_code == 400
    assert "Zoé" not in response.content.decode()
    assert not DayOff.objects.exists()
    assert {status_of(a) for a in (*booked, theirs)} == {AppointmentStatus.CONFIRMED}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"seen": "pas-une-reference", "collisions": "keep"}, "illisible"),
        ({"collisions": "supprimer"}, "Sélectionnez un choix valide"),
    ],
)
def test_a_tampered_choice_is_a_400_with_a_message(client, booked, fields, message):
    response = day_off_post(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DayOff.objects.exists()


def test_a_day_off_on_a_free_day_needs_no_choice(client, booked):
    response = client.post(reverse("practitioner:day_off_add"), {"fermeture-date": "2027-03-03"})
    assert response.status_code == 302
    assert DayOff.objects.get().date == date(2027, 3, 3)


def test_a_refused_cancellation_leaves_neither_the_day_off_nor_any_cancellation(
    own, booked, monkeypatch, django_capture_on_commit_callbacks
):
    """One transaction: the second cancellation failing undoes the first and the day off."""
    real_cancel = collisions_module.appointment_cancel
    calls = []

    def cancel_then_fail(**kwargs):
        calls.append(kwargs["appointment"])
        if len(calls) == 2:
            raise ChangeNotAllowed("Ce rendez-vous a déjà commencé.")
        return real_cancel(**kwargs)

    monkeypatch.setattr(collisions_module, "appointment_cancel", cancel_then_fail)
    user = get_user_model().objects.get(practitioner_account__page=own.page)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ChangeNotAllowed):
        day_off_add(
            practitioner=own,
            day=date(2027, 3, 2),
            collisions=Collisions.CANCEL,
            seen=[a.reference for a in booked],
            cancel_reason="Fermé",
            by=user,
        )

    assert len(calls) == 2
    assert not DayOff.objects.exists()
    assert {status_of(a) for a in booked} == {AppointmentStatus.CONFIRMED}
    assert mail.outbox == []


def test_the_service_refuses_by_default_with_the_practitioners_appointments_only(
    own, booked, theirs
):
    with pytest.raises(AppointmentsCollide) as caught:
        day_off_add(practitioner=own, day=date(2027, 3, 2))
    assert caught.value.appointments == list(booked)
    assert "02/03/2027 10:00" in caught.value.message
    assert not DayOff.objects.exists()


def test_a_past_appointment_of_today_is_not_listed(own, frozen_clock):
    """Monday 1 March at 09:00 in Paris: an appointment that started at 08:00 is history."""
    from tests.booking.practitioner_helpers import appointment_insert

    appointment_insert(own, client_create(email="early@example.com"), paris(2027, 3, 1, 8))
    day_off = day_off_add(practitioner=own, day=date(2027, 3, 1))
    assert day_off.date == date(2027, 3, 1)


# --- Blocked ranges ---------------------------------------------------------------------------


def block_post(client, **fields):
    data = {
        "plage-date": TUESDAY,
        "plage-start": "09:00",
        "plage-end_date": "2027-03-03",
        "plage-end": "12:00",
        "plage-reason": "Congrès",
    }
    data |= {f"plage-{name}": value for name, value in fields.items()}
    return client.post(reverse("practitioner:blocked_ranges"), data)


def test_a_blocked_range_over_appointments_lists_them_then_cancels_them_on_choice(
    client, booked, theirs, django_capture_on_commit_callbacks
):
    asked = block_post(client)
    assert asked.status_code == 400
    assert_valid_accessible_html(asked.content)
    page = asked.content.decode()
    assert "Bloquer et annuler ces rendez-vous (motif envoyé aux clients)" in page
    assert "Bloquer en gardant ces rendez-vous" in page
    assert "Claire" in page and "Bruno" in page and "Zoé" not in page
    assert not BlockedRange.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = block_post(
            client, collisions="cancel", cancel_reason="Congrès imprévu", seen=seen_value(asked)
        )
    assert response.status_code == 302
    blocked = BlockedRange.objects.get()
    assert (blocked.start, blocked.end) == (paris(2027, 3, 2, 9), paris(2027, 3, 3, 12))
    assert {status_of(a) for a in booked} == {AppointmentStatus.CANCELLED}
    assert len([m for m in mail.outbox if "Congrès imprévu" in m.body]) == 2
    assert status_of(theirs) == AppointmentStatus.CONFIRMED


def test_a_blocked_range_kept_over_appointments_keeps_them(client, booked):
    seen = seen_value(block_post(client))
    response = block_post(client, collisions="keep", seen=seen)
    assert response.status_code == 302
    assert BlockedRange.objects.count() == 1
    assert {status_of(a) for a in booked} == {AppointmentStatus.CONFIRMED}


def test_blocked_range_service_keeps_or_cancels_only_on_an_explicit_choice(own, booked):
    with pytest.raises(AppointmentsCollide):
        blocked_range_create(
            practitioner=own, start=paris(2027, 3, 2, 9), end=paris(2027, 3, 2, 18)
        )
    blocked_range_create(
        practitioner=own,
        start=paris(2027, 3, 2, 9),
        end=paris(2027, 3, 2, 18),
        collisions=Collisions.KEEP,
    )
    assert {status_of(a) for a in booked} == {AppointmentStatus.CONFIRMED}


@pytest.mark.parametrize("seen", ["", "3f2c1c6e-8a77-4c2d-9b1e-2f0f3c1d9a10"])
def test_the_last_date_of_the_calendar_is_refused_with_a_message(client, own, seen):
    response = client.post(
        reverse("practitioner:day_off_add"),
        {"fermeture-date": "9999-12-31", "fermeture-seen": seen, "fermeture-collisions": "keep"},
    )
    assert response.status_code == 400
    assert "hors des dates possibles" in response.content.decode()
    assert not DayOff.objects.exists()
