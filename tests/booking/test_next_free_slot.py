"""The cached next free slot (Practitioner.next_free_start): every write that changes
availability refreshes it once committed, the periodic pass catches time passing."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from booking.models import Practitioner
from booking.onboarding.services import practitioner_booking_resume, practitioner_booking_suspend
from booking.services import (
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_reschedule,
    blocked_range_create,
    blocked_range_remove,
    day_off_add,
    day_off_remove,
    opening_hours_replace,
    practitioner_rules_update,
    special_hours_add,
)
from booking.services.availability import (
    next_free_slots_refresh,
    practitioner_next_free_refresh,
)
from booking.services.clients import appointment_book_for_client, client_record_create
from tests.booking.booking_helpers import NOW, paris
from tests.factories import bookable_practitioner_create

# NOW is Monday 1 March 2027, 09:00 in Paris; with the 24-hour notice the first slot is
# Tuesday 2 March at 09:00 (hours 09:00-12:00 and 14:00-18:00, Monday to Saturday).
FIRST = paris(2027, 3, 2, 9)
SECOND = paris(2027, 3, 2, 10)


@pytest.fixture
def cached(practitioner, frozen_clock):
    """The practitioner with their cached value computed at NOW."""
    practitioner_next_free_refresh(practitioner=practitioner)
    return practitioner


def cached_start(practitioner):
    return Practitioner.objects.get(pk=practitioner.pk).next_free_start


def booked(practitioner, client_user, start=FIRST):
    return appointment_book(
        practitioner=practitioner,
        service=practitioner.page.services.get(),
        start=start,
        client=client_user,
    )


def test_refresh_stores_the_first_free_slot_of_the_shortest_service(directory, frozen_clock):
    practitioner = bookable_practitioner_create(
        directory,
        services=[("Bilan", 120, "90.00", "cabinet"), ("Séance courte", 30, "40.00", "cabinet")],
    )
    # Tuesday morning is blocked until 11:30: only the 30-minute service fits before noon.
    blocked_range_create(
        practitioner=practitioner, start=paris(2027, 3, 2, 9), end=paris(2027, 3, 2, 11, 30)
    )
    assert practitioner_next_free_refresh(practitioner=practitioner) == paris(2027, 3, 2, 11, 30)
    fresh = Practitioner.objects.get(pk=practitioner.pk)
    assert fresh.next_free_start == paris(2027, 3, 2, 11, 30)
    assert fresh.next_free_refreshed_at == NOW


def test_a_practitioner_who_does_not_take_bookings_has_none(cached):
    Practitioner.objects.filter(pk=cached.pk).update(accepts_bookings=False)
    cached.refresh_from_db()
    assert practitioner_next_free_refresh(practitioner=cached) is None
    assert cached_start(cached) is None


def test_a_practitioner_without_hours_has_none(cached):
    cached.opening_hours.all().delete()
    assert practitioner_next_free_refresh(practitioner=cached) is None


def test_nothing_free_within_the_horizon_is_none(directory, frozen_clock):
    practitioner = bookable_practitioner_create(directory, horizon_days=1, min_notice_hours=48)
    # The notice ends after the horizon: nothing can be booked online.
    assert practitioner_next_free_refresh(practitioner=practitioner) is None


class TestWritesRefreshIt:
    def test_booking_by_the_practitioner(
        self, cached, practitioner_user, django_capture_on_commit_callbacks
    ):
        record = client_record_create(
            practitioner=cached,
            by=practitioner_user,
            first_name="Jo",
            last_name="Doe",
            phone="0600000000",
        )
        with django_capture_on_commit_callbacks(execute=True):
            appointment_book_for_client(
                practitioner=cached,
                service=cached.page.services.get(),
                start=FIRST,
                by=practitioner_user,
                client_record=record,
            )
        assert cached_start(cached) == SECOND

    def test_cancel_frees_it_again(self, cached, client_user, django_capture_on_commit_callbacks):
        appointment = booked(cached, client_user)
        practitioner_next_free_refresh(practitioner=cached)
        assert cached_start(cached) == SECOND
        with django_capture_on_commit_callbacks(execute=True):
            appointment_cancel(appointment=appointment, by=client_user, by_role="client")
        assert cached_start(cached) == FIRST

    def test_reschedule_moves_it(self, cached, client_user, django_capture_on_commit_callbacks):
        appointment = booked(cached, client_user)
        practitioner_next_free_refresh(practitioner=cached)
        with django_capture_on_commit_callbacks(execute=True):
            appointment_reschedule(appointment=appointment, start=SECOND, by=client_user)
        assert cached_start(cached) == FIRST

    def test_mark_schedules_a_refresh(
        self,
        cached,
        client_user,
        practitioner_user,
        frozen_clock,
        django_capture_on_commit_callbacks,
    ):
        appointment = booked(cached, client_user)
        frozen_clock.move_to(FIRST + timedelta(minutes=5))
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            appointment_mark(appointment=appointment, status="done", by=practitioner_user)
        assert callbacks
        # Marked at Tuesday 09:05: the 24-hour notice now starts Wednesday 09:05.
        assert cached_start(cached) == paris(2027, 3, 3, 9, 30)

    def test_weekly_hours(self, cached, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            opening_hours_replace(practitioner=cached, ranges=[(3, time(14), time(16))])
        assert cached_start(cached) == paris(2027, 3, 4, 14)  # Thursday

    def test_rules(self, cached, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            practitioner_rules_update(
                practitioner=cached,
                timezone="Europe/Paris",
                accepts_bookings=True,
                slot_step_minutes=30,
                buffer_minutes=0,
                min_notice_hours=48,
                horizon_days=60,
                cancellation_cutoff_hours=24,
                max_reschedules=2,
            )
        assert cached_start(cached) == paris(2027, 3, 3, 9)

    def test_day_off_and_its_removal(self, cached, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            day_off = day_off_add(practitioner=cached, day=date(2027, 3, 2))
        assert cached_start(cached) == paris(2027, 3, 3, 9)
        with django_capture_on_commit_callbacks(execute=True):
            day_off_remove(practitioner=cached, day_off_id=day_off.pk)
        assert cached_start(cached) == FIRST

    def test_special_hours(self, cached, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            special_hours_add(
                practitioner=cached, day=date(2027, 3, 2), start=time(16), end=time(17)
            )
        assert cached_start(cached) == paris(2027, 3, 2, 16)

    def test_blocked_range_and_its_removal(self, cached, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            blocked = blocked_range_create(
                practitioner=cached, start=FIRST, end=paris(2027, 3, 2, 12)
            )
        assert cached_start(cached) == paris(2027, 3, 2, 14)
        with django_capture_on_commit_callbacks(execute=True):
            blocked_range_remove(practitioner=cached, blocked_range_id=blocked.pk)
        assert cached_start(cached) == FIRST

    def test_suspension_and_resumption(
        self, cached, django_user_model, django_capture_on_commit_callbacks
    ):
        editor = django_user_model.objects.create_user(email="ed@example.com", password="x" * 12)
        with django_capture_on_commit_callbacks(execute=True):
            practitioner_booking_suspend(practitioner=cached, by=editor, reason="contrôle")
        assert cached_start(cached) is None
        with django_capture_on_commit_callbacks(execute=True):
            practitioner_booking_resume(practitioner=cached, by=editor)
        assert cached_start(cached) == FIRST

    def test_a_refused_change_leaves_it_alone(self, cached, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            opening_hours_replace(practitioner=cached, ranges=[(3, time(16), time(14))])
        assert cached_start(cached) == FIRST
        assert Practitioner.objects.get(pk=cached.pk).next_free_refreshed_at == NOW


class TestPeriodicPass:
    def test_computes_what_was_never_computed(self, practitioner, frozen_clock):
        assert cached_start(practitioner) is None
        assert next_free_slots_refresh() == 1
        assert cached_start(practitioner) == FIRST

    def test_leaves_fresh_values_alone(self, cached):
        assert next_free_slots_refresh() == 0

    def test_time_passing_moves_it(self, cached, frozen_clock):
        # Tuesday 10:30: the cached Tuesday 09:00 is in the past.
        frozen_clock.move_to(paris(2027, 3, 2, 10, 30))
        assert next_free_slots_refresh() == 1
        assert cached_start(cached) == paris(2027, 3, 3, 10, 30)

    def test_an_old_value_is_recomputed_even_if_still_ahead(self, cached, frozen_clock):
        frozen_clock.move_to(NOW + timedelta(hours=2))
        assert next_free_slots_refresh(stale_after=timedelta(hours=1)) == 1
        assert cached_start(cached) == paris(2027, 3, 2, 11)

    def test_management_command(self, practitioner, frozen_clock, capsys):
        call_command("next_free_slots_refresh")
        assert "1" in capsys.readouterr().out
        assert cached_start(practitioner) == FIRST
