"""The private calendar feed: a secret URL, regenerable, with the practitioner's appointments."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from booking.services import appointment_book
from tests.booking.booking_helpers import paris
from tests.factories import bookable_practitioner_create, client_create

pytestmark = pytest.mark.django_db


def feed_url(practitioner) -> str:
    return reverse("practitioner:calendar_feed", kwargs={"token": practitioner.calendar_token})


def book(practitioner, start, email):
    return appointment_book(
        practitioner=practitioner,
        service=practitioner.page.services.first(),
        start=start,
        client=client_create(email=email),
    )


def test_feed_holds_the_practitioners_appointments_only(client, own, directory):
    other = bookable_practitioner_create(directory, title="Dominique Autre")
    mine = book(own, paris(2027, 3, 2, 10), "mine@example.com")
    theirs = book(other, paris(2027, 3, 2, 10), "theirs@example.com")

    client.logout()  # no session needed: the secret URL is the credential
    response = client.get(feed_url(own))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    assert "noindex" in response["X-Robots-Tag"]
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR")
    assert str(mine.reference) in body
    assert str(theirs.reference) not in body
    assert "theirs@example.com" not in body
    assert "DTSTART:20270302T090000Z" in body  # 10:00 in Paris


def test_unknown_token_is_404(client, own):
    assert client.get("/calendrier/pas-le-bon-jeton.ics").status_code == 404
    assert client.get("/calendrier/.ics").status_code == 404


def test_settings_page_shows_the_absolute_secret_url(client, own):
    response = client.get(reverse("practitioner:rules"))
    field = BeautifulSoup(response.content, "html.parser").find(id="adresse-calendrier")
    assert field["value"] == f"http://testserver{feed_url(own)}"
    assert "Google" in response.content.decode() and "Outlook" in response.content.decode()


def test_regenerating_the_address_kills_the_old_one(client, own):
    old_url = feed_url(own)
    response = client.post(reverse("practitioner:calendar_token_regenerate"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert feed_url(own) != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(own)).status_code == 200
    page = client.get(reverse("practitioner:rules")).content.decode()
    assert feed_url(own) in page and old_url not in page


def test_regenerating_needs_a_post(client, own):
    token = own.calendar_token
    assert client.get(reverse("practitioner:calendar_token_regenerate")).status_code == 405
    own.refresh_from_db()
    assert own.calendar_token == token
