"""The booking JSON API: public services and slots, booking with the terms, my appointments."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from booking.models import Appointment, AppointmentStatus
from booking.services import appointment_book, slot_hold
from compliance.models import Acceptance
from compliance.services import policy_versions_accept_in_force
from tests.booking.booking_helpers import NOW, paris
from tests.compliance.conftest import publish
from tests.factories import bookable_practitioner_create, client_create, practitioner_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

API = "/api/v1/booking"
# Tuesday 2 March 2027, 09:00 in Paris: the first slot the 24 h notice leaves after NOW.
FIRST_SLOT = paris(2027, 3, 2, 9)


@pytest.fixture
def practitioner(directory):
    return bookable_practitioner_create(directory)


@pytest.fixture
def page(practitioner):
    return practitioner.page


@pytest.fixture
def service(practitioner):
    return practitioner.page.services.get()


@pytest.fixture
def client_user(db):
    return client_create()


def signed_in(user) -> Client:
    """A session client that enforces CSRF, with the token a page of the site hands out."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/compte/consentements/")  # any page with a form sets the CSRF cookie
    client.csrf = client.cookies["csrftoken"].value
    return client


def post(client, url, data, csrf=True):
    headers = {"HTTP_X_CSRFTOKEN": client.csrf} if csrf else {}
    return client.post(url, data, content_type="application/json", **headers)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def booking_body(page, service, start=FIRST_SLOT, **extra):
    return {
        "practitioner": page.pk,
        "service": service.pk,
        "start": iso(start),
        "accept_terms": True,
        **extra,
    }


def book(practitioner, service, client_user, start=FIRST_SLOT) -> Appointment:
    return appointment_book(
        practitioner=practitioner, service=service, start=start, client=client_user
    )


# --- Services and slots (public) ---


def test_services_of_a_bookable_practitioner_are_public(client, page, service):
    response = client.get(f"{API}/practitioners/{page.pk}/services/")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": service.pk,
            "name": "Première consultation",
            "duration_minutes": 60,
            "price": "70.00",
            "mode": "cabinet",
            "mode_label": service.mode_label,
            "description": "",
        }
    ]


@pytest.mark.parametrize("suffix", ["services/", "slots/?service=1"])
def test_practitioners_that_do_not_take_bookings_are_not_found(client, directory, suffix):
    without_booking = practitioner_create(directory, title="Sans agenda")
    closed = bookable_practitioner_create(directory, title="Fermé", accepts_bookings=False)
    draft = bookable_practitioner_create(directory, title="Brouillon")
    draft.page.unpublish()

    for page_id in (without_booking.pk, closed.page_id, draft.page_id, 999999, "abc", "0"):
        response = client.get(f"{API}/practitioners/{page_id}/{suffix}")
        assert response.status_code == 404, page_id
        assert "ne prend pas de rendez-vous" in response.json()["detail"]


def test_huge_page_id_is_not_found_not_a_database_error(client, practitioner):
    response = client.get(f"{API}/practitioners/99999999999999999999/services/")
    assert response.status_code == 404


def test_free_slots_are_given_in_utc_and_in_the_practitioners_time(client, page, service):
    response = client.get(
        f"{API}/practitioners/{page.pk}/slots/",
        {"service": service.pk, "from": "2027-03-02", "to": "2027-03-02"},
    )

    assert response.status_code == 200
    data = response.json()
    assert (data["practitioner"], data["service"], data["timezone"]) == (
        page.pk,
        service.pk,
        "Europe/Paris",
    )
    assert (data["from"], data["to"]) == ("2027-03-02", "2027-03-02")
    first = data["slots"][0]
    assert first == {
        "start": "2027-03-02T08:00:00Z",
        "end": "2027-03-02T09:00:00Z",
        "local_start": "2027-03-02T09:00:00+01:00",
        "local_end": "2027-03-02T10:00:00+01:00",
    }
    # 09:00-12:00 and 14:00-18:00, 60 minutes every 30: 5 + 7 slots.
    assert len(data["slots"]) == 12
    assert data["next_available"] == first


def test_slots_after_the_change_to_summer_time_carry_the_new_offset(client, page, service):
    data = client.get(
        f"{API}/practitioners/{page.pk}/slots/",
        {"service": service.pk, "from": "2027-03-27", "to": "2027-03-29"},
    ).json()

    saturday = [s for s in data["slots"] if s["local_start"].startswith("2027-03-27")]
    monday = [s for s in data["slots"] if s["local_start"].startswith("2027-03-29")]
    assert saturday[0]["local_start"] == "2027-03-27T09:00:00+01:00"
    assert saturday[0]["start"] == "2027-03-27T08:00:00Z"
    assert monday[0]["local_start"] == "2027-03-29T09:00:00+02:00"
    assert monday[0]["start"] == "2027-03-29T07:00:00Z"
    assert not [s for s in data["slots"] if s["local_start"].startswith("2027-03-28")]


def test_a_booked_slot_is_no_longer_offered(client, practitioner, page, service, client_user):
    book(practitioner, service, client_user)

    data = client.get(
        f"{API}/practitioners/{page.pk}/slots/",
        {"service": service.pk, "from": "2027-03-02", "to": "2027-03-02"},
    ).json()
    starts = [s["start"] for s in data["slots"]]
    # 09:00-10:00 is taken: neither 09:00 nor 09:30 (which would overlap it) is offered.
    assert "2027-03-02T08:00:00Z" not in starts
    assert "2027-03-02T08:30:00Z" not in starts
    assert "2027-03-02T09:00:00Z" in starts


def test_without_dates_the_slots_of_the_coming_week_are_given(client, page, service):
    data = client.get(f"{API}/practitioners/{page.pk}/slots/", {"service": service.pk}).json()
    assert (data["from"], data["to"]) == ("2027-03-01", "2027-03-07")
    assert data["slots"][0]["start"] == "2027-03-02T08:00:00Z"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2027-02-30", "to": "2027-03-02"}, "from"),
        ({"from": "02/03/2027", "to": "2027-03-05"}, "from"),
        ({"from": "2027-03-02", "to": "demain"}, "to"),
        ({"from": "20270302", "to": "2027-03-05"}, "from"),
        ({"from": "2027-03-05", "to": "2027-03-02"}, "to"),
        ({"from": "2027-03-02", "to": "2027-04-02"}, "to"),  # 32 days
        ({"from": "2099-01-01", "to": "2099-01-07"}, "from"),  # beyond the horizon
        ({"from": "2027-01-01", "to": "2027-01-07"}, "to"),  # in the past
        ({"from": "0001-01-01", "to": "0001-01-02"}, "to"),
        ({"from": "9999-12-30", "to": "9999-12-31"}, "from"),
        # Sent empty is a wrong date, not a missing one (DRF's form rule would drop it).
        ({"from": "", "to": "2027-03-05"}, "from"),
        ({"from": "2027-03-02", "to": ""}, "to"),
    ],
)
def test_bad_date_ranges_are_refused_with_the_reason(client, page, service, params, field):
    response = client.get(
        f"{API}/practitioners/{page.pk}/slots/", {"service": service.pk, **params}
    )
    assert response.status_code == 400
    assert response.json()[field][0]


def test_a_31_day_range_is_accepted(client, page, service):
    response = client.get(
        f"{API}/practitioners/{page.pk}/slots/",
        {"service": service.pk, "from": "2027-03-02", "to": "2027-04-01"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["", "abc", "-1", "1.5", "99999999999999999999"])
def test_missing_or_malformed_service_is_refused(client, page, value):
    response = client.get(f"{API}/practitioners/{page.pk}/slots/", {"service": value})
    assert response.status_code == 400
    assert "service" in response.json()


def test_unknown_or_foreign_service_is_not_found(client, directory, page, service):
    other = bookable_practitioner_create(directory, title="Autre praticien")
    foreign = other.page.services.get()

    for service_id in (foreign.pk, 999999):
        response = client.get(
            f"{API}/practitioners/{page.pk}/slots/",
            {"service": service_id, "from": "2027-03-02", "to": "2027-03-03"},
        )
        assert response.status_code == 404
        assert "prestation" in response.json()["detail"]


# --- Booking ---


def test_signed_in_client_books_a_slot_and_accepts_the_terms_in_force(
    page, service, client_user, policies
):
    policy_versions_accept_in_force(user=client_user, context="signup")
    client = signed_in(client_user)

    response = post(client, f"{API}/appointments/", booking_body(page, service))

    assert response.status_code == 201, response.content
    data = response.json()
    appointment = Appointment.objects.get()
    assert data["reference"] == str(appointment.reference)
    assert appointment.client == client_user and appointment.start == FIRST_SLOT
    assert data["start"] == "2027-03-02T08:00:00Z"
    assert data["local_start"] == "2027-03-02T09:00:00+01:00"
    assert (data["status"], data["practitioner"], data["service"]) == (
        "confirmed",
        page.pk,
        service.pk,
    )
    assert data["url"] == f"http://testserver{API}/appointments/{appointment.reference}/"
    assert data["cancel_refusal"] is None
    # Accepted at sign-up: the booking points at those versions and writes no duplicate.
    assert not Acceptance.objects.filter(user=client_user, context="booking").exists()
    assert set(appointment.accepted_versions.all()) == {
        a.version for a in Acceptance.objects.filter(user=client_user)
    }


def test_the_price_comes_from_the_database_not_from_the_request(page, service, client_user):
    client = signed_in(client_user)

    response = post(
        client, f"{API}/appointments/", booking_body(page, service, price="0.01", mode="visio")
    )

    assert response.status_code == 201
    assert response.json()["price"] == "70.00"
    appointment = Appointment.objects.get()
    assert (appointment.price, appointment.mode) == (Decimal("70.00"), "cabinet")


def test_booking_without_the_csrf_token_is_refused(page, service, client_user):
    client = signed_in(client_user)
    response = post(client, f"{API}/appointments/", booking_body(page, service), csrf=False)
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Appointment.objects.exists()


def test_anonymous_visitors_cannot_book_nor_list(client, page, service):
    response = client.post(
        f"{API}/appointments/", booking_body(page, service), content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert response.json()["detail"]
    assert client.get(f"{API}/appointments/").status_code in (401, 403)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("accept_terms", [False, "non", None, "MISSING"])
def test_booking_without_accepting_what_is_pending_is_refused(
    page, service, client_user, policies, accept_terms
):
    policy_versions_accept_in_force(user=client_user, context="signup")
    # A minor new privacy version: it does not gate the user, but booking asks for it.
    privacy_v2 = publish(policies["privacy"], body="<p>Version 2.</p>")
    client = signed_in(client_user)
    body = booking_body(page, service, accept_terms=accept_terms)
    if accept_terms == "MISSING":
        del body["accept_terms"]

    response = post(client, f"{API}/appointments/", body)

    assert response.status_code == 400
    assert response.json()["accept_terms"][0]
    if accept_terms is False:
        assert privacy_v2.title in response.json()["accept_terms"][0]
    assert not Appointment.objects.exists()
    assert not Acceptance.objects.filter(context="booking").exists()

    response = post(client, f"{API}/appointments/", booking_body(page, service))
    assert response.status_code == 201
    [acceptance] = Acceptance.objects.filter(context="booking")
    assert acceptance.version == privacy_v2


def test_with_everything_accepted_a_booking_needs_no_acceptance(
    page, service, client_user, policies
):
    policy_versions_accept_in_force(user=client_user, context="signup")
    client = signed_in(client_user)

    response = post(client, f"{API}/appointments/", booking_body(page, service, accept_terms=False))

    assert response.status_code == 201, response.content
    assert Acceptance.objects.filter(user=client_user).count() == 2


def test_a_slot_held_by_a_visitor_cannot_be_booked_through_the_api(
    practitioner, page, service, client_user
):
    slot_hold(practitioner=practitioner, service=service, start=FIRST_SLOT, hold_key="k")
    client = signed_in(client_user)

    slots = client.get(f"{API}/practitioners/{page.pk}/slots/", {"service": service.pk}).json()
    response = post(client, f"{API}/appointments/", booking_body(page, service))

    assert "2027-03-02T08:00:00Z" not in [slot["start"] for slot in slots["slots"]]
    assert response.status_code == 409 and response.json()["code"] == "slot_unavailable"
    assert client.get(f"{API}/appointments/").json() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"practitioner": "abc"}, "practitioner"),
        ({"practitioner": 999999}, "practitioner"),
        ({"practitioner": 99999999999999999999}, "practitioner"),
        ({"service": None}, "service"),
        ({"service": 999999}, "service"),
        ({"service": [1]}, "service"),
        ({"start": "demain 9h"}, "start"),
        ({"start": "2027-03-02T09:00:00"}, "start"),  # no time zone: ambiguous
        ({"start": "0001-01-01T00:00:00+05:00"}, "start"),
        ({"start": 1700000000}, "start"),
    ],
)
def test_malformed_or_unknown_fields_are_refused_field_by_field(
    page, service, client_user, change, field
):
    client = signed_in(client_user)
    response = post(client, f"{API}/appointments/", {**booking_body(page, service), **change})
    assert response.status_code == 400
    assert response.json()[field][0]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "start",
    [
        "2027-03-02T08:00:00\x00Z",  # a NUL before the offset: Django's parser skips it
        "2027-03-02T08:00:00Z\x00",
        "2027-03-02\x0008:00:00Z",
        "2027-03-02T08:00:00 Z",
        " 2027-03-02T08:00:00Z",
        "2027-03-02T08:00:00+0100",
    ],
    ids=["nul-before-z", "nul-after-z", "nul-as-separator", "space", "leading-space", "+0100"],
)
def test_a_start_that_is_not_the_documented_iso_format_is_refused(
    page, service, client_user, start
):
    # FIRST_SLOT is free: only the format can refuse these (before the fix, 201 for the NUL).
    assert iso(FIRST_SLOT) == "2027-03-02T08:00:00Z"
    client = signed_in(client_user)
    response = post(client, f"{API}/appointments/", booking_body(page, service) | {"start": start})
    assert response.status_code == 400, response.content
    assert "format" in response.json()["start"][0]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"practitioner": "PAGE"},  # the right id, as text
        {"service": "SERVICE"},
        {"service": 1.0},
        {"accept_terms": "true"},
        {"accept_terms": 1},
    ],
)
def test_a_json_body_takes_the_schemas_types_without_conversion(page, service, client_user, change):
    # Everything else is right: before, DRF converted these and booked the slot (201).
    ids = {"PAGE": str(page.pk), "SERVICE": str(service.pk)}
    change = {key: ids.get(value, value) for key, value in change.items()}
    client = signed_in(client_user)
    response = post(client, f"{API}/appointments/", booking_body(page, service) | change)
    assert response.status_code == 400, response.content
    assert list(response.json()) == list(change)
    assert not Appointment.objects.exists()


def test_a_form_body_has_no_types_and_still_books(page, service, client_user):
    client = signed_in(client_user)
    body = booking_body(page, service) | {"accept_terms": "true"}
    response = client.post(f"{API}/appointments/", body, HTTP_X_CSRFTOKEN=client.csrf)
    assert response.status_code == 201, response.content


def test_missing_fields_are_each_reported(client_user):
    client = signed_in(client_user)
    response = post(client, f"{API}/appointments/", {})
    assert response.status_code == 400
    assert set(response.json()) == {"practitioner", "service", "start", "accept_terms"}


def test_a_body_that_is_not_json_is_refused(page, client_user):
    client = signed_in(client_user)
    response = client.post(
        f"{API}/appointments/",
        "{pas du json",
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.csrf,
    )
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "start",
    [
        paris(2027, 3, 1, 14),  # inside the 24 h notice
        paris(2027, 3, 2, 12, 30),  # lunch break
        paris(2027, 3, 2, 9, 10),  # not on the 30-minute step
        paris(2027, 3, 7, 10),  # Sunday
        paris(2099, 3, 2, 9),  # far beyond the horizon
        paris(2026, 3, 2, 9),  # in the past
    ],
)
def test_times_outside_the_rules_are_refused(page, service, client_user, start):
    client = signed_in(client_user)
    response = post(client, f"{API}/appointments/", booking_body(page, service, start=start))
    assert response.status_code == 400
    assert response.json()["code"].startswith("outside")
    assert response.json()["detail"]
    assert not Appointment.objects.exists()


def test_a_service_of_another_practitioner_cannot_be_booked(directory, page, client_user):
    foreign = bookable_practitioner_create(directory, title="Autre").page.services.get()
    client = signed_in(client_user)

    response = post(client, f"{API}/appointments/", booking_body(page, foreign))

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_service"
    assert not Appointment.objects.exists()


def test_a_taken_slot_is_refused_with_other_slots_proposed(
    practitioner, page, service, client_user, policies
):
    book(practitioner, service, client_create(email="first@example.com"))
    policy_versions_accept_in_force(user=client_user, context="signup")
    client = signed_in(client_user)

    response = post(client, f"{API}/appointments/", booking_body(page, service))

    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "slot_unavailable" and "pris" in data["detail"]
    assert data["alternatives"][0] == {
        "start": "2027-03-02T09:00:00Z",
        "end": "2027-03-02T10:00:00Z",
        "local_start": "2027-03-02T10:00:00+01:00",
        "local_end": "2027-03-02T11:00:00+01:00",
    }
    assert Appointment.objects.count() == 1
    # The refused booking recorded no acceptance either: both or neither.
    assert not Acceptance.objects.filter(user=client_user, context="booking").exists()


def test_appointment_is_not_kept_when_the_acceptance_cannot_be_recorded(
    page, service, client_user, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr("booking.services.appointments.policy_versions_accept_in_force", broken)
    client = signed_in(client_user)

    with pytest.raises(RuntimeError):
        post(client, f"{API}/appointments/", booking_body(page, service))
    assert not Appointment.objects.exists()


# --- My appointments ---


@pytest.fixture
def appointments(practitioner, service, client_user):
    """A past appointment and an upcoming one of the client, and another client's."""
    with time_machine.travel(NOW - timedelta(days=14), tick=False):
        past = book(practitioner, service, client_user, start=paris(2027, 2, 16, 10))
    upcoming = book(practitioner, service, client_user, start=paris(2027, 3, 4, 10))
    others = book(
        practitioner, service, client_create(email="autre@example.com"), paris(2027, 3, 4, 14)
    )
    return past, upcoming, others


def test_my_appointments_lists_mine_only_upcoming_first(client_user, appointments):
    past, upcoming, _others = appointments
    client = signed_in(client_user)

    data = client.get(f"{API}/appointments/").json()

    assert [(a["reference"], a["upcoming"]) for a in data] == [
        (str(upcoming.reference), True),
        (str(past.reference), False),
    ]
    assert data[1]["cancel_refusal"] == "Ce rendez-vous a déjà commencé."
    only_past = client.get(f"{API}/appointments/", {"when": "past"}).json()
    assert [a["reference"] for a in only_past] == [str(past.reference)]
    only_upcoming = client.get(f"{API}/appointments/", {"when": "upcoming"}).json()
    assert [a["reference"] for a in only_upcoming] == [str(upcoming.reference)]


@pytest.mark.parametrize("when", ["demain", ""])
def test_an_unknown_filter_is_refused(client_user, when):
    response = signed_in(client_user).get(f"{API}/appointments/", {"when": when})
    assert response.status_code == 400
    assert response.json()["when"][0]


def test_my_appointment_detail_and_nobody_elses(client_user, appointments):
    _past, upcoming, others = appointments
    client = signed_in(client_user)

    mine = client.get(f"{API}/appointments/{upcoming.reference}/")
    assert mine.status_code == 200
    assert mine.json()["local_start"] == "2027-03-04T10:00:00+01:00"
    for reference in (
        others.reference,
        "pas-une-reference",
        "00000000-0000-0000-0000-000000000000",
    ):
        response = client.get(f"{API}/appointments/{reference}/")
        assert response.status_code == 404
        assert response.json()["detail"] == "Ce rendez-vous n'existe pas."


def test_a_reference_only_in_its_documented_uuid_form_finds_the_appointment(
    client_user, appointments
):
    _past, upcoming, _others = appointments
    client = signed_in(client_user)
    reference = upcoming.reference
    assert client.get(f"{API}/appointments/{str(reference).upper()}/").status_code == 200
    # uuid.UUID takes these too; the schema (format: uuid) does not.
    for variant in (f"urn:uuid:{reference}", f"{{{reference}}}", reference.hex):
        response = client.get(f"{API}/appointments/{variant}/")
        assert response.status_code == 404, variant
        assert response.json()["detail"] == "Ce rendez-vous n'existe pas."


def test_client_cancels_before_the_cut_off(client_user, appointments):
    _past, upcoming, _others = appointments
    client = signed_in(client_user)

    response = post(
        client, f"{API}/appointments/{upcoming.reference}/cancel/", {"reason": "Empêchement"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    upcoming.refresh_from_db()
    assert upcoming.status == AppointmentStatus.CANCELLED
    assert (upcoming.cancelled_by, upcoming.cancellation_reason) == ("client", "Empêchement")
    # Cancelling again explains why not, changing nothing.
    again = post(client, f"{API}/appointments/{upcoming.reference}/cancel/", {})
    assert again.status_code == 409
    assert again.json() == {
        "code": "change_not_allowed",
        "detail": "Ce rendez-vous est déjà annulé.",
    }


def test_cancelling_after_the_cut_off_is_refused_with_the_reason(client_user, appointments):
    _past, upcoming, _others = appointments
    with time_machine.travel(upcoming.start - timedelta(hours=3), tick=False):
        client = signed_in(client_user)
        response = post(client, f"{API}/appointments/{upcoming.reference}/cancel/", {})

    assert response.status_code == 409
    assert "délai d'annulation" in response.json()["detail"]
    upcoming.refresh_from_db()
    assert upcoming.status == AppointmentStatus.CONFIRMED


def test_nobody_cancels_or_moves_anothers_appointment(client_user, appointments):
    _past, _upcoming, others = appointments
    client = signed_in(client_user)

    cancel = post(client, f"{API}/appointments/{others.reference}/cancel/", {})
    move = post(
        client,
        f"{API}/appointments/{others.reference}/reschedule/",
        {"start": iso(paris(2027, 3, 5, 10))},
    )

    assert (cancel.status_code, move.status_code) == (404, 404)
    others.refresh_from_db()
    assert others.status == AppointmentStatus.CONFIRMED and others.reschedule_count == 0


def test_cancel_and_reschedule_need_the_csrf_token(client_user, appointments):
    _past, upcoming, _others = appointments
    client = signed_in(client_user)

    cancel = post(client, f"{API}/appointments/{upcoming.reference}/cancel/", {}, csrf=False)
    move = post(
        client,
        f"{API}/appointments/{upcoming.reference}/reschedule/",
        {"start": iso(paris(2027, 3, 5, 10))},
        csrf=False,
    )

    assert (cancel.status_code, move.status_code) == (403, 403)
    upcoming.refresh_from_db()
    assert upcoming.status == AppointmentStatus.CONFIRMED and upcoming.start == paris(
        2027, 3, 4, 10
    )


def test_client_reschedules_keeping_the_reference(client_user, appointments):
    _past, upcoming, _others = appointments
    client = signed_in(client_user)

    response = post(
        client,
        f"{API}/appointments/{upcoming.reference}/reschedule/",
        {"start": "2027-03-05T10:30:00+01:00"},
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["reference"] == str(upcoming.reference)
    assert (data["start"], data["reschedule_count"]) == ("2027-03-05T09:30:00Z", 1)
    upcoming.refresh_from_db()
    assert upcoming.start == paris(2027, 3, 5, 10, 30) and upcoming.sequence == 1


def test_rescheduling_to_a_taken_or_refused_time_changes_nothing(client_user, appointments):
    _past, upcoming, others = appointments
    client = signed_in(client_user)
    url = f"{API}/appointments/{upcoming.reference}/reschedule/"

    taken = post(client, url, {"start": iso(others.start)})
    sunday = post(client, url, {"start": iso(paris(2027, 3, 7, 10))})
    malformed = post(client, url, {"start": "bientôt"})
    missing = post(client, url, {})

    assert taken.status_code == 409 and taken.json()["code"] == "slot_unavailable"
    assert taken.json()["alternatives"]
    assert sunday.status_code == 400 and sunday.json()["code"].startswith("outside")
    assert malformed.status_code == 400 and malformed.json()["start"][0]
    assert missing.status_code == 400 and missing.json()["start"][0]
    upcoming.refresh_from_db()
    assert upcoming.start == paris(2027, 3, 4, 10) and upcoming.reschedule_count == 0


def test_rescheduling_beyond_the_practitioners_cap_is_refused(practitioner, service, client_user):
    practitioner.max_reschedules = 1
    practitioner.save()
    appointment = book(practitioner, service, client_user, start=paris(2027, 3, 4, 10))
    client = signed_in(client_user)
    url = f"{API}/appointments/{appointment.reference}/reschedule/"

    assert post(client, url, {"start": iso(paris(2027, 3, 5, 10))}).status_code == 200
    refused = post(client, url, {"start": iso(paris(2027, 3, 6, 10))})

    assert refused.status_code == 409
    assert refused.json()["code"] == "change_not_allowed"
    appointment.refresh_from_db()
    assert appointment.start == paris(2027, 3, 5, 10) and appointment.reschedule_count == 1


def test_anonymous_visitors_cannot_read_or_change_appointments(client, appointments):
    _past, upcoming, _others = appointments
    base = f"{API}/appointments/{upcoming.reference}/"

    assert client.get(base).status_code in (401, 403)
    for action in ("cancel/", "reschedule/"):
        response = client.post(
            base + action,
            {"start": iso(paris(2027, 3, 5, 10))},
            content_type="application/json",
        )
        assert response.status_code in (401, 403)
    upcoming.refresh_from_db()
    assert upcoming.status == AppointmentStatus.CONFIRMED and upcoming.reschedule_count == 0


def test_a_user_with_terms_to_accept_is_sent_to_accept_them_first(
    page, service, client_user, policies
):
    # Never accepted the documents in force: the compliance gate answers before booking.
    client = signed_in(client_user)

    response = post(client, f"{API}/appointments/", booking_body(page, service))

    assert response.status_code == 403
    assert response.json()["code"] == "policy_acceptance_required"
    assert not Appointment.objects.exists()
