"""The client's booking pages: service, week of slots, confirmation, confirmed page."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from booking.models import Appointment, BlockedRange, DayOff
from compliance.models import Acceptance
from compliance.services import WORDINGS
from tests.booking.client_helpers import (
    FIRST_SLOT_AT,
    PASSWORD,
    book,
    confirm_url,
    week_url,
)
from tests.factories import bookable_practitioner_create, policies_publish, practitioner_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.usefixtures("frozen_clock")


def slot_links(soup: BeautifulSoup) -> list[str]:
    return [a["href"] for a in soup.select("a.slot")]


# --- 1. Choose a service -----------------------------------------------------------------------


def test_service_page_lists_the_practitioners_services_with_a_link_each(client, practitioner):
    response = client.get(f"/rendez-vous/{practitioner.page_id}/")

    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    assert "Camille Martin" in soup.h1.get_text()
    links = [a["href"] for a in soup.find_all("a") if a.get_text(strip=True).startswith("Choisir")]
    services = list(practitioner.page.services.order_by("sort_order"))
    assert links == [f"/rendez-vous/{practitioner.page_id}/{s.pk}/" for s in services]
    assert "70 €" in soup.get_text(" ").replace("\xa0", " ")


def test_service_page_is_404_when_the_practitioner_takes_no_bookings(client, practitioner):
    practitioner.accepts_bookings = False
    practitioner.save()

    assert client.get(f"/rendez-vous/{practitioner.page_id}/").status_code == 404


def test_service_page_is_404_for_an_unpublished_page(client, practitioner):
    practitioner.page.unpublish()

    assert client.get(f"/rendez-vous/{practitioner.page_id}/").status_code == 404


@pytest.mark.parametrize("kind", ["unknown", "not_bookable", "home"])
def test_service_page_is_404_for_a_page_that_is_not_a_bookable_practitioner(
    client, site_tree, kind
):
    page_id = {
        "unknown": 999999,
        # A published profile without a booking Practitioner.
        "not_bookable": practitioner_create(site_tree["directory"], title="Léa").pk,
        "home": site_tree["home"].pk,
    }[kind]

    assert client.get(f"/rendez-vous/{page_id}/").status_code == 404


# --- 2. A week of slots ------------------------------------------------------------------------


def test_week_page_groups_free_slots_by_day_with_links_to_the_confirmation(
    client, practitioner, service
):
    response = client.get(week_url(practitioner, service))

    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    days = [h.get_text(strip=True) for h in soup.select(".week__date")]
    assert days[0] == "Lundi 11 janvier" and days[-1] == "Dimanche 17 janvier"
    tuesday = soup.find(id="jour-2027-01-12")
    times = [a.contents[0].strip() for a in tuesday.select("a.slot")]
    # 09:00-12:00 and 14:00-18:00 with 60 min appointments every 30 min.
    assert times[:3] == ["09:00", "09:30", "10:00"] and times[-1] == "17:00"
    assert len(times) == 5 + 7
    first = tuesday.select_one("a.slot")["href"]
    assert first == confirm_url(practitioner, service)
    # Monday: inside the 24 h notice; Sunday: closed.
    assert not soup.find(id="jour-2027-01-11").select("a.slot")
    assert not soup.find(id="jour-2027-01-17").select("a.slot")


def test_week_page_hides_slots_already_booked(client, practitioner, service, customer):
    book(practitioner, service, customer)

    soup = BeautifulSoup(client.get(week_url(practitioner, service)).content, "html.parser")

    links = slot_links(soup)
    assert confirm_url(practitioner, service) not in links
    assert confirm_url(practitioner, service, "2027-01-12T09:00:00Z") in links


def test_week_navigation_stays_within_the_horizon(client, practitioner, service):
    soup = BeautifulSoup(client.get(week_url(practitioner, service)).content, "html.parser")
    assert soup.find("a", rel="prev") is None
    assert soup.find("a", rel="next")["href"] == week_url(practitioner, service, "2027-01-18")

    # 60 days after Monday 11 January is Friday 12 March: the week of 8 March is the last one.
    soup = BeautifulSoup(
        client.get(week_url(practitioner, service, "2027-03-10")).content, "html.parser"
    )
    assert soup.find("a", rel="next") is None
    assert soup.find("a", rel="prev")["href"] == week_url(practitioner, service, "2027-03-01")
    assert soup.find(id="jour-2027-03-08").select("a.slot")
    assert not soup.find(id="jour-2027-03-13").select("a.slot")


def test_an_empty_week_says_so_and_jumps_to_the_next_free_slot(client, practitioner, service):
    DayOff.objects.bulk_create(
        DayOff(practitioner=practitioner, date=date(2027, 1, day)) for day in range(11, 18)
    )

    response = client.get(week_url(practitioner, service))

    soup = assert_valid_accessible_html(response.content)
    assert not slot_links(soup)
    assert "Aucun créneau libre cette semaine." in soup.get_text()
    shortcut = soup.find("a", string=re.compile("Prochain créneau disponible"))
    assert "lundi 18 janvier à 09:00" in shortcut.get_text()
    assert shortcut["href"] == week_url(practitioner, service, "2027-01-18") + "#jour-2027-01-18"


def test_a_later_week_offers_a_shortcut_back_to_the_first_free_slot(client, practitioner, service):
    soup = BeautifulSoup(
        client.get(week_url(practitioner, service, "2027-02-01")).content, "html.parser"
    )

    shortcut = soup.find("a", string=re.compile("Prochain créneau disponible"))
    assert shortcut["href"] == week_url(practitioner, service, "2027-01-11") + "#jour-2027-01-12"


def test_a_practitioner_without_any_free_slot_gets_a_clear_empty_state(
    client, practitioner, service
):
    # Closed over the whole horizon (without any opening hours the page would not be bookable).
    now = timezone.now()
    BlockedRange.objects.create(
        practitioner=practitioner,
        start=now,
        end=now + timedelta(days=practitioner.horizon_days + 2),
    )

    response = client.get(week_url(practitioner, service))

    soup = assert_valid_accessible_html(response.content)
    assert "Aucun créneau n'est disponible pour le moment" in soup.get_text()
    assert not soup.find("a", string=re.compile("Prochain créneau"))


@pytest.mark.parametrize("semaine", ["abc", "2027-13-01", "2027-01-11T00:00", "", "9" * 30])
def test_a_malformed_week_is_a_400(client, practitioner, service, semaine):
    response = client.get(week_url(practitioner, service) + f"?semaine={semaine}")

    assert response.status_code == 400
    assert_valid_accessible_html(response.content)


@pytest.mark.parametrize("semaine", ["2099-01-01", "1900-01-01", "2026-12-28", "0001-01-01"])
def test_a_week_outside_the_horizon_redirects_to_the_current_week(
    client, practitioner, service, semaine
):
    response = client.get(week_url(practitioner, service, semaine))

    assert response.status_code == 302
    assert response["Location"] == week_url(practitioner, service)


def test_a_week_in_the_middle_is_normalised_to_its_monday(client, practitioner, service):
    soup = BeautifulSoup(
        client.get(week_url(practitioner, service, "2027-01-21")).content, "html.parser"
    )

    assert soup.find(id="jour-2027-01-18") and soup.find(id="jour-2027-01-24")


def test_a_service_of_another_practitioner_is_a_404(client, practitioner, directory):
    other = bookable_practitioner_create(directory, title="Hugo Petit")
    foreign = other.page.services.first()

    assert client.get(week_url(practitioner, foreign)).status_code == 404
    assert client.get(confirm_url(practitioner, foreign)).status_code == 404
    assert client.get(f"/rendez-vous/{practitioner.page_id}/999999/").status_code == 404


def test_times_are_shown_in_the_practitioners_time_zone_with_its_name(client, directory):
    practitioner = bookable_practitioner_create(
        directory, title="Hugo Petit", timezone="America/Martinique"
    )
    service = practitioner.page.services.first()

    soup = BeautifulSoup(client.get(week_url(practitioner, service)).content, "html.parser")

    assert "America/Martinique" in soup.get_text()
    tuesday = soup.find(id="jour-2027-01-12")
    first = tuesday.select_one("a.slot")
    # 09:00 in Martinique (UTC-4) is 13:00 UTC.
    assert first.contents[0].strip() == "09:00"
    assert first["href"].endswith("?debut=2027-01-12T13:00:00Z")


def test_times_in_paris_do_not_name_the_zone(client, practitioner, service):
    assert "Europe/Paris" not in client.get(week_url(practitioner, service)).content.decode()


# --- 3. Confirm --------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_login_and_comes_back_to_the_chosen_slot(
    client, practitioner, service, customer
):
    url = confirm_url(practitioner, service)
    response = client.get(url)

    assert response.status_code == 302
    login = response["Location"]
    assert login.startswith("/compte/connexion/?next=")
    page = client.get(login)
    assert page.status_code == 200

    response = client.post(
        login, {"email": customer.email, "password": PASSWORD, "next": page.context["next"]}
    )

    assert response.status_code == 302
    assert response["Location"] == url
    assert client.get(url).status_code == 200


def test_the_confirmation_page_summarises_the_booking_with_the_terms_checkbox(
    client, practitioner, service, customer
):
    client.force_login(customer)

    response = client.get(confirm_url(practitioner, service))

    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    text = soup.get_text(" ").replace("\xa0", " ")
    for expected in (
        "Camille Martin",
        "Première consultation",
        "Mardi 12 janvier 2027",
        "de 09:00 à 10:00",
        "60 min",
        "70 €",
        "Paiement sur place le jour du rendez-vous.",
        "jusqu'à 24 heures avant son début",
        "3 place Bellecour",
    ):
        assert expected in text, expected
    checkbox = soup.find("input", attrs={"name": "accept_terms", "type": "checkbox"})
    assert (
        soup.find("label", attrs={"for": checkbox["id"]}).get_text(strip=True)
        == (WORDINGS["booking"])
    )
    assert soup.find("a", href="/cgu/") and soup.find("a", href="/confidentialite/")
    assert soup.find("button", string="Confirmer le rendez-vous")


def test_booking_records_the_appointment_and_the_acceptances_in_force(
    client, practitioner, service, customer, site_tree
):
    policies_publish(site_tree, customer)
    client.force_login(customer)

    response = client.post(confirm_url(practitioner, service), {"accept_terms": "on"})

    appointment = Appointment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/rendez-vous/confirme/{appointment.reference}/"
    assert appointment.client == customer
    assert appointment.start == FIRST_SLOT_AT
    assert appointment.service_name == "Première consultation"
    acceptances = Acceptance.objects.filter(user=customer, context="booking")
    assert sorted(a.version.kind for a in acceptances) == ["privacy", "terms"]
    assert {a.wording for a in acceptances} == {WORDINGS["booking"]}

    page = client.get(response["Location"])
    soup = assert_valid_accessible_html(page.content)
    assert soup.h1.get_text(strip=True) == "Rendez-vous confirmé"
    assert str(appointment.reference) in soup.get_text()


def test_the_price_comes_from_the_database_not_from_the_form(
    client, practitioner, service, customer
):
    client.force_login(customer)

    client.post(
        confirm_url(practitioner, service),
        {"accept_terms": "on", "price": "1.00", "duration_minutes": "600", "service": "0"},
    )

    appointment = Appointment.objects.get()
    assert appointment.price == Decimal("70.00")
    assert appointment.duration_minutes == 60
    assert appointment.service == service


def test_without_the_checkbox_nothing_is_booked(client, practitioner, service, customer):
    client.force_login(customer)

    response = client.post(confirm_url(practitioner, service), {})

    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    assert soup.select(".error-summary")
    assert not Appointment.objects.exists()
    assert not Acceptance.objects.filter(context="booking").exists()


def test_a_double_submission_books_once_and_shows_the_same_appointment(
    client, practitioner, service, customer
):
    client.force_login(customer)
    url = confirm_url(practitioner, service)

    first = client.post(url, {"accept_terms": "on"})
    second = client.post(url, {"accept_terms": "on"})

    assert Appointment.objects.count() == 1
    assert second.status_code == 303
    assert second["Location"] == first["Location"]
    page = client.get(second["Location"])
    assert "déjà réservé à votre nom" in page.content.decode()


def test_a_slot_taken_meanwhile_is_refused_with_other_slots(
    client, practitioner, service, customer, other_customer, site_tree
):
    policies_publish(site_tree, customer)
    client.force_login(customer)
    url = confirm_url(practitioner, service)
    assert client.get(url).status_code == 200
    book(practitioner, service, other_customer)

    response = client.post(url, {"accept_terms": "on"})

    assert response.status_code == 409
    soup = assert_valid_accessible_html(response.content)
    assert "Ce créneau vient d'être réservé par quelqu'un d'autre." in soup.get_text()
    alternatives = slot_links(soup)
    assert alternatives and url not in alternatives
    assert all(link.startswith(f"/rendez-vous/{practitioner.page_id}/") for link in alternatives)
    assert Appointment.objects.filter(client=customer).count() == 0
    # The acceptance went down with the refused booking.
    assert not Acceptance.objects.filter(user=customer, context="booking").exists()

    # Coming back to the link later says the same.
    assert client.get(url).status_code == 409


BAD_STARTS = [
    "abc",
    "2027-01-12",
    "2027-01-12T08:00:00",  # no time zone
    "2027-02-30T08:00:00Z",
    "9999-12-31T23:59:59-23:00",
    "9999-12-31T23:30:00Z",
    "0001-01-01T00:00:00Z",
    "",
]


@pytest.mark.parametrize("debut", BAD_STARTS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_malformed_start_is_a_400_and_books_nothing(
    client, practitioner, service, customer, debut, method
):
    client.force_login(customer)

    response = getattr(client, method)(
        confirm_url(practitioner, service, debut), {"accept_terms": "on"}
    )

    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    assert not Appointment.objects.exists()


NOT_OFFERED = [
    "2099-01-13T08:00:00Z",  # beyond the horizon
    "1900-01-02T08:00:00Z",  # in the past
    "2027-01-11T13:00:00Z",  # inside the 24 h notice
    "2027-01-12T02:00:00Z",  # 03:00 in Paris, closed
    "2027-01-12T08:10:00Z",  # not on the 30 min step
    "2027-01-12T10:30:00Z",  # 11:30-12:30 overruns the morning range
    "2027-01-17T09:00:00Z",  # Sunday
]


@pytest.mark.parametrize("debut", NOT_OFFERED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_time_the_rules_do_not_offer_is_a_400_and_books_nothing(
    client, practitioner, service, customer, site_tree, debut, method
):
    policies_publish(site_tree, customer)
    client.force_login(customer)

    response = getattr(client, method)(
        confirm_url(practitioner, service, debut), {"accept_terms": "on"}
    )

    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    assert not Appointment.objects.exists()
    assert not Acceptance.objects.filter(context="booking").exists()


def test_a_start_with_an_offset_is_the_same_instant(client, practitioner, service, customer):
    client.force_login(customer)

    client.post(
        confirm_url(practitioner, service, "2027-01-12T09:00:00%2B01:00"), {"accept_terms": "on"}
    )

    assert Appointment.objects.get().start == FIRST_SLOT_AT


def test_only_the_client_sees_the_confirmation_page(
    client, practitioner, service, customer, other_customer
):
    appointment = book(practitioner, service, customer)
    url = f"/rendez-vous/confirme/{appointment.reference}/"

    assert client.get(url).status_code == 302  # to the login
    client.force_login(other_customer)
    assert client.get(url).status_code == 404
    assert client.get("/rendez-vous/confirme/pas-une-reference/").status_code == 404
    client.force_login(customer)
    assert client.get(url).status_code == 200
