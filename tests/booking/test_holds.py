"""Slot holds: a held slot is nobody else's to book or hold, shows nowhere as an appointment,
and frees its time the moment it expires, without any job having to run first."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.exceptions import SlotUnavailable
from booking.ics import practitioner_feed_appointments
from booking.models import Appointment, ClientRecord
from booking.notifications import appointments_due_reminder
from booking.selectors import (
    client_appointments,
    practitioner_agenda,
    practitioner_clients,
    practitioner_free_slots,
)
from booking.services import appointment_book, hold_confirm, slot_hold, slot_holds_sweep
from booking.services.clients import appointment_book_for_client
from booking.wagtail_hooks import AppointmentAdmin
from tests.booking.booking_helpers import paris
from tests.factories import client_create

pytestmark = pytest.mark.usefixtures("frozen_clock")

# Late enough that ten minutes later it is still outside the 24 h notice.
TUESDAY_11 = paris(2027, 3, 2, 11)


def held(practitioner, service, start=TUESDAY_11, key="browser-a"):
    return slot_hold(practitioner=practitioner, service=service, start=start, hold_key=key)


def free_starts(practitioner, service):
    day = TUESDAY_11.date()
    return [
        s.start
        for s in practitioner_free_slots(
            practitioner=practitioner, service=service, first_day=day, last_day=day
        )
    ]


def test_a_hold_blocks_the_slot_for_everyone_else(
    practitioner, service, client_user, practitioner_user
):
    hold = held(practitioner, service)

    assert hold.status == "held" and hold.client is None and hold.hold_key == "browser-a"
    assert hold.hold_expires_at == timezone.now() + timedelta(minutes=10)
    assert hold.price == service.price and hold.rules_snapshot
    assert TUESDAY_11 not in free_starts(practitioner, service)
    with pytest.raises(SlotUnavailable) as refused:
        appointment_book(
            practitioner=practitioner, service=service, start=TUESDAY_11, client=client_user
        )
    assert refused.value.alternatives and TUESDAY_11 not in [
        s.start for s in refused.value.alternatives
    ]
    with pytest.raises(SlotUnavailable):
        held(practitioner, service, key="browser-b")
    # The practitioner booking by hand for someone who phoned: refused too.
    record = ClientRecord.objects.create(
        practitioner=practitioner, first_name="Jean", last_name="Dupont", phone="0600000000"
    )
    with pytest.raises(SlotUnavailable):
        appointment_book_for_client(
            practitioner=practitioner,
            service=service,
            start=TUESDAY_11,
            by=practitioner_user,
            client_record=record,
        )
    assert Appointment.objects.count() == 1


def test_a_hold_shows_nowhere_as_an_appointment(practitioner, service, client_user, rf):
    hold = held(practitioner, service)
    now = timezone.now()

    assert (
        practitioner_agenda(
            practitioner=practitioner, first_day=TUESDAY_11.date(), last_day=TUESDAY_11.date()
        )
        == []
    )
    assert list(practitioner_feed_appointments(practitioner, now=now)) == []
    assert list(appointments_due_reminder(now=TUESDAY_11 - timedelta(hours=2))) == []
    assert practitioner_clients(practitioner=practitioner) == []
    assert client_appointments(client=client_user) == ([], [])
    admin = AppointmentAdmin()
    assert not admin.get_queryset(rf.get("/admin/")).filter(pk=hold.pk).exists()


def test_an_expired_hold_frees_the_slot_at_once(practitioner, service, client_user, frozen_clock):
    held(practitioner, service)
    frozen_clock.shift(timedelta(minutes=10))

    assert TUESDAY_11 in free_starts(practitioner, service)
    # Booking over it removes it under the lock (the constraint cannot see the clock).
    appointment = appointment_book(
        practitioner=practitioner, service=service, start=TUESDAY_11, client=client_user
    )
    assert list(Appointment.objects.values_list("pk", "status")) == [(appointment.pk, "confirmed")]


def test_a_new_hold_replaces_the_browsers_previous_one_and_the_same_slot_keeps_its_row(
    practitioner, service, frozen_clock
):
    first = held(practitioner, service)
    frozen_clock.shift(timedelta(minutes=15))  # expired, still in the table

    again = held(practitioner, service)

    assert again.pk == first.pk and again.reference == first.reference
    assert again.hold_expires_at == timezone.now() + timedelta(minutes=10)
    other = held(practitioner, service, start=TUESDAY_11 + timedelta(hours=3))
    assert list(Appointment.objects.values_list("pk", flat=True)) == [other.pk]


def test_confirming_a_hold_turns_its_row_into_the_appointment(practitioner, service, client_user):
    hold = held(practitioner, service)

    appointment = hold_confirm(hold=hold, client=client_user)

    assert appointment.pk == hold.pk and appointment.reference == hold.reference
    assert appointment.status == "confirmed" and appointment.client == client_user
    assert appointment.hold_key == "" and appointment.hold_expires_at is None


def test_a_hold_gone_and_taken_cannot_be_confirmed(
    practitioner, service, client_user, frozen_clock
):
    hold = held(practitioner, service)
    frozen_clock.shift(timedelta(minutes=11))
    held(practitioner, service, key="browser-b")  # takes the slot, removing the expired hold

    with pytest.raises(SlotUnavailable):
        hold_confirm(hold=hold, client=client_user)
    assert Appointment.objects.get().hold_key == "browser-b"


def test_the_sweep_deletes_expired_holds_only_in_a_constant_number_of_queries(
    practitioner, service, frozen_clock
):
    def hold_many(count, offset):
        for i in range(count):
            held(
                practitioner,
                service,
                start=paris(2027, 3, 3 + offset + i // 3, 9) + timedelta(hours=(i % 3)),
                key=f"browser-{offset}-{i}",
            )

    def sweep_queries():
        with CaptureQueriesContext(connection) as queries:
            deleted = slot_holds_sweep()
        return deleted, len(queries)

    hold_many(2, 0)
    frozen_clock.shift(timedelta(minutes=11))
    small = sweep_queries()
    hold_many(6, 7)
    frozen_clock.shift(timedelta(minutes=11))
    large = sweep_queries()

    assert small[0] == 2 and large[0] == 6
    assert small[1] == large[1]
    live = held(practitioner, service)
    assert slot_holds_sweep() == 0
    assert list(Appointment.objects.values_list("pk", flat=True)) == [live.pk]


def test_the_sweep_command_says_how_many_it_deleted(practitioner, service, frozen_clock, capsys):
    held(practitioner, service)
    frozen_clock.shift(timedelta(minutes=11))

    call_command("slot_holds_sweep")

    assert "supprimés : 1" in capsys.readouterr().out
    assert not Appointment.objects.exists()


def test_the_hold_duration_is_a_setting(practitioner, service, settings):
    settings.BOOKING_HOLD_MINUTES = 3

    assert held(practitioner, service).hold_expires_at == timezone.now() + timedelta(minutes=3)


def test_a_client_booking_twice_after_sign_up_has_one_acceptance_per_document(
    practitioner, service, site_tree
):
    from compliance.models import Acceptance
    from tests.factories import policies_publish

    customer = client_create(email="nouveau@example.com")
    policies_publish(site_tree, customer)  # the sign-up's acceptances
    for start in (TUESDAY_11, TUESDAY_11 + timedelta(hours=4)):
        hold_confirm(
            hold=held(practitioner, service, start=start, key="browser-n"), client=customer
        )

    assert sorted(
        Acceptance.objects.filter(user=customer).values_list("version__kind", flat=True)
    ) == ["privacy", "terms"]
    for appointment in Appointment.objects.all():
        assert appointment.accepted_versions.count() == 2
