"""Fixtures of the questions tests: a practitioner with an account, a client, a thread."""

import pytest
from django.core.cache import cache

from exchanges.questions.services import thread_start
from tests.booking.practitioner_helpers import practitioner_user_create
from tests.factories import bookable_practitioner_create, client_create

SUBJECT = "Douleurs lombaires chroniques"
BODY = "J'ai une hernie discale L5-S1 : la séance est-elle possible ?"


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


@pytest.fixture
def asker(db):
    return client_create("claire@example.com")


@pytest.fixture
def thread(practitioner, asker):
    return thread_start(user=asker, practitioner=practitioner, subject=SUBJECT, body=BODY)
