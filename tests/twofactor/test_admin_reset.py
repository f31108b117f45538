"""A superuser resets the second factor of someone who lost their phone and their codes."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp import user_has_device
from wagtail.models import ModelLogEntry

from tests.factories import otp_login
from tests.twofactor.helpers import totp_device_create
from twofactor.services import backup_codes_regenerate

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_out(db):
    user = get_user_model().objects.create_user("perdu@example.com", "phrase-de-passe-perdue")
    user.groups.add(Group.objects.get(name="Editors"))
    totp_device_create(user)
    backup_codes_regenerate(user=user)
    return user


def _url(user) -> str:
    return f"/admin/securite/utilisateurs/{user.pk}/reinitialiser-2fa/"


def test_superuser_resets_the_devices_and_it_is_recorded(client, locked_out):
    admin = get_user_model().objects.create_superuser("admin@example.com", "phrase-admin-longue")
    otp_login(client, admin)
    response = client.get(_url(locked_out))
    assert response.status_code == 200
    assert str(locked_out) in response.content.decode()
    # The users listing offers the action.
    assert _url(locked_out) in client.get("/admin/users/").content.decode()

    response = client.post(_url(locked_out))
    assert response.status_code == 302
    assert not user_has_device(locked_out, confirmed=None)
    entry = ModelLogEntry.objects.get(action="twofactor.reset")
    assert entry.user_id == admin.pk and entry.object_id == str(locked_out.pk)

    # Next admin visit: enrol again before anything else.
    client.logout()
    client.force_login(locked_out)
    response = client.get("/admin/")
    assert response["Location"].startswith("/compte/securite/application/ajouter/")


def test_only_a_superuser_may_reset(client, locked_out):
    editor = get_user_model().objects.create_user("editrice@example.com", "phrase-de-passe")
    editor.groups.add(Group.objects.get(name="Editors"))
    otp_login(client, editor)
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    assert client.get(_url(locked_out)).status_code in (302, 403)
    assert client.post(_url(locked_out)).status_code in (302, 403)
    assert user_has_device(locked_out)
    assert not ModelLogEntry.objects.filter(action="twofactor.reset").exists()
