"""Turning two-factor authentication on and off from the account's security page."""

from base64 import b32encode

import pytest
from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from emails.models import OutgoingEmail
from tests.html import assert_valid_accessible_html
from tests.twofactor.helpers import totp_code, totp_device_create
from twofactor.services import CodeRefused, backup_codes_regenerate, code_verify

pytestmark = pytest.mark.django_db

PASSWORD = "phrase-de-passe-du-client"
ADD_URL = "/compte/securite/application/ajouter/"


@pytest.fixture
def user(site_tree):
    return get_user_model().objects.create_user(
        "lea@example.com", PASSWORD, first_name="Léa", last_name="Durand"
    )


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def _enrol(client, user) -> list[str]:
    client.get(ADD_URL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ADD_URL, {"code": totp_code(device)})
    assert response.status_code == 302
    page = client.get(response["Location"])
    return [code.get_text() for code in assert_valid_accessible_html(page.content).select("code")]


def test_the_security_pages_need_an_account(client):
    for url in ["/compte/securite/", ADD_URL, "/compte/securite/codes-de-secours/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/")


def test_enrolment_shows_a_qr_code_made_here_and_the_secret_for_manual_entry(signed_in, user):
    response = signed_in.get(ADD_URL)
    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)

    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed  # nothing is on until a first code proves the phone has it
    svg = soup.find("svg")
    assert svg["role"] == "img" and svg["aria-label"]
    assert svg.find("path")
    secret = b32encode(device.bin_key).decode()
    assert soup.select_one(".twofactor-secret").get_text().replace(" ", "") == secret
    # No third-party QR service, no remote image.
    assert not soup.find("img", src=lambda src: src and src.startswith("http"))
    assert response["Cache-Control"].count("no-store") == 1

    # Reloading shows the same secret: the phone may already have scanned it.
    assert secret in signed_in.get(ADD_URL).content.decode().replace(" ", "")
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_wrong_first_code_leaves_two_factor_off(signed_in, user):
    signed_in.get(ADD_URL)
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = signed_in.post(ADD_URL, {"code": wrong})
    assert response.status_code == 200
    assert_valid_accessible_html(response.content)
    assert "pas valide" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_confirming_turns_two_factor_on_and_shows_ten_backup_codes_once(signed_in, user):
    codes = _enrol(signed_in, user)

    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=user).confirmed
    assert StaticToken.objects.filter(device__user=user).count() == 10
    # This session proved the second factor by typing the first code.
    assert signed_in.session[DEVICE_ID_SESSION_KEY]
    # Shown once: coming back shows the count, not the codes.
    again = signed_in.get("/compte/securite/codes-de-secours/").content.decode()
    assert codes[0] not in again
    assert "10 codes de secours" in again

    email = OutgoingEmail.objects.get(template="twofactor/enrolled")
    assert email.to == [user.email]
    assert "double authentification a été activée" in email.body_text


def test_a_backup_code_works_once(user):
    totp_device_create(user)
    code = backup_codes_regenerate(user=user)[0]
    assert isinstance(code_verify(user=user, code=code.upper()[:4] + "-" + code[4:]), StaticDevice)
    with pytest.raises(CodeRefused) as refused:
        code_verify(user=user, code=code)
    assert refused.value.code == CodeRefused.INVALID
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_an_authenticator_code_works_once(user, time_machine):
    device = totp_device_create(user)
    code = totp_code(device)
    assert code_verify(user=user, code=code) == device
    with pytest.raises(CodeRefused) as refused:
        code_verify(user=user, code=code)
    assert refused.value.code == CodeRefused.INVALID


def test_a_right_code_right_after_a_wrong_one_is_refused_as_too_fast(user, time_machine):
    time_machine.move_to("2026-03-14 09:30:00+00:00", tick=False)
    device = totp_device_create(user)
    with pytest.raises(CodeRefused) as wrong:
        code_verify(user=user, code="000000" if totp_code(device) != "000000" else "111111")
    assert wrong.value.code == CodeRefused.INVALID

    with pytest.raises(CodeRefused) as too_fast:
        code_verify(user=user, code=totp_code(device))
    assert too_fast.value.code == CodeRefused.THROTTLED
    assert too_fast.value.locked_until is not None


def test_regenerating_backup_codes_replaces_the_old_ones(signed_in, user):
    old = _enrol(signed_in, user)
    response = signed_in.post("/compte/securite/codes-de-secours/regenerer/")
    assert response.status_code == 302
    new = [
        c.get_text()
        for c in assert_valid_accessible_html(signed_in.get(response["Location"]).content).select(
            "code"
        )
    ]
    assert len(new) == 10 and not set(new) & set(old)
    with pytest.raises(CodeRefused) as refused:
        code_verify(user=user, code=old[0])
    assert refused.value.code == CodeRefused.INVALID


def test_the_overview_lists_the_devices(signed_in, user):
    response = signed_in.get("/compte/securite/")
    assert_valid_accessible_html(response.content)
    assert "pas activée" in response.content.decode()
    _enrol(signed_in, user)
    response = signed_in.get("/compte/securite/")
    assert_valid_accessible_html(response.content)
    assert "Retirer" in response.content.decode()


def test_removing_a_device_needs_the_password_or_a_current_code(signed_in, user):
    _enrol(signed_in, user)
    device = TOTPDevice.objects.get(user=user)
    url = f"/compte/securite/application/{device.pk}/supprimer/"
    assert_valid_accessible_html(signed_in.get(url).content)

    response = signed_in.post(url, {"code": "pas-le-bon-mot-de-passe"})
    assert response.status_code == 200
    assert_valid_accessible_html(response.content)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    response = signed_in.post(url, {"code": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    # Without an authenticator the backup codes go too: two-factor is off, not half on.
    assert not StaticDevice.objects.filter(user=user).exists()


def test_another_accounts_device_cannot_be_removed(signed_in, user):
    other = get_user_model().objects.create_user("autre@example.com", PASSWORD)
    device = totp_device_create(other)
    _enrol(signed_in, user)
    response = signed_in.post(
        f"/compte/securite/application/{device.pk}/supprimer/", {"code": PASSWORD}
    )
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_session_opened_without_the_code_cannot_change_an_enrolled_account(client, user):
    device = totp_device_create(user)
    backup_codes_regenerate(user=user)
    client.force_login(user)  # password only, not verified
    assert client.get(ADD_URL).status_code == 403
    assert client.post("/compte/securite/codes-de-secours/regenerer/").status_code == 403
    response = client.post(
        f"/compte/securite/application/{device.pk}/supprimer/", {"code": PASSWORD}
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert StaticToken.objects.filter(device__user=user).count() == 10
