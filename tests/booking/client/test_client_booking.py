"""The client's booking pages: service, week of slots, confirmation, confirmed page."""

import re
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from booking.models import Appointment, BlockedRange, DayOff
from compliance.models import Acceptance
from compliance.services import WORDINGS
from tests.booking.client_helpers import (
    FIRST_SLOT,
    FIRST_SLOT_AT,
    PASSWORD,
    book,
    confirm_url,
    hold,
    hold_url,
    week_url,
)
from tests.compliance.conftest import publish
from tests.factories import bookable_practitioner_create, policies_publish, practitioner_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture(autouse=True)
def hold_counters():
    """Every test starts with the per-network hold counters at zero (they live in the cache)."""
    cache.clear()
    yield
    cache.clear()


def slot_values(soup: BeautifulSoup) -> list[str]:
    """The `debut` of each slot button (they post to the hold URL)."""
    return [button["value"] for button in soup.select("button.slot")]


def confirm_step(client, practitioner, service, debut=FIRST_SLOT) -> str:
    """Hold a slot as a signed-in client; the confirm step's URL."""
    response = hold(client, practitioner, service, debut)
    assert response.status_code == 303, response.content
    return response["Location"]


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


# --- 2. Free slots, from today on ----------------------------------------------------------------


def test_slot_page_starts_at_the_first_free_day_with_buttons_that_hold(
    client, practitioner, service
):
    response = client.get(week_url(practitioner, service))

    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    days = [h.get_text(strip=True) for h in soup.select(".week__date")]
    # Monday 11 January is inside the 24 h notice: the page starts on Tuesday, never before.
    assert days[0] == "Mardi 12 janvier" and days[-1] == "Dimanche 17 janvier"
    assert soup.find(id="jour-2027-01-11") is None
    tuesday = soup.find(id="jour-2027-01-12")
    times = [b.contents[0].strip() for b in tuesday.select("button.slot")]
    # 09:00-12:00 and 14:00-18:00 with 60 min appointments every 30 min.
    assert times[:3] == ["09:00", "09:30", "10:00"] and times[-1] == "17:00"
    assert len(times) == 5 + 7
    form = tuesday.find_parent("form")
    assert form["method"] == "post" and form["action"] == hold_url(practitioner, service)
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert tuesday.select_one("button.slot")["value"] == FIRST_SLOT
    assert not soup.find(id="jour-2027-01-17").select("button.slot")
    # The service, its duration, mode and price are on the page.
    intro = soup.select_one(".page-header__intro").get_text(" ").replace("\xa0", " ")
    assert "Première consultation" in intro and "60 min" in intro and "70 €" in intro
    assert str(service.mode_label) in intro


def test_a_get_holds_nothing(client, practitioner, service):
    client.get(week_url(practitioner, service))
    client.get(confirm_url(practitioner, service))

    assert not Appointment.objects.exists()
    assert client.get(hold_url(practitioner, service)).status_code == 405


def test_week_page_hides_slots_already_booked_or_held(client, practitioner, service, customer):
    book(practitioner, service, customer)
    other = Client()
    hold(other, practitioner, service, "2027-01-12T09:00:00Z")

    values = slot_values(
        BeautifulSoup(client.get(week_url(practitioner, service)).content, "html.parser")
    )

    assert FIRST_SLOT not in values and "2027-01-12T09:00:00Z" not in values
    assert "2027-01-12T10:00:00Z" in values


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
    assert soup.find(id="jour-2027-03-08").select("button.slot")
    assert not soup.find(id="jour-2027-03-13").select("button.slot")


def test_a_full_week_opens_on_the_first_free_day_and_a_later_week_jumps_back(
    client, practitioner, service
):
    DayOff.objects.bulk_create(
        DayOff(practitioner=practitioner, date=date(2027, 1, day)) for day in range(11, 18)
    )

    soup = assert_valid_accessible_html(client.get(week_url(practitioner, service)).content)
    assert soup.select(".week__date")[0].get_text(strip=True) == "Lundi 18 janvier"
    assert slot_values(soup)[0] == "2027-01-18T08:00:00Z"

    soup = BeautifulSoup(
        client.get(week_url(practitioner, service, "2027-02-01")).content, "html.parser"
    )
    shortcut = soup.find("a", string=re.compile("Prochaine disponibilité"))
    assert "lundi 18 janvier à 09:00" in shortcut.get_text()
    assert shortcut["href"] == week_url(practitioner, service, "2027-01-18") + "#jour-2027-01-18"


def test_the_first_of_the_month_is_written_1er(client, practitioner, service):
    soup = BeautifulSoup(
        client.get(week_url(practitioner, service, "2027-02-01")).content, "html.parser"
    )

    assert soup.find(id="jour-2027-02-01-titre").get_text(strip=True) == "Lundi 1er février"


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
    assert not soup.find("a", string=re.compile("Prochaine disponibilité"))


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
    assert hold(client, practitioner, foreign).status_code == 404
    assert client.get(f"/rendez-vous/{practitioner.page_id}/999999/").status_code == 404


def test_times_are_shown_in_the_practitioners_time_zone_with_its_name(client, directory):
    practitioner = bookable_practitioner_create(
        directory, title="Hugo Petit", timezone="America/Martinique"
    )
    service = practitioner.page.services.first()

    soup = BeautifulSoup(client.get(week_url(practitioner, service)).content, "html.parser")

    assert "America/Martinique" in soup.get_text()
    first = soup.find(id="jour-2027-01-12").select_one("button.slot")
    # 09:00 in Martinique (UTC-4) is 13:00 UTC.
    assert first.contents[0].strip() == "09:00"
    assert first["value"] == "2027-01-12T13:00:00Z"


def test_times_in_paris_do_not_name_the_zone(client, practitioner, service):
    assert "Europe/Paris" not in client.get(week_url(practitioner, service)).content.decode()


def test_the_former_confirmation_link_shows_the_day_of_that_slot(client, practitioner, service):
    response = client.get(confirm_url(practitioner, service))

    assert response.status_code == 302
    assert (
        response["Location"] == week_url(practitioner, service, "2027-01-11") + "#jour-2027-01-12"
    )


# --- 3. Hold, then confirm ---------------------------------------------------------------------


def test_a_visitor_holds_the_slot_and_is_sent_to_the_sign_up_page_then_back(
    client, practitioner, service, customer, site_tree
):
    policies_publish(site_tree, customer)  # sign-up is open once the documents are in force
    response = hold(client, practitioner, service)

    held = Appointment.objects.get()
    assert held.status == "held" and held.client is None
    assert held.hold_expires_at == timezone.now() + timedelta(minutes=10)
    confirm = f"/rendez-vous/retenu/{held.reference}/"
    assert response.status_code == 303
    assert response["Location"] == f"/compte/inscription/?next={quote(confirm, safe='')}"
    # The sign-up page says what is held, until when, and links to the login with the same next.
    page = client.get(response["Location"])
    text = BeautifulSoup(page.content, "html.parser").get_text(" ")
    assert "Pour réserver mardi 12 janvier à 09:00 avec Camille Martin" in text
    assert "créneau réservé pour vous jusqu'à 08:10" in text
    login = f"/compte/connexion/?next={quote(confirm, safe='')}"
    assert "Pour réserver mardi 12 janvier" in client.get(login).content.decode()

    response = client.post(login, {"email": customer.email, "password": PASSWORD, "next": confirm})

    assert response["Location"] == confirm
    assert client.get(confirm).status_code == 200


def test_the_confirm_step_is_only_this_browsers(client, practitioner, service, customer):
    client.force_login(customer)
    confirm = confirm_step(client, practitioner, service)

    other = Client()
    other.force_login(customer)  # the same account in another browser
    assert other.get(confirm).status_code == 404
    assert other.post(confirm, {"accept_terms": "on"}).status_code == 404
    assert Appointment.objects.get().status == "held"
    assert client.get("/rendez-vous/retenu/pas-une-reference/").status_code == 404


def test_a_returning_client_books_in_two_steps_without_the_consent_box(
    client, practitioner, service, customer, site_tree
):
    policies_publish(site_tree, customer)
    client.force_login(customer)

    confirm = confirm_step(client, practitioner, service)
    page = client.get(confirm)

    soup = assert_valid_accessible_html(page.content)
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
        "Créneau réservé pour vous jusqu'à 08:10.",
    ):
        assert expected in text, expected
    assert soup.find("input", attrs={"name": "accept_terms"}) is None
    assert soup.find("button", string="Confirmer le rendez-vous")

    response = client.post(confirm, {})

    appointment = Appointment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/rendez-vous/confirme/{appointment.reference}/"
    assert appointment.status == "confirmed" and appointment.client == customer
    assert appointment.start == FIRST_SLOT_AT and appointment.hold_key == ""
    assert Acceptance.objects.filter(user=customer).count() == 2  # the sign-up's, no more
    assert set(appointment.accepted_versions.all()) == {
        a.version for a in Acceptance.objects.filter(user=customer)
    }


def test_the_confirm_step_asks_only_for_the_documents_not_accepted(
    client, practitioner, service, customer, site_tree
):
    policies_publish(site_tree, customer)
    # A minor new privacy version: it does not gate the client, the booking asks for it.
    privacy_v2 = publish(site_tree["privacy"], body="<p>Version 2.</p>")
    client.force_login(customer)
    confirm = confirm_step(client, practitioner, service)

    soup = assert_valid_accessible_html(client.get(confirm).content)
    checkbox = soup.find("input", attrs={"name": "accept_terms", "type": "checkbox"})
    assert (
        soup.find("label", attrs={"for": checkbox["id"]}).get_text(strip=True)
        == (WORDINGS["booking"])
    )
    documents = soup.select_one(".account-form__documents")
    assert [a["href"] for a in documents.find_all("a")] == ["/confidentialite/"]

    # Without the checkbox: nothing booked, nothing accepted, the hold is kept.
    response = client.post(confirm, {})
    assert response.status_code == 400
    assert assert_valid_accessible_html(response.content).select(".error-summary")
    assert Appointment.objects.get().status == "held"
    assert not Acceptance.objects.filter(user=customer, context="booking").exists()

    client.post(confirm, {"accept_terms": "on"})
    [acceptance] = Acceptance.objects.filter(user=customer, context="booking")
    assert acceptance.version == privacy_v2 and acceptance.wording == WORDINGS["booking"]
    appointment = Appointment.objects.get(status="confirmed")
    assert privacy_v2 in appointment.accepted_versions.all()
    assert appointment.accepted_versions.count() == 2

    # A second booking: nothing left to accept, no duplicate row.
    second = confirm_step(client, practitioner, service, "2027-01-12T10:00:00Z")
    soup = BeautifulSoup(client.get(second).content, "html.parser")
    assert soup.find("input", attrs={"name": "accept_terms"}) is None
    client.post(second, {})
    assert Appointment.objects.filter(client=customer, status="confirmed").count() == 2
    assert Acceptance.objects.filter(user=customer).count() == 3


def test_the_price_comes_from_the_database_not_from_the_form(
    client, practitioner, service, customer
):
    client.force_login(customer)
    confirm = confirm_step(client, practitioner, service)

    client.post(confirm, {"price": "1.00", "duration_minutes": "600", "service": "0"})

    appointment = Appointment.objects.get()
    assert appointment.price == Decimal("70.00")
    assert appointment.duration_minutes == 60
    assert appointment.service == service


def test_a_double_submission_books_once_and_shows_the_same_appointment(
    client, practitioner, service, customer
):
    client.force_login(customer)
    confirm = confirm_step(client, practitioner, service)

    first = client.post(confirm, {})
    second = client.post(confirm, {})

    assert Appointment.objects.count() == 1
    assert second.status_code == 303
    assert second["Location"] == first["Location"]
    page = client.get(second["Location"])
    assert "déjà réservé à votre nom" in page.content.decode()


def test_holding_again_replaces_the_browsers_previous_hold(client, practitioner, service, customer):
    client.force_login(customer)
    confirm_step(client, practitioner, service)
    confirm_step(client, practitioner, service, "2027-01-12T10:00:00Z")

    [held] = Appointment.objects.all()
    assert held.start.isoformat() == "2027-01-12T10:00:00+00:00"


def test_a_held_slot_is_refused_to_another_browser_with_other_slots(
    client, practitioner, service, customer, other_customer
):
    client.force_login(customer)
    confirm_step(client, practitioner, service)
    other = Client()
    other.force_login(other_customer)

    response = hold(other, practitioner, service)

    assert response.status_code == 409
    soup = assert_valid_accessible_html(response.content)
    assert "Ce créneau vient d'être réservé par quelqu'un d'autre." in soup.get_text()
    alternatives = slot_values(soup)
    assert alternatives and FIRST_SLOT not in alternatives
    assert soup.select_one("button.slot").find_parent("form")["action"] == hold_url(
        practitioner, service
    )


def test_an_expired_hold_still_free_is_held_again_on_the_confirm_step(
    client, practitioner, service, customer, frozen_clock
):
    client.force_login(customer)
    confirm = confirm_step(client, practitioner, service)
    frozen_clock.shift(timedelta(minutes=11))

    page = client.get(confirm)

    assert page.status_code == 200
    held = Appointment.objects.get()
    assert held.hold_expires_at == timezone.now() + timedelta(minutes=10)
    assert "Créneau réservé pour vous jusqu'à 08:21." in page.content.decode()
    assert client.post(confirm, {}).status_code == 303
    assert Appointment.objects.get().status == "confirmed"


def test_an_expired_hold_taken_meanwhile_offers_the_nearest_alternatives(
    client, practitioner, service, customer, other_customer, frozen_clock
):
    client.force_login(customer)
    confirm = confirm_step(client, practitioner, service)
    frozen_clock.shift(timedelta(minutes=11))
    book(practitioner, service, other_customer)  # removes the expired hold in its way

    for response in (client.get(confirm), client.post(confirm, {})):
        assert response.status_code == 409
        soup = assert_valid_accessible_html(response.content)
        assert slot_values(soup) and FIRST_SLOT not in slot_values(soup)
    assert not Appointment.objects.filter(client=customer).exists()


def test_the_login_page_says_when_the_slot_is_no_longer_held(
    client, practitioner, service, frozen_clock
):
    hold(client, practitioner, service)
    frozen_clock.shift(timedelta(minutes=11))

    login = BeautifulSoup(client.get("/compte/connexion/").content, "html.parser")

    text = login.get_text(" ")
    assert "Pour réserver mardi 12 janvier à 09:00 avec Camille Martin" in text
    assert "le créneau n'est plus retenu" in text


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
def test_a_malformed_start_is_a_400_and_holds_nothing(client, practitioner, service, debut):
    response = hold(client, practitioner, service, debut)

    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    assert client.get(confirm_url(practitioner, service, debut)).status_code in (302, 400)
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
def test_a_time_the_rules_do_not_offer_is_a_400_and_holds_nothing(
    client, practitioner, service, customer, debut
):
    client.force_login(customer)

    response = hold(client, practitioner, service, debut)

    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    assert not Appointment.objects.exists()


def test_a_start_with_an_offset_is_the_same_instant(client, practitioner, service, customer):
    client.force_login(customer)

    client.post(confirm_step(client, practitioner, service, "2027-01-12T09:00:00+01:00"), {})

    assert Appointment.objects.get().start == FIRST_SLOT_AT


def test_holds_from_one_network_are_capped_with_a_clear_429(
    client, practitioner, service, monkeypatch
):
    monkeypatch.setattr("booking.services.holds.MAX_HOLDS_PER_NETWORK", 2)
    assert hold(client, practitioner, service).status_code == 303
    assert hold(Client(), practitioner, service, "2027-01-12T10:00:00Z").status_code == 303

    response = hold(Client(), practitioner, service, "2027-01-12T11:00:00Z")

    assert response.status_code == 429
    assert "Réessayez dans une heure" in assert_valid_accessible_html(response.content).get_text()
    assert Appointment.objects.count() == 2


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
