"""Two-factor authentication is mandatory in the admin: a password alone never reaches a page."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern
from django_otp import DEVICE_ID_SESSION_KEY

from tests.factories import otp_login
from tests.twofactor.helpers import totp_code, totp_device_create

pytestmark = pytest.mark.django_db

PASSWORD = "phrase-de-passe-administrateur"
# A password-only session may sign in (to type the code) and sign out; nothing else.
ALLOWED = {"wagtailadmin_login", "wagtailadmin_logout"}
ENROL_URL = "/compte/securite/application/ajouter/"


def _sample(pattern) -> str:
    """A concrete path matching one piece of a URL pattern, with dummy values for its arguments."""
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = text.lstrip("^").rstrip("$")
        text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text).replace(r"\.", ".").replace(".*", "x")
        return text
    text = re.sub(r"<int:\w+>", "1", text)
    text = re.sub(r"<uuid:\w+>", str(uuid.UUID(int=1)), text)
    return re.sub(r"<\w+:\w+>|<\w+>", "x", text)


def admin_paths() -> list[tuple[str, str]]:
    """Every URL pattern under /admin/ (Wagtail's, the API's, hooks' and modeladmin's) as a path."""

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + _sample(entry.pattern))
            else:
                yield prefix + _sample(entry.pattern), entry.name or ""

    admin = next(
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and str(entry.pattern) == "admin/"
    )
    paths = {}
    for path, name in walk(admin.url_patterns, "/admin/"):
        try:
            resolve(path)
        except Resolver404:
            continue
        paths.setdefault(path, name)
    return sorted(paths.items())


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        "admin@example.com", PASSWORD, first_name="Ada", last_name="Admin"
    )


def test_the_walk_covers_the_whole_admin():
    paths = dict(admin_paths())
    # The pages, the API and the screens added by hooks are all part of the walk.
    assert len(paths) > 150
    assert "/admin/pages/1/edit/" in paths
    assert "/admin/api/main/pages/" in paths
    assert "/admin/users/" in paths
    assert "/admin/securite/utilisateurs/1/reinitialiser-2fa/" in paths


def test_password_only_session_without_device_is_sent_to_enrolment_from_every_admin_url(
    client, superuser
):
    client.force_login(superuser)
    served = []
    for path, name in admin_paths():
        if name in ALLOWED:
            continue
        response = client.get(path)
        if response.status_code == 200:
            served.append(path)
        elif response.status_code == 302 and not response["Location"].startswith(ENROL_URL):
            served.append(f"{path} -> {response['Location']}")
    assert served == []


def test_password_only_session_of_an_enrolled_account_is_signed_out_from_every_admin_url(
    client, superuser
):
    totp_device_create(superuser)
    served = []
    for path, name in admin_paths():
        if name in ALLOWED:
            continue
        client.force_login(superuser)
        response = client.get(path)
        if response.status_code != 302 or not response["Location"].startswith("/admin/login/"):
            served.append(f"{path} {response.status_code}")
        # Signed out: the next request is anonymous.
        assert "_auth_user_id" not in client.session
    assert served == []


def test_posting_to_the_admin_with_a_password_only_session_changes_nothing(
    client, superuser, site_tree
):
    client.force_login(superuser)
    home = site_tree["home"]
    response = client.post(f"/admin/pages/{home.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL_URL)
    home.refresh_from_db()
    assert home.live


def test_a_verified_session_is_served_the_admin(client, superuser, site_tree):
    otp_login(client, superuser)
    home = site_tree["home"]
    for path in [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home.pk}/edit/",
        f"/admin/pages/{home.pk}/history/",
        "/admin/users/",
        "/admin/images/",
        "/admin/api/main/pages/",
    ]:
        assert client.get(path).status_code == 200, path


def test_first_admin_login_must_enrol_a_device_before_any_admin_page(client, superuser):
    response = client.post("/admin/login/", {"username": superuser.email, "password": PASSWORD})
    assert response.status_code == 302

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL_URL)
    assert client.get(response["Location"]).status_code == 200

    device = superuser.totpdevice_set.get(confirmed=False)
    response = client.post(ENROL_URL, {"code": totp_code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/compte/securite/codes-de-secours/?next=/admin/"
    assert client.get("/admin/").status_code == 200


def test_enrolled_admin_login_asks_for_the_code(client, superuser):
    device = totp_device_create(superuser)
    login = {"username": superuser.email, "password": PASSWORD}
    assert 'name="otp_token"' in client.get("/admin/login/").content.decode()

    response = client.post("/admin/login/", login)
    assert response.status_code == 200
    assert "Saisissez le code" in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post("/admin/login/", {**login, "otp_token": _wrong(totp_code(device))})
    assert response.status_code == 200
    assert "pas valide" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_admin_codes_slow_down_the_next_attempts(client, superuser, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    device = totp_device_create(superuser)
    login = {"username": superuser.email, "password": PASSWORD}
    for _ in range(3):
        client.post("/admin/login/", {**login, "otp_token": _wrong(totp_code(device))})

    # After three failures, even the right code waits 4 seconds (1, 2, 4... django-otp).
    response = client.post("/admin/login/", {**login, "otp_token": totp_code(device)})
    assert "patientez" in response.content.decode()
    assert "_auth_user_id" not in client.session

    time_machine.shift(timedelta(seconds=31))
    response = client.post("/admin/login/", {**login, "otp_token": totp_code(device)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_admin_login_with_password_and_code_reaches_the_admin(client, superuser):
    device = totp_device_create(superuser)
    response = client.post(
        "/admin/login/",
        {"username": superuser.email, "password": PASSWORD, "otp_token": totp_code(device)},
    )
    assert response.status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/admin/").status_code == 200


def test_a_code_used_for_an_admin_login_is_refused_the_second_time(client, superuser):
    device = totp_device_create(superuser)
    code = totp_code(device)
    login = {"username": superuser.email, "password": PASSWORD, "otp_token": code}
    assert client.post("/admin/login/", login).status_code == 302
    client.post("/admin/logout/")
    assert "_auth_user_id" not in client.session

    response = client.post("/admin/login/", login)
    assert response.status_code == 200
    assert "déjà servi" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_backup_code_opens_the_admin_once(client, superuser):
    from twofactor.services import backup_codes_regenerate

    totp_device_create(superuser)
    code = backup_codes_regenerate(user=superuser)[0]
    login = {"username": superuser.email, "password": PASSWORD, "otp_token": code}
    assert client.post("/admin/login/", login).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")
    assert client.post("/admin/login/", login).status_code == 200


def test_the_admin_api_is_refused_to_anonymous_and_password_only_sessions(client, superuser):
    assert client.get("/admin/api/main/pages/").status_code in (302, 403)
    client.force_login(superuser)
    assert client.get("/admin/api/main/pages/").status_code == 302


def test_removing_the_device_of_a_verified_session_sends_back_to_enrolment(client, superuser):
    device = otp_login(client, superuser)
    assert client.get("/admin/").status_code == 200
    device.delete()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL_URL)


def test_admin_logins_are_written_to_the_security_log(client, superuser):
    from accounts.models import SecurityEvent

    device = totp_device_create(superuser)
    client.post(
        "/admin/login/",
        {"username": superuser.email, "password": "not the password", "otp_token": ""},
    )
    client.post(
        "/admin/login/",
        {"username": superuser.email, "password": PASSWORD, "otp_token": totp_code(device)},
    )
    kinds = list(
        SecurityEvent.objects.filter(user=superuser).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == [SecurityEvent.Kind.LOGIN_FAILED, SecurityEvent.Kind.LOGIN_SUCCEEDED]
