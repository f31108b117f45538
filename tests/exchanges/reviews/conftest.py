"""The cast of the review tests: a bookable practitioner, their client with a consultation
that took place, the published rules page with its refusal reasons, a moderator."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from booking.models import AppointmentStatus
from exchanges.reviews.demo import review_rules_page_seed
from tests.booking.mail_helpers import appointment_make
from tests.factories import bookable_practitioner_create, client_create


@pytest.fixture
def practitioner(directory):
    return bookable_practitioner_create(directory)


@pytest.fixture
def client_user(db):
    return client_create()


@pytest.fixture
def rules(site_tree):
    return review_rules_page_seed(site_tree["home"])


@pytest.fixture
def done_appointment(practitioner, client_user):
    """A consultation three days ago, marked done by the practitioner."""
    start = timezone.now() - timedelta(days=3)
    return appointment_make(practitioner, client_user, start, status=AppointmentStatus.DONE)


@pytest.fixture
def moderator(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email="moderatrice@example.com",
        password="une phrase de passe",
        first_name="Maud",
        last_name="Erateur",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user
