"""Who may enter the practitioner area: a practitioner with a session verified by two factors."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from booking.models import Practitioner
from staff.services import practitioner_account_link
from tests.booking.practitioner_helpers import practitioner_user_create, signed_in_practitioner
from tests.factories import (
    bookable_practitioner_create,
    client_create,
    otp_login,
    practitioner_create,
)
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

AREA_PAGES = [
    "practitioner:agenda",
    "practitioner:blocked_ranges",
    "practitioner:hours",
    "practitioner:rules",
    "practitioner:clients",
    "practitioner:client_record_add",
]
AREA_POSTS = [
    ("practitioner:blocked_ranges", {}),
    ("practitioner:blocked_range_remove", {"pk": 1}),
    ("practitioner:rules", {}),
    ("practitioner:calendar_token_regenerate", {}),
    ("practitioner:opening_hours_save", {}),
    ("practitioner:day_off_add", {}),
    ("practitioner:day_off_remove", {"pk": 1}),
    ("practitioner:special_hours_add", {}),
    ("practitioner:special_hours_remove", {"pk": 1}),
    ("practitioner:opening_hours_copy", {}),
    ("practitioner:client_record_add", {}),
    ("practitioner:client_record", {"pk": 1}),
    ("practitioner:client_record_edit", {"pk": 1}),
    ("practitioner:client_account", {"pk": 1}),
]


@pytest.mark.parametrize("name", AREA_PAGES)
def test_anonymous_visitor_is_sent_to_the_login_page(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("name", AREA_PAGES)
def test_a_client_without_practitioner_account_gets_403(client, name):
    client.force_login(client_create())
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), AREA_POSTS)
def test_a_client_cannot_post_to_the_area_and_nothing_changes(client, directory, name, kwargs):
    practitioner = bookable_practitioner_create(directory)
    token = practitioner.calendar_token
    user = client_create()
    otp_login(client, user)  # even with two factors: not a practitioner
    response = client.post(reverse(name, kwargs=kwargs), {"timezone": "UTC"})
    assert response.status_code == 403
    practitioner.refresh_from_db()
    assert practitioner.calendar_token == token
    assert practitioner.timezone == "Europe/Paris"


def test_practitioner_without_second_factor_is_sent_to_enrol_one(client, directory):
    practitioner = bookable_practitioner_create(directory)
    user = practitioner_user_create(practitioner, "camille@praticien.example")
    client.force_login(user)  # password only, no device
    response = client.get(reverse("practitioner:agenda") + "?jour=2027-03-01")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor:totp_add"))
    assert "jour%3D2027-03-01" in response["Location"]


def test_enrolled_practitioner_with_password_only_session_is_signed_out_to_give_the_code(
    client, directory
):
    practitioner = bookable_practitioner_create(directory)
    user = practitioner_user_create(practitioner, "camille@praticien.example")
    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    client.force_login(user)
    response = client.get(reverse("practitioner:rules"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_practitioner_with_verified_session_is_served_every_page(client, directory):
    signed_in_practitioner(client, directory)
    for name in AREA_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_valid_accessible_html(response.content)
        assert response["Cache-Control"].startswith("max-age=0")


def test_area_of_a_page_not_open_for_booking_says_so_and_writes_nothing(client, directory):
    page = practitioner_create(directory, title="Sans Réservation")
    account_user = client_create(email="sans@praticien.example")
    practitioner_account_link(user=account_user, page=page)
    otp_login(client, account_user)

    for name in AREA_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        soup = assert_valid_accessible_html(response.content)
        assert "pas encore ouvert" in soup.h1.get_text()
    # A POST neither creates the booking side: it is refused with the same explanation.
    response = client.post(reverse("practitioner:rules"), {"timezone": "Europe/Paris"})
    assert response.status_code == 409
    assert not Practitioner.objects.filter(page=page).exists()


def test_header_links_to_the_area_for_practitioners_only(client, directory, site_tree):
    signed_in_practitioner(client, directory)
    home = client.get("/")
    assert reverse("practitioner:agenda").encode() in home.content

    client.logout()
    client.force_login(client_create())
    assert reverse("practitioner:agenda").encode() not in client.get("/").content


def test_the_refusal_is_the_site_403_page(client):
    client.force_login(client_create())
    response = client.get(reverse("practitioner:agenda"))
    assert response.status_code == 403
    soup = assert_valid_accessible_html(response.content)
    assert "Accès refusé" in soup.h1.get_text()
