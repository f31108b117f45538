"""The login's second step: after the password, the code, for accounts that turned it on."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import SecurityEvent
from core.second_factor import PENDING_LOGIN_SESSION_KEY
from tests.html import assert_valid_accessible_html
from tests.twofactor.helpers import totp_code, totp_device_create
from twofactor.services import backup_codes_regenerate

pytestmark = pytest.mark.django_db

PASSWORD = "phrase-de-passe-du-client"
VERIFY_URL = "/compte/securite/verification/"


@pytest.fixture
def user(site_tree):
    return get_user_model().objects.create_user(
        "lea@example.com", PASSWORD, first_name="Léa", last_name="Durand"
    )


def _password_step(client, user, next_url=""):
    """What the login view leaves after a right password (see accounts.views.login_view)."""
    session = client.session
    session[PENDING_LOGIN_SESSION_KEY] = {
        "user_id": user.pk,
        "remember": False,
        "next": next_url,
        "started": int(time.time()),
        "failures": 0,
    }
    session.save()


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_sign_in_then_enrol_then_sign_in_again_with_the_code(client, user, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    login = {"email": user.email, "password": PASSWORD}
    response = client.post("/compte/connexion/", login)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session

    client.get("/compte/securite/application/ajouter/")
    device = user.totpdevice_set.get()
    assert (
        client.post(
            "/compte/securite/application/ajouter/", {"code": totp_code(device)}
        ).status_code
        == 302
    )
    client.post("/compte/deconnexion/")
    assert "_auth_user_id" not in client.session

    response = client.post("/compte/connexion/", login)
    assert response.status_code == 302
    assert response["Location"] == VERIFY_URL
    assert "_auth_user_id" not in client.session  # the password alone opened nothing
    page = client.get(VERIFY_URL)
    assert_valid_accessible_html(page.content)

    device.refresh_from_db()
    # The enrolment code was accepted a moment ago: the phone shows the next one 30 s later.
    time_machine.shift(timedelta(seconds=30))
    response = client.post(VERIFY_URL, {"code": totp_code(device)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_code_is_refused_the_second_time_it_is_used(client, user):
    device = totp_device_create(user)
    code = totp_code(device)
    _password_step(client, user)
    assert client.post(VERIFY_URL, {"code": code}).status_code == 302
    client.logout()

    _password_step(client, user)
    response = client.post(VERIFY_URL, {"code": code})
    assert response.status_code == 200
    assert "déjà servi" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_backup_code_completes_the_login(client, user):
    totp_device_create(user)
    code = backup_codes_regenerate(user=user)[3]
    _password_step(client, user, next_url="/compte/securite/")
    response = client.post(VERIFY_URL, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/compte/securite/"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_codes_slow_down_and_are_logged(client, user, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    device = totp_device_create(user)
    _password_step(client, user)
    for _ in range(2):
        response = client.post(VERIFY_URL, {"code": _wrong(totp_code(device))})
        assert response.status_code == 200
        assert_valid_accessible_html(response.content)
    assert SecurityEvent.objects.filter(user=user, kind="otp_failed").count() == 2

    # Two failures: even the right code waits two seconds.
    response = client.post(VERIFY_URL, {"code": totp_code(device)})
    assert "patientez" in response.content.decode()
    assert "_auth_user_id" not in client.session

    time_machine.shift(timedelta(seconds=30))
    assert client.post(VERIFY_URL, {"code": totp_code(device)}).status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_five_wrong_codes_send_back_to_the_password(client, user, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    device = totp_device_create(user)
    _password_step(client, user)
    for _attempt in range(5):
        time_machine.shift(timedelta(seconds=60))
        response = client.post(VERIFY_URL, {"code": _wrong(totp_code(device))})
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    assert PENDING_LOGIN_SESSION_KEY not in client.session
    # And the right code no longer helps without the password.
    time_machine.shift(timedelta(seconds=60))
    response = client.post(VERIFY_URL, {"code": totp_code(device)})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_abandoned_second_step_expires(client, user, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    device = totp_device_create(user)
    _password_step(client, user)
    time_machine.shift(timedelta(minutes=6))
    response = client.post(VERIFY_URL, {"code": totp_code(device)})
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    assert "_auth_user_id" not in client.session


def test_the_second_step_without_a_password_step_sends_to_the_login(client):
    response = client.get(VERIFY_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_a_foreign_next_address_is_ignored(client, user):
    device = totp_device_create(user)
    _password_step(client, user, next_url="https://evil.example/")
    response = client.post(VERIFY_URL, {"code": totp_code(device)})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
