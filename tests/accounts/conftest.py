import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import User
from compliance.services import policy_versions_accept_in_force

PASSWORD = "une phrase de passe assez longue"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Lockout counters live in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


def member_create(email="camille@example.com", password=PASSWORD, **fields) -> User:
    """A verified, active client account that accepted the documents in force, as at sign-up."""
    fields.setdefault("first_name", "Camille")
    fields.setdefault("last_name", "Martin")
    fields.setdefault("is_active", True)
    fields.setdefault("email_verified_at", timezone.now())
    user = User.objects.create_user(email, password, **fields)
    policy_versions_accept_in_force(user=user, context="signup")
    return user


@pytest.fixture
def member(policies):
    return member_create()


def login_post(client, email, password=PASSWORD, **extra):
    """Post the login form; UPPERCASE keywords are request META (REMOTE_ADDR...), others fields."""
    meta = {key: value for key, value in extra.items() if key.isupper()}
    fields = {key: value for key, value in extra.items() if not key.isupper()}
    return client.post(
        "/compte/connexion/", {"email": email, "password": password, **fields}, **meta
    )


def body_shape(response) -> str:
    """The page with what legitimately differs between two renders (CSRF token) blanked."""
    text = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)


def link_in(body: str, path_prefix: str) -> str:
    """The path of the first link under `path_prefix` found in an e-mail's text."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}[^\s]+)", body)
    assert match, f"no link to {path_prefix} in:\n{body}"
    return match.group(1)
