"""Online payments (Stripe Connect, direct charges): the practitioner's connected account, one
payment per appointment paid online, its refunds, the webhook events received, and the log of
staff opening the payments register.

Only ids, amounts, currency, states and timestamps: never card data, not even the last digits,
and nothing Stripe would need to know about the client or the consultation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from booking.models.appointments import Appointment
from booking.models.practitioners import Practitioner


class PaymentAccountState(models.TextChoices):
    NOT_CONNECTED = "not_connected", _("non connecté")
    PENDING = "pending", _("vérification en cours")
    ENABLED = "enabled", _("paiements activés")


class PaymentAccount(models.Model):
    """The practitioner's own Stripe account: they are the merchant, the platform never holds
    their money. Its state is read from Stripe (account.updated, or on return from onboarding)."""

    practitioner = models.OneToOneField(
        Practitioner, on_delete=models.CASCADE, related_name="payment_account"
    )
    stripe_account_id = models.CharField(_("compte Stripe"), max_length=64, unique=True)
    charges_enabled = models.BooleanField(_("paiements activés"), default=False)
    details_submitted = models.BooleanField(_("informations transmises"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("compte de paiement")
        verbose_name_plural = _("comptes de paiement")

    def __str__(self) -> str:
        return self.stripe_account_id

    @property
    def state(self) -> str:
        if self.charges_enabled:
            return PaymentAccountState.ENABLED
        return PaymentAccountState.PENDING


class PaymentStatus(models.TextChoices):
    # Mirrors the PaymentIntent's state as last read from Stripe (never from the browser).
    PENDING = "pending", _("en attente")
    SUCCEEDED = "succeeded", _("payé")
    CANCELED = "canceled", _("abandonné")
    REFUNDED = "refunded", _("remboursé")
    PARTIALLY_REFUNDED = "partially_refunded", _("remboursé en partie")


class Payment(models.Model):
    """The online payment of one appointment: one PaymentIntent on the practitioner's account.

    One per appointment (a retry after a declined card reuses the same intent); it follows the
    appointment's retention and is part of the client's data export.
    """

    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, related_name="payment"
    )
    stripe_account_id = models.CharField(max_length=64)
    payment_intent_id = models.CharField(max_length=64, unique=True)
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    application_fee_cents = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="eur")
    status = models.CharField(
        _("statut"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    refunded_cents = models.PositiveIntegerField(_("remboursé (centimes)"), default=0)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    succeeded_at = models.DateTimeField(_("payé le"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")

    def __str__(self) -> str:
        return f"{self.payment_intent_id} ({self.amount_cents / 100:.2f} €)"

    @property
    def refundable_cents(self) -> int:
        if self.status not in (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED):
            return 0
        return self.amount_cents - self.refunded_cents


class RefundReason(models.TextChoices):
    CLIENT_CANCELLED = "client_cancelled", _("annulation par le client avant la limite")
    PRACTITIONER_CANCELLED = "practitioner_cancelled", _("annulation par le praticien")
    STAFF = "staff", _("décision de l'équipe de la plateforme")
    SLOT_LOST = "slot_lost", _("paiement reçu après la fin de la réservation du créneau")


class PaymentRefund(models.Model):
    """One refund decision, made once: `decision_key` is unique and is the Stripe idempotency
    key, so retries of the same decision never refund twice."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    decision_key = models.CharField(max_length=120, unique=True)
    stripe_refund_id = models.CharField(max_length=64, blank=True)
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    reason = models.CharField(_("motif"), max_length=30, choices=RefundReason.choices)
    note = models.TextField(_("précision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("décidé le"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")

    def __str__(self) -> str:
        return f"{self.amount_cents / 100:.2f} € ({self.get_reason_display()})"


class PaymentEvent(models.Model):
    """A verified webhook event, stored once by its Stripe id: a second delivery of the same
    event (or ten at once) finds the row and changes nothing. Only the id and type are kept."""

    stripe_event_id = models.CharField(max_length=80, unique=True)
    type = models.CharField(max_length=80)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("événement Stripe")
        verbose_name_plural = _("événements Stripe")

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_event_id}"


class PaymentAccessLog(models.Model):
    """Each time a staff member opens the payments register or a payment in it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    payment = models.ForeignKey(
        Payment, on_delete=models.CASCADE, null=True, blank=True, related_name="access_logs"
    )
    action = models.CharField(max_length=40)
    accessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("accès au registre des paiements")
        verbose_name_plural = _("accès au registre des paiements")

    def __str__(self) -> str:
        return f"{self.user} — {self.action} — {self.accessed_at:%Y-%m-%d %H:%M}"
