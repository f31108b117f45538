"""A client (an account without admin access) who opens /admin/ is refused plainly, in French.

Sending them into the admin's two-factor enrolment, as for staff, would ask them to secure a
place they may not enter.
"""

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import otp_login
from tests.staff.test_admin_two_factor import ALLOWED, admin_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(db):
    return get_user_model().objects.create_user(
        "cliente@example.com", "phrase-de-passe-cliente", first_name="Claire"
    )


def test_a_client_signed_in_with_a_password_is_refused_not_sent_to_enrolment(client, customer):
    client.force_login(customer)
    response = client.get("/admin/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Administration réservée" in page
    assert 'lang="fr"' in page
    assert "/compte/" in page  # where their own things are
    assert not TOTPDevice.objects.filter(user=customer).exists()
    assert "_auth_user_id" in client.session  # still signed in on the site


def test_every_admin_url_refuses_a_client_with_a_plain_page(client, customer):
    client.force_login(customer)
    not_refused = []
    for path, name in admin_paths():
        if name in ALLOWED:
            continue
        response = client.get(path)
        if response.status_code != 403 or b"Administration r" not in response.content:
            not_refused.append(f"{path} {response.status_code}")
    assert not_refused == []


def test_a_client_with_two_factor_enabled_is_refused_the_same_way(client, customer):
    otp_login(client, customer)  # clients may protect their own account with a second factor
    for path in ["/admin/", "/admin/pages/", "/admin/api/main/pages/", "/admin/images/"]:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Administration réservée" in response.content.decode(), path


def test_a_posted_admin_form_from_a_client_is_refused(client, customer, site_tree):
    client.force_login(customer)
    home = site_tree["home"]
    response = client.post(f"/admin/pages/{home.pk}/delete/")
    assert response.status_code == 403
    home.refresh_from_db()
    assert home.live


def test_the_refusal_page_offers_to_sign_out(client, customer):
    # Wagtail's own admin logout is closed to accounts without admin access: the site's is not.
    from django.urls import reverse

    client.force_login(customer)
    page = client.get("/admin/").content.decode()
    assert f'action="{reverse("accounts:logout")}"' in page
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_the_refusal_page_is_in_english_for_an_english_visitor(client, customer):
    client.force_login(customer)
    client.cookies["django_language"] = "en"
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "reserved for the editorial team" in response.content.decode()
