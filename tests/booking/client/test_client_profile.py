"""The booking part of a practitioner's profile page: "Réserver" links, each service's next
free slot, the booking box near the top and the sticky "Prendre rendez-vous" bar."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.models import BlockedRange
from booking.selectors import practitioner_next_free_slot
from booking.selectors.offer import services_next_free_slots
from tests.booking.client_helpers import (
    FIRST_SLOT_AT,
    book,
)
from tests.factories import bookable_practitioner_create, client_create, practitioner_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_the_profile_offers_to_book_each_service_and_shows_the_next_free_slot(client, practitioner):
    response = client.get(practitioner.page.url)

    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    book_links = [
        a["href"] for a in soup.find_all("a") if a.get_text(strip=True).startswith("Réserver")
    ]
    services = practitioner.page.services.order_by("sort_order")
    assert book_links == [f"/rendez-vous/{practitioner.page_id}/{s.pk}/" for s in services]
    text = soup.get_text(" ")
    assert "Prochain créneau disponible : mardi 12 janvier à 09:00." in text
    assert "arrive prochainement" not in text
    assert soup.find("a", href=f"/rendez-vous/{practitioner.page_id}/")


def test_the_next_free_slot_skips_booked_time(client, practitioner, service, customer):
    # The shortest service (30 min) decides; book 09:00-10:00 with the 60 min one.
    book(practitioner, service, customer)

    text = BeautifulSoup(client.get(practitioner.page.url).content, "html.parser").get_text()

    assert "Prochain créneau disponible : mardi 12 janvier à 10:00." in text


def test_a_profile_without_online_booking_says_so_and_links_nowhere(client, directory):
    page = practitioner_create(directory, title="Léa Bernard")

    soup = assert_valid_accessible_html(client.get(page.url).content)

    assert not soup.find("a", href=lambda href: href and href.startswith("/rendez-vous/"))
    assert "ne prend pas encore de rendez-vous en ligne" in soup.get_text()


def test_a_practitioner_who_stopped_taking_bookings_shows_no_booking_link(client, practitioner):
    practitioner.accepts_bookings = False
    practitioner.save()

    soup = BeautifulSoup(client.get(practitioner.page.url).content, "html.parser")

    assert not soup.find("a", href=lambda href: href and href.startswith("/rendez-vous/"))


def test_a_full_agenda_says_no_slot_is_available(client, practitioner):
    # Closed over the whole horizon (without any opening hours the profile is not bookable).
    now = timezone.now()
    BlockedRange.objects.create(
        practitioner=practitioner,
        start=now,
        end=now + timedelta(days=practitioner.horizon_days + 2),
    )

    text = BeautifulSoup(client.get(practitioner.page.url).content, "html.parser").get_text()

    assert "Aucun créneau disponible pour le moment." in text


def _profile_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_profile_query_count_grows_neither_with_services_nor_appointments(client, directory):
    small = bookable_practitioner_create(directory, title="Un Service")
    large = bookable_practitioner_create(
        directory,
        title="Six Services",
        services=[(f"Séance {n}", 30 + 10 * n, "50.00", "cabinet") for n in range(6)],
    )
    shortest = large.page.services.get(name="Séance 0")
    for n in range(20):
        # Tuesday to Saturday, at 09:00, 10:00, 14:00 and 15:00 in Paris.
        start = FIRST_SLOT_AT + timedelta(days=n // 4, hours=(0, 1, 5, 6)[n % 4])
        book(large, shortest, client_create(email=f"c{n}@example.com"), start=start)
    _profile_queries(client, small.page.url)  # warm the caches (site root paths...)

    assert _profile_queries(client, large.page.url) == _profile_queries(client, small.page.url)


def _next_slots(soup) -> dict[str, str]:
    """{service name: its "Prochain créneau" line} as the profile shows them."""
    return {
        item.find("h3").get_text(strip=True): " ".join(
            item.find(class_="service__next").get_text().split()
        )
        for item in soup.select("li.service")
    }


@pytest.fixture
def short_and_long(directory):
    return bookable_practitioner_create(
        directory,
        title="Deux Durées",
        services=[
            ("Séance courte", 30, "40.00", "cabinet"),
            ("Séance longue", 120, "120.00", "cabinet"),
        ],
    )


def test_each_service_shows_its_own_next_free_slot(client, short_and_long, customer):
    practitioner = short_and_long
    short = practitioner.page.services.get(name="Séance courte")
    # 10:00-10:30 taken on Tuesday: the morning (09:00-12:00) still has 30 minutes at 09:00,
    # but no two hours in a row; the long service's first slot is 14:00.
    book(practitioner, short, customer, start=FIRST_SLOT_AT + timedelta(hours=1))

    soup = assert_valid_accessible_html(client.get(practitioner.page.url).content)

    assert _next_slots(soup) == {
        "Séance courte": "Prochain créneau : mardi 12 janvier à 09:00",
        "Séance longue": "Prochain créneau : mardi 12 janvier à 14:00",
    }


def test_the_profile_and_the_slot_pages_agree_on_every_services_next_slot(short_and_long, customer):
    practitioner = short_and_long
    short = practitioner.page.services.get(name="Séance courte")
    long = practitioner.page.services.get(name="Séance longue")
    services = [short, long]
    # Tuesday 09:00-11:00, 14:00, 16:00-18:00 and Wednesday 10:00 taken (Paris).
    for service, hours in ((long, 0), (short, 5), (long, 7), (short, 25)):
        book(practitioner, service, customer, start=FIRST_SLOT_AT + timedelta(hours=hours))

    offered = services_next_free_slots(practitioner=practitioner, services=services)

    for service in services:
        assert offered[service.pk] == practitioner_next_free_slot(
            practitioner=practitioner, service=service
        )
    local = {pk: slot.start.astimezone(practitioner.tz) for pk, slot in offered.items()}
    assert local[short.pk].strftime("%a %H:%M") == "Tue 11:00"
    assert local[long.pk].strftime("%a %H:%M") == "Wed 14:00"


def test_a_service_longer_than_any_opening_says_it_has_no_slot(client, directory):
    practitioner = bookable_practitioner_create(
        directory,
        services=[("Séance", 60, "50.00", "cabinet"), ("Journée", 300, "300.00", "cabinet")],
    )

    soup = BeautifulSoup(client.get(practitioner.page.url).content, "html.parser")

    assert _next_slots(soup) == {
        "Séance": "Prochain créneau : mardi 12 janvier à 09:00",
        "Journée": "Pas de créneau en ligne pour le moment",
    }


def test_the_booking_box_comes_before_the_biography(client, practitioner):
    html = client.get(practitioner.page.url).content.decode()

    first_book = html.index(f'href="/rendez-vous/{practitioner.page_id}/')
    assert first_book < html.index('id="profile-biography"')
    assert html.index('id="prendre-rendez-vous"') < html.index('id="profile-biography"')


def test_the_sticky_bar_leads_to_the_services_when_there_are_several(client, practitioner):
    soup = assert_valid_accessible_html(client.get(practitioner.page.url).content)

    (bar,) = soup.select(".booking-bar a")
    assert bar.get_text(strip=True) == "Prendre rendez-vous"
    assert bar["href"] == "#prendre-rendez-vous"
    assert soup.find(id="prendre-rendez-vous").find(
        "a", href=f"/rendez-vous/{practitioner.page_id}/{practitioner.page.services.first().pk}/"
    )


def test_the_sticky_bar_goes_straight_to_the_slots_of_the_only_service(client, directory):
    practitioner = bookable_practitioner_create(directory, title="Un Service")
    (service,) = practitioner.page.services.all()

    soup = BeautifulSoup(client.get(practitioner.page.url).content, "html.parser")

    (bar,) = soup.select(".booking-bar a")
    assert bar["href"] == f"/rendez-vous/{practitioner.page_id}/{service.pk}/"


def test_no_sticky_bar_without_online_booking(client, directory):
    page = practitioner_create(directory, title="Léa Bernard")

    soup = BeautifulSoup(client.get(page.url).content, "html.parser")

    assert not soup.select(".booking-bar")


def test_the_bar_sticks_to_the_bottom_on_a_phone_without_javascript(client, practitioner):
    soup = BeautifulSoup(client.get(practitioner.page.url).content, "html.parser")
    stylesheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert "/static/css/profile.css" in stylesheets

    css = Path(finders.find("css/profile.css")).read_text()
    bar_rule = re.search(r"\.booking-bar \{([^}]*)\}", css).group(1)
    assert "position: sticky;" in bar_rule and "bottom: 0;" in bar_rule
    # Gone where the side panel shows the button (wide screens), kept on a phone.
    assert re.search(r"@media \(min-width: 56em\) \{\s*\.booking-bar \{\s*display: none;", css)
