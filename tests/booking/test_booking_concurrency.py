"""A slot can never be booked twice, even by simultaneous requests (real threads).

Each thread has its own database connection (Django's connections are per thread) and all of
them start together behind a barrier. On PostgreSQL the booking service locks the
practitioner's row; the exclusion constraint is the safety net, tested here without the service.
"""

import importlib
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

from booking.exceptions import OutsideBookingRules, SlotUnavailable
from booking.models import Appointment
from booking.services import appointment_book, opening_hours_replace, slot_hold
from tests.booking.booking_helpers import paris
from tests.factories import bookable_practitioner_create, client_create, site_tree_create

ATTEMPTS = 32
# The exclusion constraint's name, as the migration that adds it spells it.
NO_OVERLAP = importlib.import_module("booking.migrations.0002_appointment_no_overlap").CONSTRAINT

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the row lock and the exclusion constraint under real concurrency are PostgreSQL's; "
    "SQLite serialises writers with IMMEDIATE transactions (tested sequentially elsewhere)",
)


pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture(autouse=True)
def notified(monkeypatch):
    """The appointments whose confirmation was queued (e-mails themselves are tested elsewhere).

    Transactional tests really commit, so on_commit callbacks run: one per winner, none for
    the refused attempts.
    """
    ids = []
    lock = threading.Lock()

    def record(appointment_id):
        with lock:
            ids.append(appointment_id)

    monkeypatch.setattr("booking.notifications.appointment_booked_notify", record)
    return ids


# serialized_rollback=True on the threaded tests: the flush after a transactional test would
# otherwise also delete what the migrations created (Wagtail's root page, languages...).
@pytest.fixture
def directory_tx(transactional_db):
    return site_tree_create()["directory"]


def race(practitioner, service, starts, clients):
    """Run appointment_book once per (start, client) pair, all at the same moment.

    Returns (appointments, SlotUnavailable errors, any other exceptions).
    """
    barrier = threading.Barrier(len(starts))
    lock = threading.Lock()
    booked, refused, other = [], [], []

    def attempt(start, client):
        try:
            barrier.wait()
            appointment = appointment_book(
                practitioner=practitioner, service=service, start=start, client=client
            )
            with lock:
                booked.append(appointment)
        except SlotUnavailable as exc:
            with lock:
                refused.append(exc)
        except Exception as exc:  # any other error fails the test below
            with lock:
                other.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(start, client))
        for start, client in zip(starts, clients, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return booked, refused, other


@pytest.fixture
def clients(transactional_db):
    return [client_create(email=f"client{n}@example.com") for n in range(ATTEMPTS)]


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_bookings_of_one_slot_give_exactly_one_appointment(
    directory_tx, clients, notified
):
    practitioner = bookable_practitioner_create(directory_tx)
    service = practitioner.page.services.get()

    for start in (paris(2027, 3, 2, 10), paris(2027, 3, 3, 14), paris(2027, 3, 4, 9, 30)):
        booked, refused, other = race(practitioner, service, [start] * ATTEMPTS, clients)

        assert other == []
        assert len(booked) == 1
        assert len(refused) == ATTEMPTS - 1
        assert all(exc.alternatives for exc in refused)
        assert all(slot.start != start for exc in refused for slot in exc.alternatives)
        assert Appointment.objects.filter(start=start, status="confirmed").count() == 1
    assert sorted(notified) == sorted(Appointment.objects.values_list("pk", flat=True))


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_overlapping_unequal_slots_give_one_appointment(directory_tx, clients):
    practitioner = bookable_practitioner_create(directory_tx)
    service = practitioner.page.services.get()
    half = ATTEMPTS // 2

    for day in (2, 3, 4):
        starts = [paris(2027, 3, day, 10)] * half + [paris(2027, 3, day, 10, 30)] * half
        booked, refused, other = race(practitioner, service, starts, clients)

        assert other == []
        assert len(booked) == 1
        assert len(refused) == ATTEMPTS - 1
        assert all(exc.alternatives for exc in refused)


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_slots_conflicting_through_the_buffer_give_one_appointment(
    directory_tx, clients
):
    practitioner = bookable_practitioner_create(directory_tx, buffer_minutes=15)
    service = practitioner.page.services.get()
    half = ATTEMPTS // 2

    for day in (2, 3, 4):
        starts = [paris(2027, 3, day, 10)] * half + [paris(2027, 3, day, 11)] * half
        booked, refused, other = race(practitioner, service, starts, clients)

        assert other == []
        assert len(booked) == 1
        assert len(refused) == ATTEMPTS - 1


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_back_to_back_slots_are_both_accepted(directory_tx, clients):
    practitioner = bookable_practitioner_create(directory_tx)
    service = practitioner.page.services.get()

    booked, refused, other = race(
        practitioner, service, [paris(2027, 3, 2, 10), paris(2027, 3, 2, 11)], clients[:2]
    )

    assert other == [] and refused == []
    assert sorted(a.start for a in booked) == [paris(2027, 3, 2, 10), paris(2027, 3, 2, 11)]


def raw_appointment(practitioner, start, *, status="confirmed", buffer=timedelta(0)):
    return Appointment.objects.create(
        practitioner=practitioner,
        service_name="Première consultation",
        duration_minutes=60,
        price="70.00",
        mode="cabinet",
        start=start,
        end=start + timedelta(minutes=60),
        blocked_start=start - buffer,
        blocked_end=start + timedelta(minutes=60) + buffer,
        status=status,
        rules_snapshot={},
    )


@postgresql_only
def test_exclusion_constraint_refuses_an_overlap_written_without_the_service(directory):
    practitioner = bookable_practitioner_create(directory)
    raw_appointment(practitioner, datetime(2027, 3, 2, 9, 0, tzinfo=UTC))

    with pytest.raises(IntegrityError, match=NO_OVERLAP), transaction.atomic():
        raw_appointment(practitioner, datetime(2027, 3, 2, 9, 30, tzinfo=UTC))
    # Through the buffer too: 10:00 is free, but not with 15 minutes around it.
    with pytest.raises(IntegrityError, match=NO_OVERLAP), transaction.atomic():
        raw_appointment(
            practitioner, datetime(2027, 3, 2, 10, 0, tzinfo=UTC), buffer=timedelta(minutes=15)
        )
    raw_appointment(practitioner, datetime(2027, 3, 2, 10, 0, tzinfo=UTC))  # back-to-back
    assert Appointment.objects.count() == 2


@postgresql_only
def test_exclusion_constraint_ignores_cancelled_appointments(directory):
    practitioner = bookable_practitioner_create(directory)
    start = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
    raw_appointment(practitioner, start, status="cancelled")

    raw_appointment(practitioner, start)
    raw_appointment(practitioner, start, status="cancelled")
    assert Appointment.objects.filter(status="confirmed").count() == 1


@postgresql_only
def test_other_practitioners_do_not_conflict(directory):
    first = bookable_practitioner_create(directory)
    second = bookable_practitioner_create(directory, title="Jean Dubois")
    start = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)

    raw_appointment(first, start)
    raw_appointment(second, start)
    assert Appointment.objects.count() == 2


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_lock_the_constraint_still_gives_clear_answers(
    directory_tx, clients, monkeypatch
):
    """The safety net alone: exclusion violations and deadlocks become SlotUnavailable."""
    from booking.services import appointments as services

    monkeypatch.setattr(services, "_lock", lambda practitioner, **_: practitioner)
    practitioner = bookable_practitioner_create(directory_tx)
    service = practitioner.page.services.get()

    for start in (paris(2027, 3, 2, 10), paris(2027, 3, 3, 10)):
        booked, refused, other = race(practitioner, service, [start] * ATTEMPTS, clients)

        assert other == []
        assert len(booked) == 1
        assert len(refused) == ATTEMPTS - 1


def backend_waits_on_a_lock(pid: int) -> bool:
    """Whether PostgreSQL backend `pid` is waiting for a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_booking_waits_while_the_practitioner_changes_their_hours(directory_tx, clients):
    """The row lock makes a booking queue behind a change of the hours, before it reads them.

    The practitioner's transaction closes every weekly range and stays open; a client books a
    slot of those hours meanwhile. The booking must wait (seen in pg_stat_activity), then read
    the new hours and be refused. Without the lock it reads the old hours (the change is not
    committed yet), queues only at its insert (the foreign key's check of the practitioner's
    row) and then books a slot the practitioner has just closed: this test fails.
    """
    practitioner = bookable_practitioner_create(directory_tx)
    service = practitioner.page.services.get()
    start = paris(2027, 3, 2, 10)
    hours_changed, commit_hours = threading.Event(), threading.Event()
    booking_pid: list[int] = []
    outcome: list[object] = []

    def practitioner_closes_the_week():
        try:
            with transaction.atomic():
                opening_hours_replace(practitioner=practitioner, ranges=[])
                hours_changed.set()
                commit_hours.wait(timeout=30)
        finally:
            connections.close_all()

    def client_books():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                booking_pid.append(cursor.fetchone()[0])
            hours_changed.wait(timeout=30)
            outcome.append(
                appointment_book(
                    practitioner=practitioner, service=service, start=start, client=clients[0]
                )
            )
        except Exception as exc:
            outcome.append(exc)
        finally:
            connections.close_all()

    change = threading.Thread(target=practitioner_closes_the_week)
    booking = threading.Thread(target=client_books)
    change.start()
    booking.start()
    try:
        assert hours_changed.wait(timeout=30)
        # Polled, not slept on: the booking's backend reports a lock wait as soon as it queues.
        waiting = False
        for _ in range(3000):
            waiting = bool(booking_pid) and backend_waits_on_a_lock(booking_pid[0])
            if waiting or outcome:
                break
            threading.Event().wait(0.01)
        assert waiting, f"the booking did not wait for the practitioner's row lock: {outcome}"
        assert outcome == []
    finally:
        commit_hours.set()
        change.join(timeout=30)
        booking.join(timeout=30)

    (refusal,) = outcome
    assert isinstance(refusal, OutsideBookingRules)
    assert refusal.code == "outside_rules"
    assert not Appointment.objects.exists()


# --- Holds: in the same constraint, under the same lock -----------------------------------------


def race_calls(calls):
    """Run each callable at the same moment in its own thread; (results, refusals, other)."""
    barrier = threading.Barrier(len(calls))
    lock = threading.Lock()
    results, refused, other = [], [], []

    def attempt(call):
        try:
            barrier.wait()
            result = call()
            with lock:
                results.append(result)
        except SlotUnavailable as exc:
            with lock:
                refused.append(exc)
        except Exception as exc:  # any other error fails the test below
            with lock:
                other.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, refused, other


def holding(practitioner, service, start, key):
    return lambda: slot_hold(practitioner=practitioner, service=service, start=start, hold_key=key)


def booking(practitioner, service, start, client):
    return lambda: appointment_book(
        practitioner=practitioner, service=service, start=start, client=client
    )


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_holds_of_one_slot_give_exactly_one_hold(directory_tx):
    practitioner = bookable_practitioner_create(directory_tx)
    service = practitioner.page.services.get()
    start = paris(2027, 3, 2, 10)

    held, refused, other = race_calls(
        [holding(practitioner, service, start, f"browser-{n}") for n in range(ATTEMPTS)]
    )

    assert other == []
    assert len(held) == 1 and len(refused) == ATTEMPTS - 1
    assert all(exc.alternatives for exc in refused)
    assert list(Appointment.objects.values_list("status", "hold_key")) == [
        ("held", held[0].hold_key)
    ]


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_holds_and_bookings_of_one_slot_give_one_winner(directory_tx, clients):
    practitioner = bookable_practitioner_create(directory_tx)
    service = practitioner.page.services.get()
    half = ATTEMPTS // 2

    for day in (2, 3, 4):
        start = paris(2027, 3, day, 10)
        calls = [holding(practitioner, service, start, f"b-{day}-{n}") for n in range(half)] + [
            booking(practitioner, service, start, client) for client in clients[:half]
        ]

        won, refused, other = race_calls(calls)

        assert other == []
        assert len(won) == 1 and len(refused) == ATTEMPTS - 1
        assert Appointment.objects.filter(start=start).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_expired_hold_gives_way_to_exactly_one_new_hold(directory_tx, frozen_clock):
    practitioner = bookable_practitioner_create(directory_tx)
    service = practitioner.page.services.get()
    start = paris(2027, 3, 2, 10)
    expired = holding(practitioner, service, start, "first-browser")()
    frozen_clock.shift(timedelta(minutes=11))

    held, refused, other = race_calls(
        [holding(practitioner, service, start, f"browser-{n}") for n in range(ATTEMPTS)]
    )

    assert other == []
    assert len(held) == 1 and len(refused) == ATTEMPTS - 1
    [row] = Appointment.objects.all()
    assert row.pk != expired.pk and row.hold_key == held[0].hold_key


@postgresql_only
def test_exclusion_constraint_covers_holds(directory):
    practitioner = bookable_practitioner_create(directory)
    raw_appointment(practitioner, datetime(2027, 3, 2, 9, 0, tzinfo=UTC), status="held")

    with pytest.raises(IntegrityError, match=NO_OVERLAP), transaction.atomic():
        raw_appointment(practitioner, datetime(2027, 3, 2, 9, 30, tzinfo=UTC))
    with pytest.raises(IntegrityError, match=NO_OVERLAP), transaction.atomic():
        raw_appointment(practitioner, datetime(2027, 3, 2, 9, 30, tzinfo=UTC), status="held")
