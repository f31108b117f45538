"""Changes to a booked appointment: cancel (with its refund), reschedule, mark done or
no-show, and a staff refund.

Same discipline as booking (booking.services.appointments): lock the practitioner's row, check
everything again from the database, write; e-mails and Stripe calls leave on commit.

Refunds follow the rules snapshotted at booking (issue 11): the client cancelling before the
cut-off (the only time they may) and the practitioner cancelling get back everything still
paid; staff refund fully or partly. Each is one decision of booking.payments.refunds, recorded
in the cancellation's own transaction: a cancellation rolled back refunds nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.models import User
from booking import notifications
from booking.exceptions import ChangeNotAllowed, OutsideBookingRules, SlotUnavailable
from booking.models import (
    Appointment,
    AppointmentStatus,
    CancelledBy,
    Payment,
    PaymentRefund,
    RefundReason,
)
from booking.payments.refunds import payment_refund_decide
from booking.selectors import (
    appointment_change_refusal,
    is_clients_appointment,
    is_practitioner_user,
)
from booking.services.appointments import (
    _alternatives,
    _check_slot,
    _check_start,
    _is_conflict,
    _lock,
)
from booking.services.availability import next_free_refresh_on_commit


def _check_role(appointment: Appointment, by: User, by_role: str) -> None:
    """`by` must be who `by_role` says: the client, the practitioner's account or staff."""
    if by_role == CancelledBy.CLIENT:
        allowed = is_clients_appointment(appointment, by)
    elif by_role == CancelledBy.PRACTITIONER:
        allowed = is_practitioner_user(by, appointment.practitioner)
    elif by_role == CancelledBy.STAFF:
        allowed = by is not None and by.is_active and by.has_perm("booking.change_appointment")
    else:
        allowed = False
    if not allowed:
        raise ChangeNotAllowed(_("Ce rendez-vous n'est pas le vôtre."), code="not_yours")


# The wagtail log action of a staff refund (booking.payments.admin formats it).
ACTION_PAYMENT_REFUND = "booking.payment_refund"
REFUND_PERMISSION = "booking.change_payment"

_CANCEL_REFUND_REASONS: dict[str, str] = {
    CancelledBy.CLIENT: RefundReason.CLIENT_CANCELLED,
    CancelledBy.PRACTITIONER: RefundReason.PRACTITIONER_CANCELLED,
    CancelledBy.STAFF: RefundReason.STAFF,
}


def appointment_cancel(
    *,
    appointment: Appointment,
    by: User,
    reason: str = "",
    by_role: str,
    refund_cents: int | None = None,
) -> Appointment:
    """Cancel an appointment; the client before the snapshot's cut-off, the practitioner (with
    a reason, sent to the client) or staff any time before the start. Frees the slot.

    A payment made online is refunded in full (what is left of it); staff alone may give
    `refund_cents`, a smaller amount (0: nothing refunded).
    """
    reason = (reason or "").strip()
    if refund_cents is not None and by_role != CancelledBy.STAFF:
        raise ValueError("Only staff choose the amount refunded on a cancellation.")
    if refund_cents is not None and refund_cents < 0:
        raise ChangeNotAllowed(_("Le montant à rembourser ne peut pas être négatif."))
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
        _cancellation_refund(current, by=by, by_role=by_role, note=reason, amount=refund_cents)
        transaction.on_commit(
            lambda: notifications.appointment_cancelled_notify(current.id), robust=True
        )
        next_free_refresh_on_commit(current.practitioner_id)
    return current


def _cancellation_refund(
    appointment: Appointment, *, by: User, by_role: str, note: str, amount: int | None
) -> PaymentRefund | None:
    """The refund a cancellation owes (inside its transaction), or None when nothing is due:
    no online payment, nothing left to refund, or staff chose 0."""
    payment = Payment.objects.filter(appointment_id=appointment.pk).first()
    if payment is None or payment.refundable_cents == 0:
        return None
    amount = payment.refundable_cents if amount is None else amount
    if amount == 0:
        return None
    refund_reason = _CANCEL_REFUND_REASONS[by_role]
    # Raises RefundRefused (a BookingError) past what is left: the cancellation rolls back.
    return payment_refund_decide(
        payment=payment,
        amount_cents=amount,
        reason=refund_reason,
        decision_key=f"{refund_reason}:{appointment.pk}",
        decided_by=by,
        note=note,
    )


def appointment_refund(
    *, appointment: Appointment, by: User, amount_cents: int, note: str, decision_id: UUID
) -> PaymentRefund:
    """A staff decision to refund `amount_cents` of the appointment's online payment, with a
    reason (required, kept with the refund and in the admin's history).

    `decision_id` is carried by the form that asked: the same submission retried (a double
    click, a resent request) finds its decision and refunds nothing more.
    """
    note = (note or "").strip()
    if not note:
        raise ChangeNotAllowed(_("Indiquez le motif du remboursement."), code="reason_required")
    if by is None or not by.is_active or not by.has_perm(REFUND_PERMISSION):
        raise ChangeNotAllowed(_("Vous ne pouvez pas rembourser ce paiement."), code="not_yours")
    with transaction.atomic():
        # Locked first so that two deliveries of one submission log one decision only.
        payment = Payment.objects.select_for_update().filter(appointment_id=appointment.pk).first()
        if payment is None:
            raise ChangeNotAllowed(
                _("Ce rendez-vous n'a pas été payé en ligne."), code="no_payment"
            )
        decision_key = f"{RefundReason.STAFF}:{payment.pk}:{decision_id}"
        existing = PaymentRefund.objects.filter(decision_key=decision_key).first()
        if existing is not None:
            return existing
        refund = payment_refund_decide(
            payment=payment,
            amount_cents=amount_cents,
            reason=RefundReason.STAFF,
            decision_key=decision_key,
            decided_by=by,
            note=note,
        )
        log(
            instance=payment,
            action=ACTION_PAYMENT_REFUND,
            user=by,
            data={"amount_cents": refund.amount_cents, "note": note, "refund": refund.pk},
        )
    return refund


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
            next_free_refresh_on_commit(locked.pk)
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
        next_free_refresh_on_commit(current.practitioner_id)
    return current
