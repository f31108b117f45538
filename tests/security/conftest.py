import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture
def verified_admin_client(db, django_user_model):
    """A superuser whose session passed the two-factor step (as after a real admin login)."""
    user = django_user_model.objects.create_superuser(
        email="admin@example.com", password="a long admin passphrase"
    )
    device = TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
