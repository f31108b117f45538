"""Database errors that mean "someone else got the slot" become SlotUnavailable, others do not."""

from django.db import IntegrityError, OperationalError

from booking.services.appointments import _is_conflict


class FakeDriverError(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def wrapped(django_error, sqlstate):
    error = django_error("driver error")
    error.__cause__ = FakeDriverError(sqlstate)
    return error


def test_exclusion_violation_deadlock_and_serialization_failure_are_conflicts():
    assert _is_conflict(wrapped(IntegrityError, "23P01"))
    assert _is_conflict(wrapped(OperationalError, "40P01"))
    assert _is_conflict(wrapped(OperationalError, "40001"))


def test_sqlite_busy_database_is_a_conflict():
    assert _is_conflict(OperationalError("database is locked"))


def test_other_database_errors_are_not_hidden():
    assert not _is_conflict(wrapped(IntegrityError, "23505"))  # unique violation: a real bug
    assert not _is_conflict(wrapped(OperationalError, "08006"))  # connection failure
    assert not _is_conflict(IntegrityError("NOT NULL constraint failed"))
