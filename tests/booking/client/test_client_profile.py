"""The booking part of a practitioner's profile page: "Réserver" links and the next free slot."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.models import BlockedRange
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
