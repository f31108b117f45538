"""Fixtures of the client booking page tests: a fixed clock, a practitioner, a client."""

from datetime import UTC, datetime

import pytest
import time_machine

from booking.services import appointment_book
from tests.factories import bookable_practitioner_create, client_create

# Monday 11 January 2027, 08:00 in Paris (CET, UTC+1). With the default 24 h notice the first
# free slot is Tuesday 12 January at 09:00 in Paris, 08:00 UTC.
NOW = datetime(2027, 1, 11, 7, 0, tzinfo=UTC)
FIRST_SLOT = "2027-01-12T08:00:00Z"
FIRST_SLOT_AT = datetime(2027, 1, 12, 8, 0, tzinfo=UTC)
PASSWORD = "une phrase de passe"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def practitioner(directory):
    return bookable_practitioner_create(
        directory,
        services=[
            ("Première consultation", 60, "70.00", "cabinet"),
            ("Suivi en visio", 30, "40.00", "visio"),
        ],
    )


@pytest.fixture
def service(practitioner):
    return practitioner.page.services.get(name="Première consultation")


@pytest.fixture
def customer(db):
    return client_create(email="claire@example.com", password=PASSWORD)


@pytest.fixture
def other_customer(db):
    return client_create(email="autre@example.com", password=PASSWORD)


def week_url(practitioner, service, semaine: str | None = None) -> str:
    url = f"/rendez-vous/{practitioner.page_id}/{service.pk}/"
    return f"{url}?semaine={semaine}" if semaine else url


def confirm_url(practitioner, service, debut: str = FIRST_SLOT) -> str:
    return f"/rendez-vous/{practitioner.page_id}/{service.pk}/confirmer/?debut={debut}"


def book(practitioner, service, client, start=FIRST_SLOT_AT):
    return appointment_book(practitioner=practitioner, service=service, start=start, client=client)


def publish_policies(site_tree, *users) -> None:
    """The terms and the privacy policy published, hence in force (version 1 of each), and
    accepted by `users` at their sign-up (else the re-acceptance gate stops them first)."""
    from compliance.services import policy_versions_accept_in_force

    for key in ("cgu", "privacy"):
        site_tree[key].save_revision().publish()
    for user in users:
        policy_versions_accept_in_force(user=user, context="signup")
