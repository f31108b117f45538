"""The e-mails of the booking journey: confirmation, notice, reminder, cancellation, reschedule,
and those of online payment: a refund, a payment that came after its slot was lost.

booking.services calls the *_notify functions inside transaction.on_commit with an
appointment id: the appointment is read again here, so an e-mail always describes what was
committed. Each e-mail goes through emails.services.email_send (stored in the outbox, then
delivered by a task) with an .ics attachment built by booking.ics: METHOD:PUBLISH for what is
booked or moved, METHOD:CANCEL (naming the recipient) for a cancellation.

Privacy: the practitioner is the controller of appointment data. The client's name, e-mail and
phone go to the practitioner's own account address and nowhere else; when a practitioner page
has no account, their notice is skipped (logged) rather than sent to the operator.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import dateformat, timezone, translation

from booking.ics import (
    METHOD_CANCEL,
    METHOD_PUBLISH,
    appointment_ics,
    appointment_location,
    client_name,
    practitioner_name,
)
from booking.models import Appointment, AppointmentStatus, CancelledBy, PaymentRefund, RefundReason
from booking.templatetags.booking_payments import (
    appointment_payment,
    cents_display,
    payment_summary,
)
from core.links import absolute_reverse, absolute_url
from emails.services import email_send
from staff.models import PractitionerAccount

logger = logging.getLogger(__name__)

REMINDER_LEAD = timedelta(hours=24)

# "mardi 12 janvier 2027 à 10 h 00" / "Tuesday 12 January 2027 at 10:00". Kept here rather
# than in the catalogue: a date format is code, and a translator's typo would break it.
_WHEN_FORMATS = {"fr": "l j F Y à G \\h i", "en": "l j F Y \\a\\t H:i"}


def _recipient_language(user) -> str:
    # No stored language preference exists yet: every booking e-mail goes out in the site's
    # language. This is the one place to change when accounts gain one.
    return settings.LANGUAGE_CODE


def when_display(value: datetime, *, tz, language: str) -> str:
    """An instant as a person reads it, in the practitioner's time zone and the given language."""
    with translation.override(language):
        return dateformat.format(value.astimezone(tz), _WHEN_FORMATS.get(language, "r"))


def _appointment_get(appointment_id: int) -> Appointment | None:
    appointment = (
        Appointment.objects.select_related(
            "practitioner__page", "client", "client_record", "payment"
        )
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        logger.warning("Appointment %s vanished before its e-mail was sent.", appointment_id)
    return appointment


def _practitioner_user(appointment: Appointment):
    """The account of the practitioner (staff.PractitionerAccount), or None."""
    page_id = appointment.practitioner.page_id
    if page_id is None:
        return None
    account = PractitionerAccount.objects.select_related("user").filter(page_id=page_id).first()
    if account is None or not account.user.is_active or not account.user.email:
        return None
    return account.user


def _client_links(appointment: Appointment) -> dict:
    return {
        "appointments_url": absolute_reverse("booking:my_appointments"),
        "cancel_url": absolute_reverse("booking:cancel", appointment.reference),
        "reschedule_url": absolute_reverse("booking:reschedule", appointment.reference),
    }


def _change_still_allowed(appointment: Appointment, now: datetime) -> bool:
    """Whether the snapshot's cut-off still lets the client cancel or reschedule online."""
    hours = appointment.rules_snapshot.get("cancellation_cutoff_hours", 0)
    return now < appointment.start - timedelta(hours=hours)


def _context(appointment: Appointment, *, language: str, recipient, for_practitioner: bool) -> dict:
    practitioner = appointment.practitioner
    page = practitioner.page
    with translation.override(language):
        location = appointment_location(appointment, for_practitioner=for_practitioner)
    return {
        "user": recipient,
        "for_practitioner": for_practitioner,
        "appointment": appointment,
        "code": appointment.code,
        "practitioner_name": practitioner_name(practitioner),
        "practitioner_url": page.full_url if page is not None and page.live else "",
        "client_name": client_name(appointment),
        "client": appointment.contact,
        "when": when_display(appointment.start, tz=practitioner.tz, language=language),
        "timezone": practitioner.timezone,
        "show_timezone": practitioner.timezone != settings.TIME_ZONE,
        "duration_minutes": appointment.duration_minutes,
        "price": appointment.price,
        "mode": appointment.mode,
        "location": location,
        "cutoff_hours": appointment.rules_snapshot.get("cancellation_cutoff_hours", 0),
        "change_allowed": _change_still_allowed(appointment, timezone.now()),
        "agenda_url": absolute_reverse("practitioner:agenda"),
        # Paid online: the amount taken (by the practitioner, the merchant) and refunded.
        "paid": payment_summary(appointment_payment(appointment)),
        **_client_links(appointment),
    }


def _ics_attachment(
    appointment: Appointment, *, method: str, for_practitioner: bool, language, recipient
):
    # A CANCEL names the one whose calendar it updates: the recipient of this e-mail.
    name = practitioner_name(appointment.practitioner) if for_practitioner else ""
    attendee = (name or recipient.get_full_name() or recipient.email, recipient.email)
    content = appointment_ics(
        appointment,
        method=method,
        for_practitioner=for_practitioner,
        language=language,
        attendee=attendee,
    )
    filename = "annulation.ics" if method == METHOD_CANCEL else "rendez-vous.ics"
    return [(filename, content, "text/calendar")]


# A client the practitioner recorded by hand has no account: no "my appointments" page, no online
# cancel or reschedule. They get their own confirmation (with an invitation to create an account)
# and reminder, and the cancellation; a reschedule needs an account, which then gets its e-mail.
_RECORD_TEMPLATES = {
    "booking/confirmation_client": "booking/confirmation_phone",
    "booking/reminder": "booking/reminder_phone",
    "booking/cancellation": "booking/cancellation",
}


def _send_to_client(
    appointment: Appointment, *, template: str, method: str | None, **extra
) -> bool:
    """The e-mail to the client, with the event (method None: no calendar file)."""
    client = appointment.contact
    if client is None or not client.email:
        logger.info("Appointment %s has no client address: %s not sent.", appointment.pk, template)
        return False
    if appointment.client_id is None:
        if template not in _RECORD_TEMPLATES:
            return False
        template = _RECORD_TEMPLATES[template]
        extra = {"signup_url": absolute_reverse("accounts:signup"), **extra}
    language = _recipient_language(client)
    email_send(
        to=client.email,
        template=template,
        context={
            **_context(appointment, language=language, recipient=client, for_practitioner=False),
            **extra,
        },
        language=language,
        attachments=(
            _ics_attachment(
                appointment,
                method=method,
                for_practitioner=False,
                language=language,
                recipient=client,
            )
            if method
            else None
        ),
    )
    return True


def _send_to_practitioner(appointment: Appointment, *, template: str, method: str, **extra) -> bool:
    user = _practitioner_user(appointment)
    if user is None:
        # Never fall back to the operator's address: the client's data is the practitioner's.
        logger.warning(
            "Practitioner %s has no account: %s for appointment %s not sent.",
            appointment.practitioner_id,
            template,
            appointment.pk,
        )
        return False
    language = _recipient_language(user)
    email_send(
        to=user.email,
        template=template,
        context={
            **_context(appointment, language=language, recipient=user, for_practitioner=True),
            **extra,
        },
        language=language,
        attachments=_ics_attachment(
            appointment,
            method=method,
            for_practitioner=True,
            language=language,
            recipient=user,
        ),
    )
    return True


def appointment_booked_notify(appointment_id: int) -> None:
    """Confirmation to the client and notice to the practitioner, each with the event."""
    appointment = _appointment_get(appointment_id)
    if appointment is None:
        return
    with transaction.atomic():
        _send_to_client(appointment, template="booking/confirmation_client", method=METHOD_PUBLISH)
        _send_to_practitioner(
            appointment, template="booking/notice_practitioner", method=METHOD_PUBLISH
        )


def appointment_cancelled_notify(appointment_id: int) -> None:
    """The cancellation to both parties: a notice to the other one, a confirmation to the author.

    When the practitioner (or the platform's staff) cancels, the client's e-mail carries the
    reason given. Both carry METHOD:CANCEL with the event's UID, so calendars drop it.
    """
    appointment = _appointment_get(appointment_id)
    if appointment is None:
        return
    if appointment.status != AppointmentStatus.CANCELLED:
        logger.warning("Appointment %s is not cancelled: no cancellation sent.", appointment.pk)
        return
    by = appointment.cancelled_by
    with transaction.atomic():
        _send_to_client(
            appointment,
            template="booking/cancellation",
            method=METHOD_CANCEL,
            by_recipient=by == CancelledBy.CLIENT,
            by_staff=by == CancelledBy.STAFF,
            reason=appointment.cancellation_reason,
        )
        _send_to_practitioner(
            appointment,
            template="booking/cancellation",
            method=METHOD_CANCEL,
            by_recipient=by == CancelledBy.PRACTITIONER,
            by_staff=by == CancelledBy.STAFF,
            reason=appointment.cancellation_reason,
        )


def appointment_rescheduled_notify(
    appointment_id: int, *, previous_start: datetime | None = None
) -> None:
    """The new time to both parties (same UID, higher SEQUENCE); the old one when known."""
    appointment = _appointment_get(appointment_id)
    if appointment is None:
        return
    tz = appointment.practitioner.tz
    with transaction.atomic():
        for send, language in (
            (_send_to_client, _recipient_language(appointment.client)),
            (_send_to_practitioner, settings.LANGUAGE_CODE),
        ):
            previous = (
                when_display(previous_start, tz=tz, language=language) if previous_start else ""
            )
            send(
                appointment,
                template="booking/reschedule",
                method=METHOD_PUBLISH,
                previous_when=previous,
            )


def payment_refunded_notify(refund_id: int) -> None:
    """The refund to the client: how much, why, and what is refunded in all so far.

    Called on commit by booking.payments.refunds for every decision; a refund because the slot
    was lost is told by payment_slot_lost_notify instead (one e-mail, not two).
    """
    refund = PaymentRefund.objects.select_related("payment").filter(pk=refund_id).first()
    if refund is None:
        logger.warning("Refund %s vanished before its e-mail was sent.", refund_id)
        return
    if refund.reason == RefundReason.SLOT_LOST:
        return
    appointment = _appointment_get(refund.payment.appointment_id)
    if appointment is None:
        return
    currency = refund.payment.currency
    with transaction.atomic():
        _send_to_client(
            appointment,
            template="booking/refund",
            method=None,
            refund=refund,
            refund_amount=cents_display(refund.amount_cents, currency),
            refund_reason=refund.get_reason_display(),
            # Only staff write a note for the client; a cancellation's reason is in its e-mail.
            refund_note=refund.note if refund.reason == RefundReason.STAFF else "",
        )


def payment_slot_lost_notify(appointment_id: int) -> None:
    """The payment came after the held slot went to someone else: refunded in full, and where
    to choose another slot with the same practitioner."""
    appointment = _appointment_get(appointment_id)
    if appointment is None:
        return
    page, service = appointment.practitioner.page, appointment.service
    if page is not None and page.live and service is not None and service.page_id == page.pk:
        slots_url = absolute_reverse("booking:slot_choose", page.pk, service.pk)
    elif page is not None and page.live:
        slots_url = page.full_url
    else:
        # The profile is gone: the directory (cms.models.directory, always at /praticiens/).
        slots_url = absolute_url("/praticiens/")
    with transaction.atomic():
        _send_to_client(
            appointment, template="booking/payment_slot_lost", method=None, slots_url=slots_url
        )


def appointments_due_reminder(*, now: datetime | None = None):
    """Confirmed appointments starting within the next 24 hours whose reminder is not sent."""
    now = now or timezone.now()
    return Appointment.objects.filter(
        status=AppointmentStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        start__gt=now,
        start__lte=now + REMINDER_LEAD,
    ).order_by("start", "pk")


def appointment_reminders_send(*, now: datetime | None = None) -> int:
    """Send the reminders due now; returns how many were sent. Run every 15 minutes.

    One appointment per transaction: it is locked with SKIP LOCKED (PostgreSQL), marked and its
    e-mail stored in the outbox in the same transaction, so two workers running at once never
    send the same reminder twice, and a crash leaves either both or neither.
    """
    now = now or timezone.now()
    sent = 0
    failed: set[int] = set()
    while True:
        with transaction.atomic():
            appointment = (
                appointments_due_reminder(now=now)
                .exclude(pk__in=failed)
                .select_for_update(skip_locked=True, of=("self",))
                .first()
            )
            if appointment is None:
                return sent
            try:
                with transaction.atomic():
                    appointment.reminder_sent_at = timezone.now()
                    appointment.save(update_fields=["reminder_sent_at"])
                    # Re-read with its relations: select_for_update(of=self) locks only it.
                    # None when the row was deleted meanwhile (an erasure): nothing to send.
                    fresh = _appointment_get(appointment.pk)
                    if fresh is None or not _send_to_client(
                        fresh, template="booking/reminder", method=METHOD_PUBLISH
                    ):
                        continue
            except Exception:
                # One broken appointment must not block the others (nor loop forever).
                logger.exception("Reminder for appointment %s failed.", appointment.pk)
                failed.add(appointment.pk)
                continue
        sent += 1
