"""A first-time client: slot held, sign-up, verification link in the same browser, signed in on
the confirm step of the held slot, booked; the ledger holds one acceptance per document."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from booking.models import Appointment
from compliance.models import Acceptance
from tests.booking.client_helpers import FIRST_SLOT_AT, PASSWORD, hold
from tests.factories import policies_publish

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture(autouse=True)
def counters():
    cache.clear()  # hold and login counters live in the cache
    yield
    cache.clear()


def sign_up(client, signup_url, capture):
    with capture(execute=True):
        response = client.post(
            signup_url,
            {
                "email": "lou@example.com",
                "first_name": "Lou",
                "last_name": "Bernard",
                "password1": PASSWORD + " longue",
                "password2": PASSWORD + " longue",
                "accept_terms": "on",
                "next": parse_qs(urlsplit(signup_url).query)["next"][0],
            },
        )
    assert response.status_code == 302
    return re.search(r"https?://[^/\s]+(/compte/verification/\S+)", mail.outbox[-1].body).group(1)


def test_the_verification_link_signs_in_on_the_confirm_step_of_the_held_slot(
    client, practitioner, service, site_tree, django_capture_on_commit_callbacks
):
    policies_publish(site_tree)
    signup_url = hold(client, practitioner, service)["Location"]
    held = Appointment.objects.get()
    confirm = f"/rendez-vous/retenu/{held.reference}/"
    link = sign_up(client, signup_url, django_capture_on_commit_callbacks)
    assert client.get(link).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)

    assert response.status_code == 303 and response["Location"] == confirm
    page = client.get(confirm)
    assert page.status_code == 200
    assert b'name="accept_terms"' not in page.content  # accepted at sign-up, a minute ago
    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post(confirm, {})
    assert booked.status_code == 303
    user = User.objects.get(email="lou@example.com")
    appointment = Appointment.objects.get()
    assert appointment.status == "confirmed" and appointment.client == user
    assert appointment.start == FIRST_SLOT_AT
    acceptances = Acceptance.objects.filter(user=user)
    assert acceptances.count() == 2  # one per document
    assert set(appointment.accepted_versions.all()) == {a.version for a in acceptances}


def test_in_another_browser_the_link_asks_to_log_in_on_the_way_to_the_slot(
    client, practitioner, service, site_tree, django_capture_on_commit_callbacks
):
    policies_publish(site_tree)
    signup_url = hold(client, practitioner, service)["Location"]
    link = sign_up(client, signup_url, django_capture_on_commit_callbacks)

    other = Client()
    done = other.post(link)

    assert done.status_code == 200 and "_auth_user_id" not in other.session
    held = Appointment.objects.get()
    login = BeautifulSoup(done.content, "html.parser").find(
        "a", href=re.compile(r"^/compte/connexion/\?")
    )
    assert parse_qs(urlsplit(login["href"]).query)["next"] == [
        f"/rendez-vous/retenu/{held.reference}/"
    ]
    assert held.status == "held"
