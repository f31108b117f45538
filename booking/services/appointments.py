"""Writes on appointments: book (with the acceptance of the documents in force), cancel,
reschedule, mark.

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
    ChangeNotAllowed,
    OutsideBookingRules,
    SlotUnavailable,
)
from booking.models import (
    Appointment,
    AppointmentStatus,
    CancelledBy,
    Practitioner,
)
from booking.selectors import (
    appointment_change_refusal,
    is_practitioner_user,
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
    duration: timedelta | None = None
    try:
        with transaction.atomic():
            locked = _lock(practitioner)
            now = timezone.now()
            if not locked.takes_bookings or locked.page_id is None:
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
            _check_slot(practitioner=locked, start=start, duration=duration, now=now)
            buffer = timedelta(minutes=locked.buffer_minutes)
            appointment = Appointment.objects.create(
                practitioner=locked,
                client=client,
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


def _check_role(appointment: Appointment, by: User, by_role: str) -> None:
    """`by` must be who `by_role` says: the client, the practitioner's account or staff."""
    if by_role == CancelledBy.CLIENT:
        allowed = by is not None and by.pk is not None and by.pk == appointment.client_id
    elif by_role == CancelledBy.PRACTITIONER:
        allowed = is_practitioner_user(by, appointment.practitioner)
    elif by_role == CancelledBy.STAFF:
        allowed = by is not None and by.is_active and by.has_perm("booking.change_appointment")
    else:
        allowed = False
    if not allowed:
        raise ChangeNotAllowed(_("Ce rendez-vous n'est pas le vôtre."), code="not_yours")


def appointment_cancel(
    *, appointment: Appointment, by: User, reason: str = "", by_role: str
) -> Appointment:
    """Cancel an appointment; the client before the snapshot's cut-off, the practitioner (with
    a reason, sent to the client) or staff any time before the start. Frees the slot."""
    reason = (reason or "").strip()
    if by_role != CancelledBy.CLIENT and not reason:
        raise ChangeNotAllowed(
            _("Indiquez le motif de l'annulation : il est transmis au client."),
            code="reason_required",
        )
    with transaction.atomic():
        _lock(appointment.practitioner)
        current = Appointment.objects.select_related("practitioner").get(pk=appointment.pk)
        _check_role(current, by, by_role)
        now = timezone.now()
        if by_role == CancelledBy.STAFF:
            refusal = _staff_refusal(current, now)
        else:
            refusal = appointment_change_refusal(appointment=current, by=by, now=now)
        if refusal:
            raise ChangeNotAllowed(refusal)
        current.status = AppointmentStatus.CANCELLED
        current.cancelled_at = now
        current.cancelled_by = by_role
        current.cancellation_reason = reason
        current.sequence += 1
        current.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "cancellation_reason",
                "sequence",
                "updated_at",
            ]
        )
        transaction.on_commit(
            lambda: notifications.appointment_cancelled_notify(current.id), robust=True
        )
    return current


def _staff_refusal(appointment: Appointment, now: datetime) -> str | None:
    if appointment.status == AppointmentStatus.CANCELLED:
        return _("Ce rendez-vous est déjà annulé.")
    if appointment.status != AppointmentStatus.CONFIRMED or appointment.start <= now:
        return _("Ce rendez-vous a déjà commencé.")
    return None


def appointment_reschedule(*, appointment: Appointment, start: datetime, by: User) -> Appointment:
    """Move the client's appointment to another free slot; same reference, SEQUENCE + 1.

    Allowed to the client before the snapshot's cut-off and under its reschedule cap. The new
    slot is checked like a booking (same duration, current rules), ignoring the appointment's
    own current span; the reminder will be sent again for the new time.
    """
    duration = timedelta(minutes=appointment.duration_minutes)
    try:
        with transaction.atomic():
            locked = _lock(appointment.practitioner)
            current = Appointment.objects.select_for_update().get(pk=appointment.pk)
            current.practitioner = locked
            now = timezone.now()
            refusal = appointment_change_refusal(
                appointment=current, by=by, now=now, action="reschedule"
            )
            if refusal:
                raise ChangeNotAllowed(refusal)
            if not locked.takes_bookings:
                raise OutsideBookingRules(
                    _("Ce praticien ne prend pas de rendez-vous en ligne pour le moment."),
                    code="not_accepting_bookings",
                )
            start = _check_start(start, locked, now)
            if start == current.start:
                raise ChangeNotAllowed(
                    _("Le rendez-vous est déjà à cet horaire."), code="same_time"
                )
            duration = timedelta(minutes=current.duration_minutes)
            _check_slot(
                practitioner=locked,
                start=start,
                duration=duration,
                now=now,
                exclude_appointment_id=current.pk,
            )
            buffer = timedelta(minutes=locked.buffer_minutes)
            previous_start = current.start
            current.start = start
            current.end = start + duration
            current.blocked_start = start - buffer
            current.blocked_end = start + duration + buffer
            current.reschedule_count += 1
            current.sequence += 1
            current.reminder_sent_at = None
            current.save(
                update_fields=[
                    "start",
                    "end",
                    "blocked_start",
                    "blocked_end",
                    "reschedule_count",
                    "sequence",
                    "reminder_sent_at",
                    "updated_at",
                ]
            )
            transaction.on_commit(
                lambda: notifications.appointment_rescheduled_notify(
                    current.id, previous_start=previous_start
                ),
                # The appointment is committed: a failing e-mail is logged (and the outbox
                # retries delivery), it must not turn the client's booking into an error page.
                robust=True,
            )
    except SlotUnavailable as exc:
        exc.alternatives = _alternatives(
            practitioner_id=appointment.practitioner_id,
            duration=duration,
            around=start,
            exclude_appointment_id=appointment.pk,
        )
        raise
    except (IntegrityError, OperationalError) as exc:
        if not _is_conflict(exc):
            raise
        raise SlotUnavailable(
            alternatives=_alternatives(
                practitioner_id=appointment.practitioner_id,
                duration=duration,
                around=start,
                exclude_appointment_id=appointment.pk,
            )
        ) from exc
    return current


MARKABLE_STATUSES = (AppointmentStatus.DONE, AppointmentStatus.NO_SHOW)


def appointment_mark(*, appointment: Appointment, status: str, by: User) -> Appointment:
    """The practitioner records that an appointment took place or that the client did not come.

    Only once it has started, and not for a cancelled one; a mark may be corrected (done ↔
    no-show). The calendar event is unchanged, so no SEQUENCE bump and no e-mail.
    """
    if status not in MARKABLE_STATUSES:
        raise ChangeNotAllowed(_("Statut inconnu."), code="unknown_status")
    with transaction.atomic():
        current = (
            Appointment.objects.select_for_update()
            .select_related("practitioner")
            .get(pk=appointment.pk)
        )
        if not is_practitioner_user(by, current.practitioner):
            raise ChangeNotAllowed(_("Ce rendez-vous n'est pas le vôtre."), code="not_yours")
        if current.status == AppointmentStatus.CANCELLED:
            raise ChangeNotAllowed(_("Ce rendez-vous est annulé."), code="cancelled")
        if current.start > timezone.now():
            raise ChangeNotAllowed(_("Ce rendez-vous n'a pas encore commencé."), code="not_started")
        current.status = status
        current.save(update_fields=["status", "updated_at"])
    return current
