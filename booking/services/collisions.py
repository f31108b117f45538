"""What a closure (a day off, a blocked range) does to the appointments it covers.

A closure over booked clients must never leave them silently booked on a closed day: the
practitioner either cancels them (each client gets the cancellation e-mail with the reason) or
keeps them, explicitly, having seen the list. Without that choice the closure is refused with the
list, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from django.utils import timezone

from booking.exceptions import BookingError
from booking.models import Appointment, AppointmentStatus, CancelledBy, Practitioner
from booking.services.changes import appointment_cancel

if TYPE_CHECKING:
    from accounts.models import User


class Collisions(StrEnum):
    """What to do with the appointments a closure covers."""

    REFUSE = "refuse"  # the closure is refused, with the list (the default)
    CANCEL = "cancel"  # cancel them, the clients told with the reason
    KEEP = "keep"  # close around them: they stay booked


class AppointmentsCollide(BookingError):
    """The closure covers appointments and no choice (or a choice made on another list) was
    given; `appointments` are the practitioner's appointments concerned, soonest first."""

    code = "overlaps_appointments"

    def __init__(self, message: str, *, appointments: list[Appointment]) -> None:
        super().__init__(message)
        self.appointments = appointments


def colliding_appointments(
    *, practitioner: Practitioner, start: datetime, end: datetime, now: datetime
) -> list[Appointment]:
    """The practitioner's confirmed appointments not yet started that overlap [start, end).

    One already started (or over) is not listed: it cannot be cancelled any more and nobody is
    left to warn; it stays in the agenda as it is.
    """
    return list(
        Appointment.objects.filter(
            practitioner=practitioner,
            status=AppointmentStatus.CONFIRMED,
            start__gt=now,
            start__lt=end,
            end__gt=start,
        )
        .select_related("client", "client_record", "service")
        .order_by("start")
    )


def collisions_settle(
    *,
    clashes: list[Appointment],
    choice: Collisions,
    seen: Collection[UUID] | None,
    cancel_reason: str,
    by: User | None,
    refusal: str,
) -> None:
    """Apply the practitioner's choice to `clashes`, inside the caller's transaction.

    `seen` are the references of the appointments the practitioner was shown when choosing:
    a choice made on another list (an appointment booked meanwhile) is asked again, so that
    nobody is cancelled, or kept, unseen. None skips that check (callers that are not a form).
    Raises AppointmentsCollide with `refusal` when the choice is missing or stale; a
    cancellation refused (ChangeNotAllowed) rolls the whole closure back.
    """
    if not clashes:
        return
    stale = seen is not None and set(seen) != {a.reference for a in clashes}
    if choice == Collisions.REFUSE or stale:
        raise AppointmentsCollide(refusal, appointments=clashes)
    if choice == Collisions.CANCEL:
        for appointment in clashes:
            appointment_cancel(
                appointment=appointment,
                by=by,  # type: ignore[arg-type]  # None is refused by the role check
                reason=cancel_reason,
                by_role=CancelledBy.PRACTITIONER,
            )


def closure_collisions_settle(
    *,
    practitioner: Practitioner,
    start: datetime,
    end: datetime,
    choice: Collisions,
    seen: Collection[UUID] | None,
    cancel_reason: str,
    by: User | None,
    refusal: str,
) -> None:
    """What a closure over [start, end) does to the appointments it covers (day off and blocked
    range alike); `refusal` names them through %(list)s (their dates and times)."""
    clashes = colliding_appointments(
        practitioner=practitioner, start=start, end=end, now=timezone.now()
    )
    listed = ", ".join(f"{a.start.astimezone(practitioner.tz):%d/%m/%Y %H:%M}" for a in clashes)
    collisions_settle(
        clashes=clashes,
        choice=choice,
        seen=seen,
        cancel_reason=cancel_reason,
        by=by,
        refusal=refusal % {"list": listed},
    )
