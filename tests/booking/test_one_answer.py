"""One service books with the acceptance, one selector answers "next free slot" and "what else":
whichever entry point is used (service, page, API, profile), the answer is the same."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from booking import selectors
from booking.exceptions import SlotUnavailable
from booking.models import Appointment
from booking.services import appointment_book
from compliance.models import Acceptance
from tests.booking.booking_helpers import paris, refused
from tests.factories import bookable_practitioner_create, client_create, policies_publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


@pytest.fixture
def practitioner(directory):
    return bookable_practitioner_create(directory)


@pytest.fixture
def service(practitioner):
    return practitioner.page.services.order_by("duration_minutes").first()


def test_the_service_itself_records_the_acceptance_of_the_documents_in_force(
    site_tree, practitioner, service
):
    policies_publish(site_tree)
    customer = client_create()  # who has accepted nothing yet

    appointment = appointment_book(
        practitioner=practitioner, service=service, start=paris(2027, 3, 2, 9), client=customer
    )

    booked = Acceptance.objects.filter(user=customer, context="booking")
    assert {a.version.kind for a in booked} == {"privacy", "terms"}
    assert Appointment.objects.get() == appointment
    assert set(appointment.accepted_versions.all()) == {a.version for a in booked}


def test_a_ledger_failure_leaves_no_appointment_whoever_calls(practitioner, service, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr("booking.services.appointments.policy_versions_accept_in_force", broken)
    with pytest.raises(RuntimeError, match="ledger unavailable"):
        appointment_book(
            practitioner=practitioner,
            service=service,
            start=paris(2027, 3, 2, 9),
            client=client_create(),
        )
    assert not Appointment.objects.exists()


def _fill_tuesday_morning(practitioner, service):
    """Every slot of Tuesday 2 March morning booked by someone."""
    for hour in (9, 10, 11):
        start = paris(2027, 3, 2, hour)
        if start.hour * 60 + service.duration_minutes <= 12 * 60:
            appointment_book(
                practitioner=practitioner,
                service=service,
                start=start,
                client=client_create(email=f"c{hour}@example.com"),
            )


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def test_alternatives_after_a_conflict_are_the_same_for_the_service_the_page_and_the_api(
    practitioner, service
):
    _fill_tuesday_morning(practitioner, service)
    taken = paris(2027, 3, 2, 9)

    with refused(SlotUnavailable, "slot_unavailable") as refusal:
        appointment_book(
            practitioner=practitioner, service=service, start=taken, client=client_create()
        )
    from_service = [slot.start for slot in refusal.value.alternatives]
    from_selector = [
        slot.start
        for slot in selectors.slot_alternatives(
            practitioner=practitioner,
            duration=timedelta(minutes=service.duration_minutes),
            around=taken,
        )
    ]
    assert from_service == from_selector
    assert len(from_service) == selectors.ALTERNATIVES_COUNT
    assert all(start > taken for start in from_service)

    customer = client_create(email="moi@example.com")
    browser = Client()
    browser.force_login(customer)
    page_id, debut = practitioner.page_id, "2027-03-02T08:00:00Z"
    # The page: holding a taken slot offers the alternatives as buttons that hold them.
    response = browser.post(f"/rendez-vous/{page_id}/{service.pk}/retenir/", {"debut": debut})
    assert response.status_code == 409
    buttons = BeautifulSoup(response.content, "html.parser").select("ul.slots button.slot")
    assert [_utc(button["value"]) for button in buttons] == from_service
    # The API: booking the taken slot answers 409 with the same alternatives.
    response = browser.post(
        "/api/v1/booking/appointments/",
        json.dumps(
            {"practitioner": page_id, "service": service.pk, "start": debut, "accept_terms": True}
        ),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert [_utc(a["start"]) for a in response.json()["alternatives"]] == from_service


def test_next_free_slot_is_the_same_on_the_profile_the_week_page_and_the_api(practitioner, service):
    _fill_tuesday_morning(practitioner, service)
    expected = selectors.practitioner_next_free_slot(practitioner=practitioner, service=service)
    assert expected is not None and expected.start == paris(2027, 3, 2, 14)

    api = Client().get(
        f"/api/v1/booking/practitioners/{practitioner.page_id}/slots/?service={service.pk}"
    )
    assert _utc(api.json()["next_available"]["start"]) == expected.start

    from booking.templatetags.booking_client import booking_offer

    # The profile shows the shortest service's next slot: here `service` is the shortest.
    assert booking_offer(practitioner.page)["next_slot"].start == expected.start


def test_slots_from_the_last_representable_days_is_a_clear_400_not_a_500(practitioner, service):
    url = f"/api/v1/booking/practitioners/{practitioner.page_id}/slots/?service={service.pk}"
    for query in ("&from=9999-12-30", "&from=9999-12-31", "&from=9999-12-25&to=9999-12-31"):
        response = Client().get(url + query)
        assert response.status_code == 400, query
        assert "from" in response.json()
