"""Mes clients: the practitioner's own clients, records they create, bookings they take by hand."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from booking.models import Appointment, ClientRecord, OpeningHours
from booking.services import appointment_book
from tests.booking.booking_helpers import paris
from tests.booking.practitioner_helpers import appointment_insert
from tests.factories import bookable_practitioner_create, client_create
from tests.html import assert_valid_accessible_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

# The clock stands at Monday 1 March 2027, 09:00 in Paris (booking_helpers.NOW).
RECORD = {
    "first_name": "Jean",
    "last_name": "Morel",
    "phone": "06 12 34 56 78",
    "email": "jean.morel@example.com",
}


def _book_post(own, day="2027-03-01", time="16:00"):
    return {"service": own.page.services.first().pk, "day": day, "time": time}


def test_the_page_lists_only_the_practitioners_own_clients(client, own, directory):
    online = client_create("claire@example.com")
    appointment_book(
        practitioner=own,
        service=own.page.services.first(),
        start=paris(2027, 3, 4, 10),
        client=online,
    )
    other = bookable_practitioner_create(directory, title="Nina Rossi")
    ClientRecord.objects.create(practitioner=other, first_name="Secret", last_name="Ailleurs")
    ClientRecord.objects.create(
        practitioner=own, first_name="Jean", last_name="Morel", phone="0612345678"
    )

    response = client.get(reverse("practitioner:clients"))

    soup = assert_valid_accessible_html(response.content)
    text = soup.get_text(" ")
    assert "Claire Dupont" in text and "Jean Morel" in text
    assert "Ailleurs" not in text
    assert "Aucune note" in text  # says why no notes are kept
    searched = client.get(reverse("practitioner:clients"), {"q": "Ailleurs"}).text
    assert "Aucun de vos clients ne correspond" in searched
    menu = soup.find("nav", class_="practitioner-menu")
    current = menu.find_all("a", attrs={"aria-current": "page"})
    assert [link.get_text(strip=True) for link in current] == ["Mes clients"]


def test_a_new_record_then_a_phone_booking_inside_the_notice_lands_in_the_agenda(
    client, own, django_capture_on_commit_callbacks
):
    response = client.post(reverse("practitioner:client_record_add"), RECORD)
    record = ClientRecord.objects.get(practitioner=own)
    assert response["Location"] == reverse("practitioner:client_record", kwargs={"pk": record.pk})

    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post(
            reverse("practitioner:client_record", kwargs={"pk": record.pk}), _book_post(own)
        )

    appointment = Appointment.objects.get()
    assert booked["Location"] == reverse(
        "practitioner:appointment", kwargs={"reference": appointment.reference}
    )
    assert (appointment.client_record, appointment.start) == (record, paris(2027, 3, 1, 16))
    assert any(m.to == ["jean.morel@example.com"] for m in mail.outbox)
    detail = client.get(reverse("practitioner:client_record", kwargs={"pk": record.pk}))
    assert "lundi 1 mars 2027, 16:00" in detail.text


def test_a_taken_slot_is_refused_with_a_clear_message_and_nothing_saved(client, own):
    record = ClientRecord.objects.create(
        practitioner=own, first_name="J", last_name="M", phone="0612345678"
    )
    appointment_insert(own, client_create(), paris(2027, 3, 1, 16))

    response = client.post(
        reverse("practitioner:client_record", kwargs={"pk": record.pk}), _book_post(own)
    )

    assert response.status_code == 409
    assert "vient d'être pris" in assert_valid_accessible_html(response.content).get_text()
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    "post",
    [
        {"day": "2027-02-30", "time": "10:00"},
        {"day": "0001-01-01", "time": "10:00"},
        {"day": "2027-03-28", "time": "02:30"},  # skipped by the clocks
        {"day": "2027-03-01", "time": "23:00"},  # closed
        {"day": "", "time": ""},
    ],
)
def test_bad_dates_and_times_are_form_errors(client, own, post):
    record = ClientRecord.objects.create(
        practitioner=own, first_name="J", last_name="M", phone="0612345678"
    )

    response = client.post(
        reverse("practitioner:client_record", kwargs={"pk": record.pk}),
        {"service": own.page.services.first().pk, **post},
    )

    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    assert not Appointment.objects.exists()


def test_a_record_needs_a_way_to_reach_the_client(client, own):
    response = client.post(
        reverse("practitioner:client_record_add"), {"first_name": "J", "last_name": "M"}
    )
    assert response.status_code == 400
    assert "moyen de joindre" in response.text
    assert not ClientRecord.objects.exists()


def test_another_practitioners_record_or_client_is_a_404(client, own, directory):
    other = bookable_practitioner_create(directory, title="Nina Rossi")
    theirs = ClientRecord.objects.create(
        practitioner=other, first_name="S", last_name="A", phone="0612345678"
    )
    stranger = client_create("inconnu@example.com")

    for url in (
        reverse("practitioner:client_record", kwargs={"pk": theirs.pk}),
        reverse("practitioner:client_record_edit", kwargs={"pk": theirs.pk}),
        reverse("practitioner:client_account", kwargs={"pk": stranger.pk}),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {**RECORD, **_book_post(own)}).status_code == 404
    assert not Appointment.objects.exists()
    theirs.refresh_from_db()
    assert theirs.first_name == "S"


def test_editing_a_record(client, own):
    record = ClientRecord.objects.create(
        practitioner=own, first_name="J", last_name="M", phone="0612345678"
    )
    client.post(reverse("practitioner:client_record_edit", kwargs={"pk": record.pk}), RECORD)
    record.refresh_from_db()
    assert (record.first_name, record.email) == ("Jean", "jean.morel@example.com")


def test_the_checklist_shows_until_hours_exist_and_the_menu_links_the_profile(client, own):
    page = client.get(reverse("practitioner:clients")).text
    assert "Pour ouvrir votre agenda aux clients" not in page  # hours and services are set
    assert reverse("wagtailadmin_pages:edit", args=[own.page_id]) in page

    OpeningHours.objects.filter(practitioner=own).delete()
    page = client.get(reverse("practitioner:clients")).text
    assert "Pour ouvrir votre agenda aux clients" in page
    assert "Saisir vos horaires" in page


def test_the_appointment_page_shows_the_phoned_clients_record(client, own):
    record = ClientRecord.objects.create(
        practitioner=own, first_name="Jean", last_name="Morel", phone="0612345678"
    )
    appointment = appointment_insert(own, None, paris(2027, 3, 2, 10))
    appointment.client_record = record
    appointment.save()

    response = client.get(
        reverse("practitioner:appointment", kwargs={"reference": appointment.reference})
    )

    text = assert_valid_accessible_html(response.content).get_text(" ")
    assert "Jean Morel" in text and "0612345678" in text
    assert "a été supprimé" not in text
