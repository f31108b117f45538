"""Booking an appointment (with the acceptance of the documents in force), online or by the
practitioner; the checks every change of an appointment shares (booking.services.changes) and
the one write path of everything that occupies time (slot_write, also the holds' path:
booking.services.holds).

Every booking-changing function locks the practitioner's row first (SELECT ... FOR UPDATE on
PostgreSQL; on SQLite the IMMEDIATE transaction mode already serialises writers), then checks
everything again from the database, then writes: two simultaneous requests for one slot queue
up on the lock and the second one sees the first one's appointment. The PostgreSQL exclusion
constraint (migration 0002) is the safety net behind it; its errors, like deadlocks and
serialisation failures, become the same clear SlotUnavailable. E-mails leave on commit. Slot
holds are in the same constraint; an expired one is removed under the lock before any write.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
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
    AppointmentStatus,
    ClientRecord,
    PaymentMethod,
    Practitioner,
)
from booking.payments.expiry import awaiting_payments_expire
from booking.payments.selectors import online_payment_required
from booking.selectors import (
    slot_alternatives,
    slots_for_duration,
)
from booking.services.availability import next_free_refresh_on_commit
from booking.slots import Slot
from cms.models import PractitionerPage, PractitionerService
from compliance.models import AcceptanceContext
from compliance.selectors import policy_versions_in_force
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


def _lock(practitioner: Practitioner, *, keep_hold_id: int | None = None) -> Practitioner:
    """The practitioner's row, fresh and locked until the end of the transaction, with their
    expired holds removed.

    An expired hold occupies no time for the slot engine, but the exclusion constraint cannot
    see the clock: every write that may need that time removes them first, under the lock
    (no sweep has to have run). `keep_hold_id`: the hold being confirmed, kept even if
    expired (its owner may still have it if nobody took the slot meanwhile).
    """
    locked = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
    now = timezone.now()
    expired = Appointment.objects.filter(
        practitioner=locked, status=AppointmentStatus.HELD, hold_expires_at__lte=now
    )
    if keep_hold_id is not None:
        expired = expired.exclude(pk=keep_hold_id)
    expired.delete()
    # An appointment whose payment did not come in time stays (its payment's record) but
    # leaves the slot.
    awaiting_payments_expire(practitioner_id=locked.pk, now=now)
    return locked


# What a write does once the practitioner is locked and the service and start are checked:
# (locked practitioner, service row, start in UTC, now) -> the row written.
SlotWriter = Callable[[Practitioner, PractitionerService, datetime, datetime], Appointment]


def slot_write(
    *,
    practitioner: Practitioner,
    service: PractitionerService,
    start: datetime,
    online: bool,
    write: SlotWriter,
    keep_hold_id: int | None = None,
) -> Appointment:
    """The one path of every row that occupies a practitioner's time (appointment or hold).

    Locks the practitioner (removing expired holds), reads everything again: the practitioner
    takes bookings (`online`), the service is one of their live page's, the start is in the
    horizon; then `write` checks the slot (_check_slot) and writes. A refusal of the slot, or
    a concurrent writer caught by the database, becomes SlotUnavailable with alternatives.
    """
    duration: timedelta | None = None
    try:
        with transaction.atomic():
            locked = _lock(practitioner, keep_hold_id=keep_hold_id)
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
            written = write(locked, row, start, now)
            next_free_refresh_on_commit(locked.pk)
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
    return written


def slot_fields(
    *, locked: Practitioner, row: PractitionerService, start: datetime
) -> dict[str, Any]:
    """What a row occupying the slot copies from the database: the service's name, duration,
    price and mode, its span widened by the buffer, the cancellation rules in force."""
    duration = timedelta(minutes=row.duration_minutes)
    buffer = timedelta(minutes=locked.buffer_minutes)
    return {
        "practitioner": locked,
        "service": row,
        "service_name": row.name,
        "duration_minutes": row.duration_minutes,
        "price": row.price,
        "mode": row.mode,
        "start": start,
        "end": start + duration,
        "blocked_start": start - buffer,
        "blocked_end": start + duration + buffer,
        "rules_snapshot": locked.cancellation_rules(),
    }


def slot_row_save(existing: Appointment | None, fields: dict[str, Any]) -> Appointment:
    """Write `fields` to `existing` (a hold taken again or confirmed keeps its row and
    reference), or create the row."""
    if existing is None:
        return Appointment.objects.create(**fields)
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.save()
    return existing


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
    hold: Appointment | None = None,
) -> Appointment:
    """The one place an appointment is written, under the practitioner's lock.

    `online`: the client books themselves (appointment_book): online booking must be open,
    the minimum notice applies and the client accepts the documents in force they have not
    accepted yet (the appointment points at every version in force). Otherwise the
    practitioner books for a client who called (booking.services.clients): the same slot
    check and the same database constraint keep it from overlapping anything.

    `hold`: the slot hold being confirmed (booking.services.holds.hold_confirm). Its own time
    does not count as taken, and its row becomes the appointment; a hold that is gone (expired
    and replaced, or swept) books the slot anew if it is still free.

    A service paid online (booking.payments.selectors.online_payment_required) is not
    confirmed here: the row becomes AWAITING_PAYMENT, keeps its slot for PAYMENT_HOLD_MINUTES
    and only the verified payment confirms it (booking.payments.services). Booking it without
    the funnel's hold (the API) is refused: there would be no page to pay on.
    """

    def write(
        locked: Practitioner, row: PractitionerService, at: datetime, now: datetime
    ) -> Appointment:
        own = None
        if hold is not None:
            own = (
                Appointment.objects.select_for_update()
                .filter(
                    pk=hold.pk,
                    practitioner=locked,
                    status=AppointmentStatus.HELD,
                    hold_key=hold.hold_key,
                )
                .first()
            )
        _check_slot(
            practitioner=locked,
            start=at,
            duration=timedelta(minutes=row.duration_minutes),
            now=now,
            exclude_appointment_id=own.pk if own is not None else None,
            ignore_notice=not online,
        )
        fields = {
            **slot_fields(locked=locked, row=row, start=at),
            "client": client,
            "client_record": client_record,
            "status": AppointmentStatus.CONFIRMED,
            "hold_expires_at": None,
            "hold_key": "",
        }
        paid_online = online and online_payment_required(practitioner=locked, service=row)
        if paid_online:
            if hold is None:
                raise OutsideBookingRules(
                    _(
                        "Cette prestation se règle en ligne à la réservation : réservez-la "
                        "depuis la fiche du praticien."
                    ),
                    code="payment_required",
                )
            fields |= {
                "status": AppointmentStatus.AWAITING_PAYMENT,
                "payment_method": PaymentMethod.ONLINE,
                "hold_expires_at": now + timedelta(minutes=settings.PAYMENT_HOLD_MINUTES),
                "hold_key": hold.hold_key,
            }
        appointment = slot_row_save(own, fields)
        if online and client is not None:
            policy_versions_accept_in_force(user=client, context=AcceptanceContext.BOOKING)
            appointment.accepted_versions.set(policy_versions_in_force().values())
        if not paid_online:
            transaction.on_commit(
                lambda: notifications.appointment_booked_notify(appointment.id), robust=True
            )
        return appointment

    return slot_write(
        practitioner=practitioner,
        service=service,
        start=start,
        online=online,
        write=write,
        keep_hold_id=hold.pk if hold is not None else None,
    )
