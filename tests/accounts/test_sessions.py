"""Session timeouts, no-store for signed-in pages, password change and reset end other sessions."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import SecurityEvent
from tests.accounts.conftest import PASSWORD, link_in, login_post
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un tout nouveau mot de passe"


def signed_in(client) -> bool:
    return client.get("/compte/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/praticiens/", "/compte/", "/compte/profil/", "/cgu/"])
def test_every_page_seen_signed_in_is_not_stored_by_caches(path, client, member):
    login_post(client, "camille@example.com")
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_login_response_itself_is_not_stored(client, member):
    response = login_post(client, "camille@example.com")
    assert "no-store" in response["Cache-Control"]


def test_anonymous_pages_are_left_cacheable(client, policies):
    response = client.get("/praticiens/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_two_idle_hours_end_the_session(client, member):
    start = timezone.now()
    with time_machine.travel(start):
        login_post(client, "camille@example.com")
    with time_machine.travel(start + dt.timedelta(hours=1, minutes=59)):
        assert signed_in(client)
    with time_machine.travel(start + dt.timedelta(hours=3, minutes=57)):
        assert signed_in(client)  # less than two hours since the last request
    with time_machine.travel(start + dt.timedelta(hours=6)):
        response = client.get("/compte/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    assert "_auth_user_id" not in client.session


def test_twelve_hours_after_login_the_session_ends_however_active(client, member):
    start = timezone.now()
    with time_machine.travel(start):
        login_post(client, "camille@example.com")
    for hour in range(1, 12):
        with time_machine.travel(start + dt.timedelta(hours=hour)):
            assert signed_in(client)
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=1)):
        assert not signed_in(client)


def test_a_remembered_session_survives_idle_hours_but_not_thirty_days(client, member):
    start = timezone.now()
    with time_machine.travel(start):
        login_post(client, "camille@example.com", remember="on")
    with time_machine.travel(start + dt.timedelta(days=3)):
        assert signed_in(client)
    with time_machine.travel(start + dt.timedelta(days=30, minutes=1)):
        assert not signed_in(client)


def test_password_change_keeps_this_session_and_ends_the_others(
    member, django_capture_on_commit_callbacks
):
    here, elsewhere = Client(), Client()
    login_post(here, "camille@example.com")
    login_post(elsewhere, "camille@example.com")
    assert signed_in(here) and signed_in(elsewhere)

    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(
            "/compte/mot-de-passe/",
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )

    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere)
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert SecurityEvent.objects.filter(user=member, kind="password_changed").exists()
    (message,) = mail.outbox
    assert message.to == ["camille@example.com"] and "modifié" in message.subject


def test_password_change_page_and_errors_are_accessible(client, member):
    login_post(client, "camille@example.com")
    page = client.get("/compte/mot-de-passe/")
    soup = assert_valid_accessible_html(page.content)
    assert soup.find("input", {"name": "old_password"})["autocomplete"] == "current-password"
    assert soup.find("input", {"name": "new_password1"})["autocomplete"] == "new-password"

    response = client.post(
        "/compte/mot-de-passe/",
        {"old_password": "wrong", "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert_valid_accessible_html(response.content)
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    assert client.get("/compte/mot-de-passe/modifie/").status_code == 200


def test_password_reset_ends_every_session(client, member, django_capture_on_commit_callbacks):
    other = Client()
    login_post(other, "camille@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/mot-de-passe/oubli/", {"email": "camille@example.com"})
    confirm = client.get(link_in(mail.outbox[0].body, "/compte/reinitialisation/"))
    client.post(confirm["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert not signed_in(other)
