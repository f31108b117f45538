"""Booking an appointment (with the acceptance of the documents in force), online or by the
practitioner; the checks every change of an appointment shares (booking.services.changes).

Every booking-changing function locks the practitioner's row first (SELECT ... FOR UPDATE on
PostgreSQL; on SQLite the IMMEDIATE transaction mode already serialises writers), then checks
everything again from the database, then writes: two simultaneous requests for one slot queue
up on the lock and the second one sees the first one's appointment. The PostgreSQL exclusion
constraint (migration 0002) is the safety net behind it; its errors, like deadlocks and
serialisation failures, become the same clear SlotUnavailable. E-mails leave on commit.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from booking import notifications
from booking.exceptions import (
    OutsideBookingRules,
    SlotUnavailable,
)
from booking.models import (
    Appointment,
    ClientRecord,
    Practitioner,
)
from booking.selectors import (
    slot_alternatives,
    slots_for_duration,
)
from booking.slots import Slot
from cms.models import PractitionerPage, PractitionerService
from compliance.models import AcceptanceContext
from compliance.services import policy_versions_accept_in_force

# PostgreSQL error codes that mean "someone else got there first": exclusion violation,
# deadlock, serialisation failure.
CONFLICT_SQLSTATES = {"23P01", "40P01", "40001"}


def practitioner_for_page(page: PractitionerPage) -> Practitioner:
    """The booking side of a practitioner page, created with the default rules if missing."""
    practitioner, _created = Practitioner.objects.get_or_create(page=page)
    return practitioner


def _is_conflict(exc: Exception) -> bool:
    """Whether a database error means a concurrent booking won (see CONFLICT_SQLSTATES)."""
    if getattr(exc.__cause__, "sqlstate", None) in CONFLICT_SQLSTATES:
        return True
    # SQLite: a writer that waited longer than the busy timeout.
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def _check_start(start: datetime, practitioner: Practitioner, now: datetime) -> datetime:
    """`start` in UTC, refused early when naive or far outside the horizon (no overflow later)."""
    if not isinstance(start, datetime) or timezone.is_naive(start):
        raise OutsideBookingRules(
            _("L'horaire demandé est invalide (fuseau horaire manquant)."), code="naive_datetime"
        )
    start = start.astimezone(UTC)
    if start <= now or start > now + timedelta(days=practitioner.horizon_days + 1):
        raise OutsideBookingRules(
            _("Cet horaire n'est pas proposé à la réservation."), code="outside_horizon"
        )
    return start


def _check_slot(
    *,
    practitioner: Practitioner,
    start: datetime,
    duration: timedelta,
    now: datetime,
    exclude_appointment_id: int | None = None,
    ignore_notice: bool = False,
) -> None:
    """Raise unless [start, start + duration) is a free slot right now (call inside the lock)."""
    local_day = start.astimezone(practitioner.tz).date()
    wanted = Slot(start, start + duration)

    def offered(*, ignore_busy: bool) -> list[Slot]:
        return slots_for_duration(
            practitioner=practitioner,
            duration=duration,
            first_day=local_day,
            last_day=local_day,
            now=now,
            exclude_appointment_id=exclude_appointment_id,
            ignore_busy=ignore_busy,
            ignore_notice=ignore_notice,
        )

    if wanted in offered(ignore_busy=False):
        return
    if wanted in offered(ignore_busy=True):
        # Offered by the rules, but something now occupies it.
        raise SlotUnavailable()
    raise OutsideBookingRules(
        _(
            "Cet horaire n'est pas proposé à la réservation (heures d'ouverture, délai minimum "
            "ou horizon de réservation)."
        ),
        code="outside_rules",
    )


def _alternatives(
    *,
    practitioner_id: int,
    duration: timedelta,
    around: datetime,
    exclude_appointment_id: int | None = None,
) -> list[Slot]:
    """What to offer instead of `around`, read after the failed attempt (outside the lock)."""
    return slot_alternatives(
        practitioner=Practitioner.objects.get(pk=practitioner_id),
        duration=duration,
        around=around,
        exclude_appointment_id=exclude_appointment_id,
    )


def _lock(practitioner: Practitioner) -> Practitioner:
    """The practitioner's row, fresh and locked until the end of the transaction."""
    return Practitioner.objects.select_for_update().get(pk=practitioner.pk)


def appointment_book(
    *,
    practitioner: Practitioner,
    service: PractitionerService,
    start: datetime,
    client: User,
) -> Appointment:
    """Book `service` at `start` for `client`; raises a BookingError and changes nothing if not.

    Everything is read again inside the lock: the practitioner takes bookings, the service is
    one of their live page's, the slot is one the rules offer and nobody holds. The name,
    duration, price and mode are copied from the database row (never from a form), with the
    cancellation rules in force (the snapshot disputes are settled by).

    The client's acceptance of the terms and privacy policy in force is recorded in the ledger
    in the same transaction, whoever calls this (page, API, payment webhook, admin): an
    appointment without the acceptance it was booked under would be unenforceable, an
    acceptance without the booking meaningless.
    """
    return appointment_create(
        practitioner=practitioner, service=service, start=start, client=client, online=True
    )


def appointment_create(
    *,
    practitioner: Practitioner,
    service: PractitionerService,
    start: datetime,
    client: User | None = None,
    client_record: ClientRecord | None = None,
    online: bool,
) -> Appointment:
    """The one place an appointment row is written, under the practitioner's lock.

    `online`: the client books themselves (appointment_book): online booking must be open,
    the minimum notice applies and the client accepts the documents in force. Otherwise the
    practitioner books for a client who called (booking.services.clients): the same slot
    check and the same database constraint keep it from overlapping anything.
    """
    duration: timedelta | None = None
    try:
        with transaction.atomic():
            locked = _lock(practitioner)
            now = timezone.now()
            if locked.page_id is None or (online and not locked.takes_bookings):
                raise OutsideBookingRules(
                    _("Ce praticien ne prend pas de rendez-vous en ligne pour le moment."),
                    code="not_accepting_bookings",
                )
            row = (
                PractitionerService.objects.filter(
                    pk=getattr(service, "pk", None), page_id=locked.page_id, page__live=True
                )
                .select_related("page")
                .first()
            )
            if row is None:
                raise OutsideBookingRules(
                    _("Cette prestation n'est pas proposée par ce praticien."),
                    code="unknown_service",
                )
            start = _check_start(start, locked, now)
            duration = timedelta(minutes=row.duration_minutes)
            _check_slot(
                practitioner=locked,
                start=start,
                duration=duration,
                now=now,
                ignore_notice=not online,
            )
            buffer = timedelta(minutes=locked.buffer_minutes)
            appointment = Appointment.objects.create(
                practitioner=locked,
                client=client,
                client_record=client_record,
                service=row,
                service_name=row.name,
                duration_minutes=row.duration_minutes,
                price=row.price,
                mode=row.mode,
                start=start,
                end=start + duration,
                blocked_start=start - buffer,
                blocked_end=start + duration + buffer,
                rules_snapshot=locked.cancellation_rules(),
            )
            if online and client is not None:
                policy_versions_accept_in_force(user=client, context=AcceptanceContext.BOOKING)
            transaction.on_commit(
                lambda: notifications.appointment_booked_notify(appointment.id), robust=True
            )
    except SlotUnavailable as exc:
        # Raised by _check_slot, once the service row's duration is known.
        exc.alternatives = _alternatives(
            practitioner_id=practitioner.pk,
            duration=duration or timedelta(minutes=service.duration_minutes),
            around=start,
        )
        raise
    except (IntegrityError, OperationalError) as exc:
        if not _is_conflict(exc):
            raise
        # A conflict may even surface at the lock, before the service was read.
        duration = duration or timedelta(minutes=service.duration_minutes)
        around = start if timezone.is_aware(start) else timezone.now()
        raise SlotUnavailable(
            alternatives=_alternatives(
                practitioner_id=practitioner.pk, duration=duration, around=around
            )
        ) from exc
    return appointment
