import pytest
from django.contrib.auth import get_user_model

from staff.services import practitioner_account_link
from tests.factories import otp_login, practitioner_create


@pytest.fixture
def pages(directory):
    return {
        "own": practitioner_create(directory, title="Camille Martin", slug="camille-martin"),
        "other": practitioner_create(directory, title="Nina Rossi", slug="nina-rossi"),
    }


@pytest.fixture
def practitioner(pages):
    user = get_user_model().objects.create_user(
        "camille@example.com", "phrase-de-passe-camille", first_name="Camille"
    )
    practitioner_account_link(user=user, page=pages["own"])
    return user


@pytest.fixture
def practitioner_client(client, practitioner):
    otp_login(client, practitioner)
    return client
