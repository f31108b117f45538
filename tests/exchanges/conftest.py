"""The cast every exchanges test shares: counters reset, a practitioner with an account."""

import pytest
from django.core.cache import cache

from tests.booking.practitioner_helpers import practitioner_user_create
from tests.factories import bookable_practitioner_create


@pytest.fixture(autouse=True)
def _counters():
    """The rate-limit counters live in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def practitioner(directory):
    practitioner = bookable_practitioner_create(directory)
    practitioner_user_create(practitioner, "camille@praticien.example")
    return practitioner


@pytest.fixture
def practitioner_user(practitioner):
    return practitioner.page.account.user
