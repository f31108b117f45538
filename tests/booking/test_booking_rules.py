"""appointment_book checks everything again on the server: rules, service, price, time zone."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine

from booking.exceptions import OutsideBookingRules, SlotUnavailable
from booking.models import Appointment, DayOff, SpecialHours
from booking.selectors import practitioner_free_slots, practitioner_next_free_slot
from booking.services import appointment_book
from cms.models import PractitionerService
from tests.booking.booking_helpers import NOW, paris, refused
from tests.factories import bookable_practitioner_create, client_create

pytestmark = pytest.mark.usefixtures("frozen_clock")


def book(practitioner, service, start, client):
    return appointment_book(practitioner=practitioner, service=service, start=start, client=client)


def assert_refused(exc_type, code, practitioner, service, start, client):
    """Booking is refused with that refusal (type and code), and nothing is written."""
    with pytest.raises(exc_type) as caught:
        book(practitioner, service, start, client)
    assert caught.value.code == code
    assert Appointment.objects.count() == 0
    return caught.value


def test_booking_a_free_slot_copies_the_service_and_the_rules(practitioner, service, client_user):
    appointment = book(practitioner, service, paris(2027, 3, 2, 10), client_user)

    appointment.refresh_from_db()
    assert appointment.start == datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
    assert appointment.end - appointment.start == timedelta(minutes=60)
    assert (appointment.service_name, appointment.price, appointment.mode) == (
        "Première consultation",
        Decimal("70.00"),
        "cabinet",
    )
    assert appointment.client == client_user
    assert appointment.status == "confirmed"
    assert appointment.rules_snapshot["cancellation_cutoff_hours"] == 24
    assert appointment.rules_snapshot["max_reschedules"] == 2


def test_buffer_widens_the_blocked_span(directory, client_user):
    practitioner = bookable_practitioner_create(directory, buffer_minutes=15)
    service = practitioner.page.services.get()

    appointment = book(practitioner, service, paris(2027, 3, 2, 10), client_user)

    assert appointment.blocked_start == paris(2027, 3, 2, 9, 45)
    assert appointment.blocked_end == paris(2027, 3, 2, 11, 15)


def test_price_comes_from_the_database_not_from_the_caller(practitioner, service, client_user):
    service.price = Decimal("1.00")  # what a tampered form would send: never saved, never read

    appointment = book(practitioner, service, paris(2027, 3, 2, 10), client_user)

    assert appointment.price == Decimal("70.00")


def test_second_booking_of_same_slot_is_refused_with_alternatives(
    practitioner, service, client_user
):
    book(practitioner, service, paris(2027, 3, 2, 10), client_user)
    other = client_create(email="autre@example.com")

    with refused(SlotUnavailable, "slot_unavailable") as caught:
        book(practitioner, service, paris(2027, 3, 2, 10), other)

    assert Appointment.objects.count() == 1
    alternatives = caught.value.alternatives
    assert 0 < len(alternatives) <= 5
    assert all(slot.start != paris(2027, 3, 2, 10) for slot in alternatives)
    assert "vient d'être pris" in caught.value.message


def test_overlapping_unequal_slot_is_refused(practitioner, service, client_user):
    book(practitioner, service, paris(2027, 3, 2, 10), client_user)

    with refused(SlotUnavailable, "slot_unavailable"):
        book(practitioner, service, paris(2027, 3, 2, 10, 30), client_user)
    assert Appointment.objects.count() == 1


def test_back_to_back_slots_are_both_accepted_without_buffer(practitioner, service, client_user):
    book(practitioner, service, paris(2027, 3, 2, 10), client_user)
    book(practitioner, service, paris(2027, 3, 2, 11), client_user)

    assert Appointment.objects.filter(status="confirmed").count() == 2


def test_buffer_makes_back_to_back_slots_conflict(directory, client_user):
    practitioner = bookable_practitioner_create(directory, buffer_minutes=15)
    service = practitioner.page.services.get()
    book(practitioner, service, paris(2027, 3, 2, 10), client_user)

    with refused(SlotUnavailable, "slot_unavailable"):
        book(practitioner, service, paris(2027, 3, 2, 11), client_user)
    # Two buffers apart (one per appointment, as the exclusion constraint has it) is free.
    book(practitioner, service, paris(2027, 3, 2, 14), client_user)


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (paris(2027, 3, 1, 16), "outside_rules"),  # inside the 24 h minimum notice
        (paris(2027, 5, 4, 10), "outside_horizon"),  # 64 days ahead, the horizon is 60
        (paris(2099, 3, 3, 10), "outside_horizon"),
        (datetime(9999, 12, 31, 23, 30, tzinfo=UTC), "outside_horizon"),  # no overflow
        (paris(2026, 3, 2, 10), "outside_horizon"),  # in the past
        (paris(2027, 3, 2, 12, 30), "outside_rules"),  # the 12:00-14:00 lunch break
        (paris(2027, 3, 2, 11, 30), "outside_rules"),  # 60 minutes would run past 12:00
        (paris(2027, 3, 2, 8), "outside_rules"),  # before opening
        (paris(2027, 3, 7, 10), "outside_rules"),  # a Sunday: closed
        (paris(2027, 3, 2, 10, 10), "outside_rules"),  # off the 30-minute step
    ],
)
def test_a_start_the_rules_do_not_offer_is_refused(practitioner, service, client_user, start, code):
    assert_refused(OutsideBookingRules, code, practitioner, service, start, client_user)


def test_a_start_exactly_the_horizon_away_is_bookable(practitioner, service, client_user):
    # NOW + 60 days (the default horizon) is Friday 30 April 2027, 10:00 in Paris.
    assert paris(2027, 4, 30, 10) == NOW + timedelta(days=practitioner.horizon_days)
    appointment = book(practitioner, service, paris(2027, 4, 30, 10), client_user)
    assert appointment.start == paris(2027, 4, 30, 10)


@pytest.mark.parametrize(
    ("start", "code"),
    [
        # One step beyond the horizon: the slot engine's rule refuses it.
        (paris(2027, 4, 30, 10, 30), "outside_rules"),
        # The early check leaves a day of margin, so the engine still decides at a day beyond...
        (paris(2027, 5, 1, 10), "outside_rules"),
        # ...and past that margin the start is refused before any slot is computed.
        (paris(2027, 5, 1, 10, 30), "outside_horizon"),
    ],
)
def test_a_start_beyond_the_horizon_is_refused(practitioner, service, client_user, start, code):
    assert_refused(OutsideBookingRules, code, practitioner, service, start, client_user)


def test_day_off_is_refused(practitioner, service, client_user):
    DayOff.objects.create(practitioner=practitioner, date=date(2027, 3, 2))
    assert_refused(
        OutsideBookingRules,
        "outside_rules",
        practitioner,
        service,
        paris(2027, 3, 2, 10),
        client_user,
    )


def test_special_hours_replace_the_weekly_hours(practitioner, service, client_user):
    SpecialHours.objects.create(
        practitioner=practitioner, date=date(2027, 3, 7), start=time(10), end=time(12)
    )
    SpecialHours.objects.create(
        practitioner=practitioner, date=date(2027, 3, 2), start=time(15), end=time(17)
    )

    book(practitioner, service, paris(2027, 3, 7, 10), client_user)  # a Sunday, open
    # Tuesday's usual morning is replaced by 15:00-17:00.
    with refused(OutsideBookingRules, "outside_rules"):
        book(practitioner, service, paris(2027, 3, 2, 10), client_user)
    book(practitioner, service, paris(2027, 3, 2, 15), client_user)
    assert Appointment.objects.count() == 2


def test_service_of_another_practitioner_is_refused(directory, practitioner, client_user):
    other = bookable_practitioner_create(directory, title="Jean Dubois")
    foreign = other.page.services.get()

    error = assert_refused(
        OutsideBookingRules,
        "unknown_service",
        practitioner,
        foreign,
        paris(2027, 3, 2, 10),
        client_user,
    )
    assert error.code == "unknown_service"


def test_service_of_an_unpublished_page_is_refused(practitioner, service, client_user):
    practitioner.page.unpublish()

    assert_refused(
        OutsideBookingRules,
        "unknown_service",
        practitioner,
        service,
        paris(2027, 3, 2, 10),
        client_user,
    )
    assert (
        practitioner_free_slots(
            practitioner=practitioner,
            service=service,
            first_day=date(2027, 3, 2),
            last_day=date(2027, 3, 8),
        )
        == []
    )


def test_practitioner_not_accepting_bookings_is_refused(practitioner, service, client_user):
    practitioner.accepts_bookings = False
    practitioner.save()

    error = assert_refused(
        OutsideBookingRules,
        "not_accepting_bookings",
        practitioner,
        service,
        paris(2027, 3, 2, 10),
        client_user,
    )
    assert error.code == "not_accepting_bookings"


def test_stale_practitioner_object_does_not_bypass_the_database(practitioner, service, client_user):
    from booking.models import Practitioner

    Practitioner.objects.filter(pk=practitioner.pk).update(accepts_bookings=False)
    # `practitioner` in memory still says True: the service reads the row again.
    assert_refused(
        OutsideBookingRules,
        "not_accepting_bookings",
        practitioner,
        service,
        paris(2027, 3, 2, 10),
        client_user,
    )


def test_naive_datetime_is_refused(practitioner, service, client_user):
    error = assert_refused(
        OutsideBookingRules,
        "naive_datetime",
        practitioner,
        service,
        datetime(2027, 3, 2, 10),  # noqa: DTZ001 - naive on purpose
        client_user,
    )
    assert error.code == "naive_datetime"


def test_deleted_service_is_refused(practitioner, service, client_user):
    PractitionerService.objects.filter(pk=service.pk).delete()
    assert_refused(
        OutsideBookingRules,
        "unknown_service",
        practitioner,
        service,
        paris(2027, 3, 2, 10),
        client_user,
    )


def test_booked_slot_disappears_from_free_slots(practitioner, service, client_user):
    def tuesday():
        return practitioner_free_slots(
            practitioner=practitioner,
            service=service,
            first_day=date(2027, 3, 2),
            last_day=date(2027, 3, 2),
        )

    before = tuesday()
    book(practitioner, service, paris(2027, 3, 2, 10), client_user)
    after = tuesday()

    # 09:00-12:00 and 14:00-18:00 with a 30 min step and 60 min service: 5 + 7 slots.
    assert len(before) == 12
    starts = {slot.start for slot in after}
    assert paris(2027, 3, 2, 9, 30) not in starts
    assert paris(2027, 3, 2, 10) not in starts
    assert paris(2027, 3, 2, 10, 30) not in starts
    assert paris(2027, 3, 2, 9) in starts and paris(2027, 3, 2, 11) in starts
    assert len(after) == 9


def test_cancelled_appointment_frees_its_slot(practitioner, service, client_user):
    appointment = book(practitioner, service, paris(2027, 3, 2, 10), client_user)
    Appointment.objects.filter(pk=appointment.pk).update(status="cancelled")

    book(practitioner, service, paris(2027, 3, 2, 10), client_user)


def test_free_slots_run_a_bounded_number_of_queries(
    practitioner, service, client_user, django_assert_max_num_queries
):
    for day in (2, 3, 4, 5):
        book(practitioner, service, paris(2027, 3, day, 10), client_user)
    with django_assert_max_num_queries(6):
        slots = practitioner_free_slots(
            practitioner=practitioner,
            service=service,
            first_day=date(2027, 3, 1),
            last_day=date(2027, 4, 30),
        )
    assert slots


def test_next_free_slot_skips_full_weeks(practitioner, service):
    from booking.models import BlockedRange

    # The first two weeks are blocked entirely.
    BlockedRange.objects.create(
        practitioner=practitioner, start=paris(2027, 3, 1, 0), end=paris(2027, 3, 15, 0)
    )

    slot = practitioner_next_free_slot(practitioner=practitioner, service=service)

    assert slot.start == paris(2027, 3, 15, 9)


def test_next_free_slot_is_none_when_nothing_is_open(practitioner, service):
    practitioner.opening_hours.all().delete()

    assert practitioner_next_free_slot(practitioner=practitioner, service=service) is None


def test_blocked_range_refuses_bookings(practitioner, service, client_user):
    from booking.models import BlockedRange

    BlockedRange.objects.create(
        practitioner=practitioner, start=paris(2027, 3, 2, 9), end=paris(2027, 3, 2, 12)
    )
    assert_refused(
        SlotUnavailable,
        "slot_unavailable",
        practitioner,
        service,
        paris(2027, 3, 2, 10),
        client_user,
    )


class TestDaylightSaving:
    """Sunday openings on the change days of 2027: 28 March (spring) and 31 October (autumn)."""

    def open_sunday(self, practitioner, day: date, start: time, end: time):
        SpecialHours.objects.create(practitioner=practitioner, date=day, start=start, end=end)

    def test_spring_forward_gives_right_instants_and_durations(
        self, practitioner, service, client_user
    ):
        self.open_sunday(practitioner, date(2027, 3, 28), time(1), time(5))
        slots = practitioner_free_slots(
            practitioner=practitioner,
            service=service,
            first_day=date(2027, 3, 28),
            last_day=date(2027, 3, 28),
        )
        # 02:00-03:00 does not exist that night: 01:00, 01:30 (CET) then 03:00... (CEST).
        assert [s.start.astimezone(UTC).strftime("%H:%M") for s in slots] == [
            "00:00",
            "00:30",
            "01:00",
            "01:30",
            "02:00",
        ]
        assert all(s.end - s.start == timedelta(minutes=60) for s in slots)

        before = book(practitioner, service, paris(2027, 3, 28, 1, 30), client_user)
        after = book(practitioner, service, paris(2027, 3, 28, 3, 30), client_user)

        assert before.start == datetime(2027, 3, 28, 0, 30, tzinfo=UTC)
        assert before.end == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03:30 CEST
        assert after.start == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # back-to-back
        assert after.end - after.start == timedelta(minutes=60)

    def test_fall_back_offers_each_slot_once(self, practitioner, service, client_user):
        with time_machine.travel(datetime(2027, 10, 1, 8, 0, tzinfo=UTC), tick=False):
            self.open_sunday(practitioner, date(2027, 10, 31), time(1), time(5))
            slots = practitioner_free_slots(
                practitioner=practitioner,
                service=service,
                first_day=date(2027, 10, 31),
                last_day=date(2027, 10, 31),
            )
            starts = [s.start for s in slots]
            assert len(starts) == len(set(starts))
            # 02:00-03:00 happens twice; the slot at 02:00 is offered once (the first, CEST).
            assert datetime(2027, 10, 31, 0, 0, tzinfo=UTC) in starts
            assert all(s.end - s.start == timedelta(minutes=60) for s in slots)

            appointment = book(practitioner, service, paris(2027, 10, 31, 1), client_user)
            assert appointment.start == datetime(2027, 10, 30, 23, 0, tzinfo=UTC)  # 01:00 CEST
            assert appointment.end == datetime(2027, 10, 31, 0, 0, tzinfo=UTC)

            late = book(practitioner, service, paris(2027, 10, 31, 3, 30), client_user)
            assert late.start == datetime(2027, 10, 31, 2, 30, tzinfo=UTC)  # 03:30 CET
            assert late.end - late.start == timedelta(minutes=60)
