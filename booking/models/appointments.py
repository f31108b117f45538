"""Appointments, their statuses and the log of staff looking at them.

All instants are aware datetimes (stored in UTC).
"""

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from booking.models.practitioners import Practitioner


class AppointmentStatus(models.TextChoices):
    # A slot chosen and kept for a few minutes while the visitor signs in and confirms: it
    # occupies its time until `hold_expires_at` (an expired hold occupies nothing).
    HELD = "held", _("créneau retenu")
    # Confirmed by the client, waiting for the online payment (booking.payments): it occupies
    # its time until `hold_expires_at`, pushed back for the payment; only the verified payment
    # (webhook or reconciliation) confirms it.
    AWAITING_PAYMENT = "awaiting_payment", _("en attente de paiement")
    # Not paid in time: the slot went back to others; the row stays for the payment's record.
    PAYMENT_EXPIRED = "payment_expired", _("paiement non abouti")
    CONFIRMED = "confirmed", _("confirmé")
    CANCELLED = "cancelled", _("annulé")
    DONE = "done", _("honoré")
    NO_SHOW = "no_show", _("absence")


# Appointments that occupy their time: a cancelled one frees it, the others keep it (a past
# appointment marked done or no-show still happened at that time). A hold occupies its time
# too, until it expires (booking.selectors.slots); it is not an appointment yet.
ACTIVE_STATUSES = (AppointmentStatus.CONFIRMED, AppointmentStatus.DONE, AppointmentStatus.NO_SHOW)
# Rows that keep a slot for a while (until `hold_expires_at`) without being appointments yet.
PENDING_STATUSES = (AppointmentStatus.HELD, AppointmentStatus.AWAITING_PAYMENT)
# Rows lists of appointments never show: pending ones and payments that never came.
NOT_APPOINTMENT_STATUSES = (*PENDING_STATUSES, AppointmentStatus.PAYMENT_EXPIRED)

# Unambiguous characters for the short reference people read out on the phone (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def appointment_code_new() -> str:
    """A short readable reference, e.g. "K7QM-3RXA" (31**8: collisions are retried on save)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


class CancelledBy(models.TextChoices):
    CLIENT = "client", _("le client")
    PRACTITIONER = "practitioner", _("le praticien")
    STAFF = "staff", _("l'équipe de la plateforme")


class PaymentMethod(models.TextChoices):
    ON_SITE = "on_site", _("sur place, le jour du rendez-vous")
    ONLINE = "online", _("en ligne, à la réservation")


class Appointment(models.Model):
    """A booked appointment. Its data is the practitioner's (the platform is their processor).

    The service, its price and the cancellation rules are copied at booking time: disputes are
    settled by what the client saw and accepted, not by today's settings. `reference` is the
    public identifier (URLs, e-mails, the calendar UID); it never changes, reschedules included.
    """

    reference = models.UUIDField(_("référence"), default=uuid.uuid4, unique=True, editable=False)
    # What people read (pages, e-mails, the calendar summary); `reference` stays internal.
    code = models.CharField(
        _("numéro de réservation"),
        max_length=9,
        unique=True,
        default=appointment_code_new,
        editable=False,
    )
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="appointments"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("client"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="appointments",
    )
    # An appointment the practitioner booked for someone without an account (by phone).
    client_record = models.ForeignKey(
        "booking.ClientRecord",
        verbose_name=_("fiche client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    service = models.ForeignKey(
        "cms.PractitionerService",
        verbose_name=_("prestation"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    service_name = models.CharField(_("prestation"), max_length=120)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    price = models.DecimalField(_("prix (€)"), max_digits=8, decimal_places=2)
    mode = models.CharField(_("mode"), max_length=10)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    # The span the appointment keeps from others: its time widened by the practitioner's buffer.
    # The PostgreSQL exclusion constraint (migration 0002) forbids two active overlapping spans.
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.CONFIRMED,
    )
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    cancelled_by = models.CharField(
        _("annulé par"), max_length=12, choices=CancelledBy.choices, blank=True
    )
    cancellation_reason = models.TextField(_("motif d'annulation"), blank=True)
    rules_snapshot = models.JSONField(_("règles d'annulation au moment de la réservation"))
    reschedule_count = models.PositiveSmallIntegerField(_("nombre de reports"), default=0)
    # iCalendar SEQUENCE: raised on every change so calendar apps update the event.
    sequence = models.PositiveIntegerField(default=0)
    payment_method = models.CharField(
        _("paiement"), max_length=12, choices=PaymentMethod.choices, default=PaymentMethod.ON_SITE
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # A hold (status HELD): until when it keeps the slot, and the secret of the browser that
    # chose it (kept in its session), so that a visitor without an account yet owns it.
    hold_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    hold_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The documents in force that the client had accepted when the appointment was booked
    # (each acceptance is recorded once in the ledger; the appointment points at the versions).
    accepted_versions = models.ManyToManyField(
        "compliance.PolicyVersion",
        verbose_name=_("versions acceptées"),
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("réservé le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        indexes = [
            models.Index(fields=["practitioner", "start"], name="appointment_practitioner_start"),
            models.Index(fields=["client", "start"], name="appointment_client_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="appointment_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=F("start")) & Q(blocked_end__gte=F("end")),
                name="appointment_blocked_span_covers_it",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_name} — {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def contact(self) -> Any:
        """Who the appointment is for: the client's account, or the practitioner's record of a
        client without one (both have first_name, last_name, email, phone, get_full_name)."""
        return self.client if self.client_id else self.client_record


class AppointmentAccessLog(models.Model):
    """Each time a staff member opens an appointment: its data is the practitioner's."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="access_logs"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    accessed_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=40)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("accès à un rendez-vous")
        verbose_name_plural = _("accès aux rendez-vous")

    def __str__(self) -> str:
        return f"{self.user} — {self.action} — {self.accessed_at:%Y-%m-%d %H:%M}"
