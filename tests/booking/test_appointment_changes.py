"""Cancel, reschedule and mark: who may, until when (by the appointment's own rules snapshot)."""

from datetime import datetime, timedelta

import pytest
import time_machine

from booking.exceptions import BookingError, ChangeNotAllowed, OutsideBookingRules, SlotUnavailable
from booking.models import Appointment, BlockedRange, Practitioner
from booking.selectors import appointment_change_refusal
from booking.services import (
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_reschedule,
    blocked_range_create,
    calendar_token_regenerate,
    practitioner_for_page,
)
from tests.booking.booking_helpers import NOW, paris, refused
from tests.factories import client_create

START = paris(2027, 3, 4, 10)  # Thursday, three days after NOW
CUTOFF_PASSED = "Le délai d'annulation (24 h avant le rendez-vous) est dépassé."
ONLY_THE_CLIENT_MOVES = "Seul le client peut déplacer ce rendez-vous ; vous pouvez l'annuler."


@pytest.fixture
def appointment(practitioner, client_user):
    with time_machine.travel(NOW, tick=False):
        return appointment_book(
            practitioner=practitioner,
            service=practitioner.page.services.get(),
            start=START,
            client=client_user,
        )


def at(moment):
    return time_machine.travel(moment, tick=False)


class TestCancel:
    def test_client_cancels_before_the_cutoff(self, appointment, client_user):
        with at(START - timedelta(hours=25)):
            cancelled = appointment_cancel(
                appointment=appointment, by=client_user, by_role="client"
            )

        cancelled.refresh_from_db()
        assert cancelled.status == "cancelled"
        assert cancelled.cancelled_by == "client"
        assert cancelled.cancelled_at == START - timedelta(hours=25)
        assert cancelled.sequence == appointment.sequence + 1

    def test_client_cannot_cancel_after_the_cutoff(self, appointment, client_user):
        with at(START - timedelta(hours=23)), pytest.raises(ChangeNotAllowed) as caught:
            appointment_cancel(appointment=appointment, by=client_user, by_role="client")

        assert caught.value.message == (
            "Le délai d'annulation (24 h avant le rendez-vous) est dépassé."
        )
        appointment.refresh_from_db()
        assert appointment.status == "confirmed"

    def test_cutoff_is_the_snapshot_not_todays_rules(self, appointment, practitioner, client_user):
        # After the booking, the practitioner relaxes the cut-off to 1 h: this appointment keeps
        # the 24 h accepted at booking; a new one gets 1 h.
        Practitioner.objects.filter(pk=practitioner.pk).update(cancellation_cutoff_hours=1)

        with at(START - timedelta(hours=5)):
            assert appointment_change_refusal(appointment=appointment, by=client_user) == (
                "Le délai d'annulation (24 h avant le rendez-vous) est dépassé."
            )
            with refused(ChangeNotAllowed, "change_not_allowed", CUTOFF_PASSED):
                appointment_cancel(appointment=appointment, by=client_user, by_role="client")

    def test_a_stricter_new_rule_does_not_apply_to_existing_appointments(
        self, appointment, practitioner, client_user
    ):
        Practitioner.objects.filter(pk=practitioner.pk).update(cancellation_cutoff_hours=72)

        with at(START - timedelta(hours=30)):
            appointment_cancel(appointment=appointment, by=client_user, by_role="client")

    def test_cancelling_twice_is_refused(self, appointment, client_user):
        with at(NOW):
            appointment_cancel(appointment=appointment, by=client_user, by_role="client")
            with pytest.raises(ChangeNotAllowed) as caught:
                appointment_cancel(appointment=appointment, by=client_user, by_role="client")
        assert caught.value.message == "Ce rendez-vous est déjà annulé."

    def test_another_client_cannot_cancel(self, appointment):
        stranger = client_create(email="intrus@example.com")
        with at(NOW), refused(ChangeNotAllowed, "not_yours"):
            appointment_cancel(appointment=appointment, by=stranger, by_role="client")
        with at(NOW), refused(ChangeNotAllowed, "not_yours"):
            appointment_cancel(
                appointment=appointment, by=stranger, by_role="practitioner", reason="x"
            )
        appointment.refresh_from_db()
        assert appointment.status == "confirmed"

    def test_practitioner_cancels_any_time_before_start_with_a_reason(
        self, appointment, practitioner_user
    ):
        with at(START - timedelta(hours=1)):
            with pytest.raises(ChangeNotAllowed) as caught:
                appointment_cancel(
                    appointment=appointment, by=practitioner_user, by_role="practitioner"
                )
            assert caught.value.code == "reason_required"
            appointment_cancel(
                appointment=appointment,
                by=practitioner_user,
                by_role="practitioner",
                reason="  Malade  ",
            )
        appointment.refresh_from_db()
        assert (appointment.status, appointment.cancelled_by) == ("cancelled", "practitioner")
        assert appointment.cancellation_reason == "Malade"

    def test_nobody_cancels_a_started_appointment(
        self, appointment, client_user, practitioner_user
    ):
        with at(START + timedelta(minutes=1)):
            assert appointment_change_refusal(appointment=appointment, by=client_user) == (
                "Ce rendez-vous a déjà commencé."
            )
            with refused(ChangeNotAllowed, "change_not_allowed", "Ce rendez-vous a déjà commencé."):
                appointment_cancel(
                    appointment=appointment,
                    by=practitioner_user,
                    by_role="practitioner",
                    reason="Trop tard",
                )

    def test_cancellation_frees_the_slot(self, appointment, practitioner, client_user):
        with at(NOW):
            appointment_cancel(appointment=appointment, by=client_user, by_role="client")
            again = appointment_book(
                practitioner=practitioner,
                service=practitioner.page.services.get(),
                start=START,
                client=client_create(email="autre@example.com"),
            )
        assert again.reference != appointment.reference


class TestReschedule:
    def test_reschedule_keeps_the_reference_and_raises_the_sequence(self, appointment, client_user):
        new_start = paris(2027, 3, 5, 14)
        with at(NOW):
            moved = appointment_reschedule(appointment=appointment, start=new_start, by=client_user)

        moved.refresh_from_db()
        assert moved.reference == appointment.reference
        assert moved.pk == appointment.pk
        assert (moved.start, moved.end) == (new_start, new_start + timedelta(hours=1))
        assert moved.sequence == appointment.sequence + 1
        assert moved.reschedule_count == 1
        assert Appointment.objects.count() == 1

    def test_reschedule_may_overlap_its_own_current_time(self, appointment, client_user):
        with at(NOW):
            moved = appointment_reschedule(
                appointment=appointment, start=START + timedelta(minutes=30), by=client_user
            )
        assert moved.start == START + timedelta(minutes=30)

    def test_reschedule_is_capped_by_the_snapshot(self, appointment, practitioner, client_user):
        Practitioner.objects.filter(pk=practitioner.pk).update(max_reschedules=10)
        with at(NOW):
            appointment_reschedule(
                appointment=appointment, start=paris(2027, 3, 5, 9), by=client_user
            )
            appointment_reschedule(
                appointment=appointment, start=paris(2027, 3, 5, 10), by=client_user
            )
            with pytest.raises(ChangeNotAllowed) as caught:
                appointment_reschedule(
                    appointment=appointment, start=paris(2027, 3, 5, 11), by=client_user
                )
        assert caught.value.message == (
            "Vous avez déjà déplacé ce rendez-vous 2 fois (maximum fixé par le praticien)."
        )
        appointment.refresh_from_db()
        assert appointment.start == paris(2027, 3, 5, 10)

    def test_reschedule_after_the_cutoff_is_refused(self, appointment, client_user):
        with (
            at(START - timedelta(hours=2)),
            refused(ChangeNotAllowed, "change_not_allowed", CUTOFF_PASSED),
        ):
            appointment_reschedule(
                appointment=appointment, start=paris(2027, 3, 10, 10), by=client_user
            )

    def test_reschedule_onto_a_taken_slot_is_refused(self, appointment, practitioner, client_user):
        with at(NOW):
            appointment_book(
                practitioner=practitioner,
                service=practitioner.page.services.get(),
                start=paris(2027, 3, 5, 10),
                client=client_create(email="autre@example.com"),
            )
            with refused(SlotUnavailable, "slot_unavailable") as caught:
                appointment_reschedule(
                    appointment=appointment, start=paris(2027, 3, 5, 10, 30), by=client_user
                )
        assert caught.value.alternatives
        appointment.refresh_from_db()
        assert (appointment.start, appointment.sequence) == (START, 0)

    def test_reschedule_outside_the_rules_is_refused(self, appointment, client_user):
        with at(NOW):
            naive = datetime(2027, 3, 5, 10)  # noqa: DTZ001 - naive on purpose
            for start, code in (
                (paris(2027, 3, 7, 10), "outside_rules"),  # a Sunday: closed
                (paris(2099, 1, 5, 10), "outside_horizon"),
                (naive, "naive_datetime"),
            ):
                with refused(OutsideBookingRules, code):
                    appointment_reschedule(appointment=appointment, start=start, by=client_user)
        appointment.refresh_from_db()
        assert appointment.reschedule_count == 0

    def test_practitioner_and_strangers_cannot_reschedule(self, appointment, practitioner_user):
        stranger = client_create(email="intrus@example.com")
        with at(NOW):
            for user, message in (
                (practitioner_user, ONLY_THE_CLIENT_MOVES),
                (stranger, "Ce rendez-vous n'est pas le vôtre."),
            ):
                with refused(ChangeNotAllowed, "change_not_allowed", message):
                    appointment_reschedule(
                        appointment=appointment, start=paris(2027, 3, 5, 10), by=user
                    )

    def test_reschedule_resets_the_reminder(self, appointment, client_user):
        Appointment.objects.filter(pk=appointment.pk).update(reminder_sent_at=NOW)
        with at(NOW):
            moved = appointment_reschedule(
                appointment=appointment, start=paris(2027, 3, 10, 10), by=client_user
            )
        assert moved.reminder_sent_at is None


class TestMark:
    def test_mark_done_only_after_the_start(self, appointment, practitioner_user):
        with at(START - timedelta(minutes=1)), refused(ChangeNotAllowed, "not_started"):
            appointment_mark(appointment=appointment, status="done", by=practitioner_user)
        with at(START + timedelta(minutes=5)):
            marked = appointment_mark(appointment=appointment, status="done", by=practitioner_user)
        assert marked.status == "done"
        with at(START + timedelta(days=1)):
            corrected = appointment_mark(
                appointment=appointment, status="no_show", by=practitioner_user
            )
        assert corrected.status == "no_show"

    def test_only_the_practitioner_marks(self, appointment, client_user):
        with at(START + timedelta(hours=2)), refused(ChangeNotAllowed, "not_yours"):
            appointment_mark(appointment=appointment, status="done", by=client_user)

    def test_mark_refuses_other_statuses_and_cancelled_appointments(
        self, appointment, practitioner_user, client_user
    ):
        with at(START + timedelta(hours=2)), refused(ChangeNotAllowed, "unknown_status"):
            appointment_mark(appointment=appointment, status="cancelled", by=practitioner_user)
        with at(NOW):
            appointment_cancel(appointment=appointment, by=client_user, by_role="client")
        with at(START + timedelta(hours=2)), refused(ChangeNotAllowed, "cancelled"):
            appointment_mark(appointment=appointment, status="done", by=practitioner_user)


class TestBlockedRange:
    def test_block_a_free_range(self, practitioner):
        blocked = blocked_range_create(
            practitioner=practitioner,
            start=paris(2027, 3, 4, 14),
            end=paris(2027, 3, 4, 18),
            reason="Formation",
        )
        assert BlockedRange.objects.get() == blocked

    def test_block_overlapping_an_appointment_is_refused(self, appointment, practitioner):
        with refused(BookingError, "overlaps_appointments") as caught:
            blocked_range_create(
                practitioner=practitioner, start=paris(2027, 3, 4, 9), end=paris(2027, 3, 4, 12)
            )
        assert "04/03/2027 10:00" in caught.value.message
        assert not BlockedRange.objects.exists()

    def test_invalid_ranges_are_refused(self, practitioner):
        for start, end, code in (
            (paris(2027, 3, 4, 14), paris(2027, 3, 4, 12), "end_before_start"),
            (datetime(2027, 3, 4, 14), datetime(2027, 3, 4, 16), "naive_datetime"),  # noqa: DTZ001
            (paris(2027, 3, 4, 14), paris(2029, 3, 4, 14), "too_long"),
        ):
            with refused(BookingError, code):
                blocked_range_create(practitioner=practitioner, start=start, end=end)
        assert not BlockedRange.objects.exists()


def test_calendar_token_regenerate_changes_the_secret(practitioner):
    old = practitioner.calendar_token
    new = calendar_token_regenerate(practitioner=practitioner)
    practitioner.refresh_from_db()
    assert practitioner.calendar_token == new != old
    assert len(new) >= 40


def test_practitioner_for_page_is_idempotent(directory):
    from tests.factories import practitioner_create

    page = practitioner_create(directory, title="Léa Petit")
    first = practitioner_for_page(page)
    assert practitioner_for_page(page) == first
    assert first.min_notice_hours == 24


def test_each_change_queues_its_notification_after_commit(
    practitioner, client_user, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    for name in ("booked", "cancelled", "rescheduled"):
        monkeypatch.setattr(
            f"booking.notifications.appointment_{name}_notify",
            lambda appointment_id, name=name, **_: sent.append((name, appointment_id)),
        )
    with at(NOW):
        with django_capture_on_commit_callbacks(execute=True):
            appointment = appointment_book(
                practitioner=practitioner,
                service=practitioner.page.services.get(),
                start=START,
                client=client_user,
            )
        with django_capture_on_commit_callbacks(execute=True):
            appointment_reschedule(
                appointment=appointment, start=paris(2027, 3, 5, 10), by=client_user
            )
        with django_capture_on_commit_callbacks(execute=True):
            appointment_cancel(appointment=appointment, by=client_user, by_role="client")
        with (
            django_capture_on_commit_callbacks(execute=True),
            refused(ChangeNotAllowed, "change_not_allowed", "Ce rendez-vous est déjà annulé."),
        ):
            appointment_cancel(appointment=appointment, by=client_user, by_role="client")

    assert sent == [
        ("booked", appointment.pk),
        ("rescheduled", appointment.pk),
        ("cancelled", appointment.pk),
    ]
