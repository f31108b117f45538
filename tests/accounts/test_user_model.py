"""The e-mail address is the login, and staff can still manage accounts in the Wagtail admin."""

import pytest
from django.contrib.auth import authenticate, get_user_model

pytestmark = pytest.mark.django_db


def test_email_is_the_login_whatever_its_case():
    get_user_model().objects.create_user("Alice@Example.com", "une phrase assez longue")
    assert authenticate(email="alice@example.com", password="une phrase assez longue")
    assert authenticate(email="ALICE@example.COM", password="une phrase assez longue")


def test_two_accounts_cannot_share_an_email():
    from django.db import IntegrityError, transaction

    get_user_model().objects.create_user("bob@example.com", "une phrase assez longue")
    # The unique constraint on the e-mail refuses it (SQLite and PostgreSQL both name it).
    with pytest.raises(IntegrityError, match=r"(?is)unique.*email"), transaction.atomic():
        get_user_model().objects.create_user("Bob@example.com", "une autre phrase longue")


def test_superuser_creates_an_account_in_the_wagtail_admin(client):
    from tests.factories import otp_login

    admin = get_user_model().objects.create_superuser("admin@example.com", "x" * 14)
    otp_login(client, admin)  # the admin refuses sessions without a second factor
    assert client.get("/admin/users/").status_code == 200
    assert client.get("/admin/users/new/").status_code == 200
    response = client.post(
        "/admin/users/new/",
        {
            "email": "nouvelle@example.com",
            "first_name": "Nina",
            "last_name": "Rossi",
            "password1": "une-phrase-longue",
            "password2": "une-phrase-longue",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="nouvelle@example.com").exists()
