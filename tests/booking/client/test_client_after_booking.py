"""After booking: the calendar file, the address and its map link, the links back, the code."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from bs4 import BeautifulSoup

from booking.models import AppointmentStatus
from booking.services import appointment_cancel
from tests.booking.client_helpers import FIRST_SLOT_AT, book
from tests.booking.mail_helpers import appointment_make, ics_events
from tests.html import assert_valid_accessible_html

LIST = "/compte/rendez-vous/"
ADDRESS = "3 place Bellecour, 69003 Lyon"

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def appointment(practitioner, service, customer):
    return book(practitioner, service, customer)


def calendar_url(appointment) -> str:
    return f"/compte/rendez-vous/{appointment.reference}/calendrier.ics"


def confirmed_url(appointment) -> str:
    return f"/rendez-vous/confirme/{appointment.reference}/"


def _held(practitioner, customer, start):
    return appointment_make(
        practitioner,
        customer,
        start,
        status=AppointmentStatus.HELD,
        hold_expires_at=FIRST_SLOT_AT - timedelta(hours=20),
        hold_key="k" * 32,
    )


# --- The calendar file -----------------------------------------------------------------------


def test_the_calendar_file_downloads_the_clients_own_appointment(client, customer, appointment):
    client.force_login(customer)

    response = client.get(calendar_url(appointment))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="rendez-vous-{appointment.code}.ics"'
    calendar, (event,) = ics_events(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert event["UID"] == f"{appointment.reference}@testserver"
    assert event["SUMMARY"] == f"Première consultation avec Camille Martin ({appointment.code})"
    assert event["DTSTART"] == "20270112T080000Z"
    assert event["LOCATION"] == ADDRESS
    assert "ATTENDEE" not in event


def test_another_clients_or_an_unknown_calendar_file_is_a_404(client, other_customer, appointment):
    client.force_login(other_customer)

    assert client.get(calendar_url(appointment)).status_code == 404
    unknown = "/compte/rendez-vous/00000000-0000-0000-0000-000000000000/calendrier.ics"
    assert client.get(unknown).status_code == 404


def test_the_calendar_file_needs_a_signed_in_client(client, appointment):
    response = client.get(calendar_url(appointment))

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=")


def test_a_held_slot_has_no_calendar_file_nor_confirmation(client, customer, practitioner):
    held = _held(practitioner, customer, FIRST_SLOT_AT)
    client.force_login(customer)

    assert client.get(calendar_url(held)).status_code == 404
    assert client.get(confirmed_url(held)).status_code == 404


def test_a_cancelled_appointments_file_says_it_is_cancelled(client, customer, appointment):
    appointment_cancel(appointment=appointment, by=customer, reason="", by_role="client")
    client.force_login(customer)

    _, (event,) = ics_events(client.get(calendar_url(appointment)).content)

    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == "1"


# --- The confirmation page ---------------------------------------------------------------------


def _map_link(soup):
    links = [a for a in soup.find_all("a") if a["href"].startswith("https://")]
    assert len(links) == 1, links
    return links[0]


def test_the_confirmation_offers_calendar_map_changes_and_the_way_back(
    client, customer, appointment, practitioner
):
    client.force_login(customer)

    soup = assert_valid_accessible_html(client.get(confirmed_url(appointment)).content)

    main = soup.find("main")
    hrefs = [a["href"] for a in main.find_all("a")]
    assert calendar_url(appointment) in hrefs
    assert f"/compte/rendez-vous/{appointment.reference}/annuler/" in hrefs
    assert f"/compte/rendez-vous/{appointment.reference}/deplacer/" in hrefs
    assert practitioner.page.url in hrefs
    assert LIST in hrefs
    text = " ".join(main.get_text(" ").split())
    assert f"Référence : {appointment.code}" in text
    assert str(appointment.reference) not in text  # the UUID stays in URLs
    link = _map_link(soup)
    parts = urlsplit(link["href"])
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.openstreetmap.org", "/search")
    assert parse_qs(parts.query) == {"query": [ADDRESS]}
    assert link["referrerpolicy"] == "no-referrer"


def test_nothing_is_loaded_from_a_map_service_until_the_link_is_followed(
    client, customer, appointment
):
    client.force_login(customer)
    for url in (confirmed_url(appointment), LIST):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        for tag in soup.find_all(["img", "iframe", "script", "link", "object", "embed"]):
            source = tag.get("src") or tag.get("href") or tag.get("data") or ""
            assert not source.startswith(("http:", "https:", "//")), tag


def test_a_visio_appointment_has_no_address_nor_map(client, customer, practitioner):
    visio = practitioner.page.services.get(name="Suivi en visio")
    appointment = book(practitioner, visio, customer)
    client.force_login(customer)

    soup = BeautifulSoup(client.get(confirmed_url(appointment)).content, "html.parser")

    assert not soup.find("a", href=lambda href: href and "openstreetmap" in href)
    assert "Bellecour" not in soup.find("main").get_text()


# --- Mes rendez-vous -----------------------------------------------------------------------------


def test_my_appointments_offers_the_calendar_file_map_and_profile_for_what_is_to_come(
    client, customer, appointment, practitioner
):
    client.force_login(customer)

    soup = assert_valid_accessible_html(client.get(LIST).content)

    upcoming = soup.find("section", attrs={"aria-labelledby": "rdv-a-venir"})
    hrefs = [a["href"] for a in upcoming.find_all("a")]
    assert calendar_url(appointment) in hrefs
    assert practitioner.page.url in hrefs
    assert any("openstreetmap.org/search" in href for href in hrefs)
    assert appointment.code in upcoming.get_text()
    assert ADDRESS in upcoming.get_text()


def test_past_and_cancelled_ones_offer_to_book_again_but_no_file_nor_change(
    client, customer, appointment, practitioner, service
):
    cancelled = book(practitioner, service, customer, start=FIRST_SLOT_AT + timedelta(days=1))
    appointment_cancel(appointment=cancelled, by=customer, reason="", by_role="client")
    client.force_login(customer)

    with time_machine.travel(FIRST_SLOT_AT + timedelta(hours=2), tick=False):
        soup = assert_valid_accessible_html(client.get(LIST).content)

    again = f"/rendez-vous/{practitioner.page_id}/"
    for section_id, row in (("rdv-passes", appointment), ("rdv-annules", cancelled)):
        section = soup.find("section", attrs={"aria-labelledby": section_id})
        hrefs = [a["href"] for a in section.find_all("a")]
        assert again in hrefs
        assert calendar_url(row) not in hrefs
        assert not any("/annuler/" in href or "/deplacer/" in href for href in hrefs)
        assert row.code in section.get_text()


def test_held_slots_are_never_listed(client, customer, practitioner, appointment):
    held = _held(practitioner, customer, FIRST_SLOT_AT + timedelta(days=1))
    expired = _held(practitioner, customer, FIRST_SLOT_AT + timedelta(days=2))
    client.force_login(customer)

    content = client.get(LIST).content.decode()

    assert appointment.code in content
    assert held.code not in content and expired.code not in content
    assert "Retenu" not in content and "retenu" not in content
