"""'Mes rendez-vous': the list, cancelling and moving an appointment, old e-mail links."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup

from booking.models import Appointment, AppointmentStatus
from booking.services import appointment_cancel
from tests.booking.client_helpers import (
    FIRST_SLOT_AT,
    book,
)
from tests.html import assert_valid_accessible_html

LIST = "/compte/rendez-vous/"
# Wednesday 13 January 2027, 10:00 in Paris.
NEW_SLOT = "2027-01-13T09:00:00Z"
NEW_SLOT_AT = datetime(2027, 1, 13, 9, 0, tzinfo=UTC)


@pytest.fixture
def appointment(practitioner, service, customer, frozen_clock):
    return book(practitioner, service, customer)


def cancel_url(appointment) -> str:
    return f"/compte/rendez-vous/{appointment.reference}/annuler/"


def move_url(appointment, debut: str | None = None) -> str:
    url = f"/compte/rendez-vous/{appointment.reference}/deplacer/"
    return f"{url}?debut={debut}" if debut else url


def snapshot(appointment) -> tuple:
    appointment.refresh_from_db()
    return (
        appointment.status,
        appointment.start,
        appointment.end,
        appointment.sequence,
        appointment.reschedule_count,
    )


# --- The list ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        LIST,
        "/compte/rendez-vous/00000000-0000-0000-0000-000000000000/annuler/",
        "/compte/rendez-vous/00000000-0000-0000-0000-000000000000/deplacer/",
    ],
)
def test_my_appointments_pages_require_login(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=")


def test_my_appointments_lists_upcoming_ones_with_cancel_and_move_links(
    client, customer, appointment
):
    client.force_login(customer)

    response = client.get(LIST)

    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    upcoming = soup.find("section", attrs={"aria-labelledby": "rdv-a-venir"})
    text = upcoming.get_text(" ")
    assert "Mardi 12 janvier 2027, 09:00\u201310:00" in text  # an en dash
    assert "Première consultation" in text and "Camille Martin" in text
    assert "Confirmé" in text
    hrefs = [a["href"] for a in upcoming.find_all("a")]
    assert cancel_url(appointment) in hrefs and move_url(appointment) in hrefs


def test_my_appointments_shows_past_ones_and_cancelled_ones_with_their_status(
    client, customer, appointment, practitioner, service
):
    cancelled = book(practitioner, service, customer, start=NEW_SLOT_AT)
    appointment_cancel(appointment=cancelled, by=customer, reason="", by_role="client")
    client.force_login(customer)

    with time_machine.travel(FIRST_SLOT_AT + timedelta(hours=2), tick=False):
        soup = assert_valid_accessible_html(client.get(LIST).content)

    past = soup.find("section", attrs={"aria-labelledby": "rdv-passes"})
    upcoming = soup.find("section", attrs={"aria-labelledby": "rdv-a-venir"})
    cancelled_section = soup.find("section", attrs={"aria-labelledby": "rdv-annules"})
    assert "Mardi 12 janvier 2027" in past.get_text()
    # A cancelled appointment is in its own section, not under "À venir" nor "Passés".
    assert "Aucun rendez-vous à venir." in upcoming.get_text()
    assert "Mercredi 13 janvier 2027" not in past.get_text()
    text = cancelled_section.get_text()
    assert "Mercredi 13 janvier 2027" in text
    assert "Annulé" in text and "par le client" in text
    # Neither a past nor a cancelled appointment can be changed.
    assert not soup.find("a", href=cancel_url(appointment))
    assert not soup.find("a", href=cancel_url(cancelled))


def test_after_the_cutoff_the_list_says_why_instead_of_offering_links(
    client, customer, appointment
):
    client.force_login(customer)

    with time_machine.travel(FIRST_SLOT_AT - timedelta(hours=2), tick=False):
        soup = BeautifulSoup(client.get(LIST).content, "html.parser")

    assert not soup.find("a", href=cancel_url(appointment))
    assert not soup.find("a", href=move_url(appointment))
    assert "Le délai d'annulation (24 h avant le rendez-vous) est dépassé." in soup.get_text()


def test_the_list_shows_only_my_appointments(client, other_customer, appointment):
    client.force_login(other_customer)

    soup = BeautifulSoup(client.get(LIST).content, "html.parser")

    assert "Aucun rendez-vous à venir." in soup.get_text()
    assert str(appointment.reference) not in str(soup)


# --- Cancel ------------------------------------------------------------------------------------


def test_cancelling_asks_for_confirmation_then_cancels_with_the_reason(
    client, customer, appointment
):
    client.force_login(customer)

    page = client.get(cancel_url(appointment))
    assert page.status_code == 200
    soup = assert_valid_accessible_html(page.content)
    assert soup.find("textarea", attrs={"name": "reason"})
    assert Appointment.objects.get().status == AppointmentStatus.CONFIRMED

    response = client.post(cancel_url(appointment), {"reason": "Un empêchement"})

    assert response.status_code == 303 and response["Location"] == LIST
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancelled_by == "client"
    assert appointment.cancellation_reason == "Un empêchement"
    assert "Votre rendez-vous est annulé." in client.get(LIST).content.decode()


def test_cancelling_without_a_reason_works(client, customer, appointment):
    client.force_login(customer)

    client.post(cancel_url(appointment), {})

    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED


def test_an_old_cancel_link_of_a_cancelled_appointment_only_explains(client, customer, appointment):
    appointment_cancel(appointment=appointment, by=customer, reason="", by_role="client")
    client.force_login(customer)
    before = snapshot(appointment)

    page = client.get(cancel_url(appointment))
    posted = client.post(cancel_url(appointment), {"reason": "encore"})

    assert page.status_code == 200
    soup = assert_valid_accessible_html(page.content)
    assert "Ce rendez-vous est déjà annulé." in soup.get_text()
    assert not soup.find("form", attrs={"method": "post", "class": "account-form"})
    assert posted.status_code == 409
    assert snapshot(appointment) == before
    assert Appointment.objects.get().cancellation_reason == ""


def test_an_appointment_already_started_cannot_be_cancelled_or_moved(client, customer, appointment):
    client.force_login(customer)
    before = snapshot(appointment)

    with time_machine.travel(FIRST_SLOT_AT + timedelta(minutes=10), tick=False):
        cancel_page = client.get(cancel_url(appointment))
        move_page = client.get(move_url(appointment))
        cancel_post = client.post(cancel_url(appointment))
        move_post = client.post(move_url(appointment, NEW_SLOT))

    for page in (cancel_page, move_page):
        assert page.status_code == 200
        soup = assert_valid_accessible_html(page.content)
        assert "Ce rendez-vous a déjà commencé." in soup.get_text()
        assert not soup.select("main form")
    assert cancel_post.status_code == 409 and move_post.status_code == 409
    assert snapshot(appointment) == before


def test_after_the_cutoff_cancelling_is_refused_and_changes_nothing(client, customer, appointment):
    client.force_login(customer)
    before = snapshot(appointment)

    with time_machine.travel(FIRST_SLOT_AT - timedelta(hours=23), tick=False):
        page = client.get(cancel_url(appointment))
        response = client.post(cancel_url(appointment))

    assert page.status_code == 200
    assert "délai d'annulation" in BeautifulSoup(page.content, "html.parser").get_text()
    assert response.status_code == 409
    assert snapshot(appointment) == before


@pytest.mark.parametrize("path", ["annuler", "deplacer"])
def test_another_users_reference_is_a_404_and_changes_nothing(
    client, other_customer, appointment, path
):
    client.force_login(other_customer)
    before = snapshot(appointment)
    url = f"/compte/rendez-vous/{appointment.reference}/{path}/"

    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert client.post(f"{url}?debut={NEW_SLOT}").status_code == 404
    assert client.get(f"/rendez-vous/confirme/{appointment.reference}/").status_code == 404
    assert snapshot(appointment) == before


@pytest.mark.parametrize("reference", ["abc", "123", "00000000-0000-0000-0000-00000000000g"])
def test_a_malformed_reference_is_a_404(client, customer, reference):
    client.force_login(customer)

    assert client.get(f"/compte/rendez-vous/{reference}/annuler/").status_code == 404
    assert client.post(f"/compte/rendez-vous/{reference}/deplacer/").status_code == 404


# --- Move --------------------------------------------------------------------------------------


def test_moving_shows_a_week_of_slots_then_a_confirmation_then_moves(client, customer, appointment):
    client.force_login(customer)
    reference = appointment.reference

    week = client.get(move_url(appointment))
    assert week.status_code == 200
    soup = assert_valid_accessible_html(week.content)
    links = [a["href"] for a in soup.select("a.slot")]
    assert move_url(appointment, NEW_SLOT) in links
    # Its own time is offered again (a 30 min shift overlaps the appointment itself).
    assert move_url(appointment, "2027-01-12T08:30:00Z") in links

    page = client.get(move_url(appointment, NEW_SLOT))
    assert page.status_code == 200
    soup = assert_valid_accessible_html(page.content)
    assert "sera déplacé au mercredi 13 janvier 2027 à 10:00" in soup.get_text()
    assert Appointment.objects.get().start == FIRST_SLOT_AT

    response = client.post(move_url(appointment, NEW_SLOT))

    assert response.status_code == 303 and response["Location"] == LIST
    moved = Appointment.objects.get()
    assert moved.reference == reference
    assert moved.start == NEW_SLOT_AT and moved.end == NEW_SLOT_AT + timedelta(hours=1)
    assert moved.reschedule_count == 1 and moved.sequence == 1


def test_moving_beyond_the_practitioners_cap_is_explained(
    client, customer, appointment, practitioner
):
    appointment.rules_snapshot = {**appointment.rules_snapshot, "max_reschedules": 1}
    appointment.reschedule_count = 1
    appointment.save()
    client.force_login(customer)
    before = snapshot(appointment)

    page = client.get(move_url(appointment))
    list_page = BeautifulSoup(client.get(LIST).content, "html.parser")
    response = client.post(move_url(appointment, NEW_SLOT))

    assert page.status_code == 200
    assert "Vous avez déjà déplacé ce rendez-vous 1 fois" in page.content.decode()
    assert not list_page.find("a", href=move_url(appointment))
    assert list_page.find("a", href=cancel_url(appointment))
    assert response.status_code == 409
    assert snapshot(appointment) == before


def test_moving_to_a_taken_slot_is_refused_with_other_slots(
    client, customer, other_customer, appointment, practitioner, service
):
    book(practitioner, service, other_customer, start=NEW_SLOT_AT)
    client.force_login(customer)
    before = snapshot(appointment)

    response = client.post(move_url(appointment, NEW_SLOT))

    assert response.status_code == 409
    soup = assert_valid_accessible_html(response.content)
    assert "Ce créneau vient d'être réservé par quelqu'un d'autre." in soup.get_text()
    alternatives = [a["href"] for a in soup.select("a.slot")]
    assert alternatives and all("/deplacer/?debut=" in href for href in alternatives)
    assert snapshot(appointment) == before


@pytest.mark.parametrize(
    "debut, status",
    [
        ("abc", 400),
        ("2027-01-13", 400),
        ("2099-01-13T09:00:00Z", 400),
        ("2027-01-13T03:00:00Z", 400),
        ("2027-01-17T09:00:00Z", 400),
    ],
)
def test_moving_to_a_bad_time_is_a_400_and_changes_nothing(
    client, customer, appointment, debut, status
):
    client.force_login(customer)
    before = snapshot(appointment)

    assert client.get(move_url(appointment, debut)).status_code == status
    assert client.post(move_url(appointment, debut)).status_code == status
    assert snapshot(appointment) == before


@pytest.mark.parametrize("semaine, status", [("abc", 400), ("2099-01-01", 302)])
def test_the_move_week_rejects_bad_weeks(client, customer, appointment, semaine, status):
    client.force_login(customer)

    response = client.get(move_url(appointment) + f"?semaine={semaine}")

    assert response.status_code == status
