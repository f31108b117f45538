"""A signed-in user of the JSON API, with the documents in force accepted (no gate)."""

import pytest
from django.test import Client

from compliance.services import policy_versions_accept_in_force
from tests.factories import client_create


@pytest.fixture
def api_user(policies):
    user = client_create()
    policy_versions_accept_in_force(user=user, context="reacceptance")
    return user


@pytest.fixture
def api_client(api_user) -> Client:
    """A session client that enforces CSRF, with the token a page of the site hands out."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(api_user)
    client.get("/compte/consentements/")  # any page with a form sets the CSRF cookie
    client.csrf = client.cookies["csrftoken"].value
    return client
