"""Invitations sent to practitioners (registered with the booking app by booking/models.py)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PractitionerInvitation(models.Model):
    """A single-use link that lets a practitioner create (or link) their account.

    Only the SHA-256 of the token is stored: a copy of the database cannot be turned into
    working links. Sending a new invitation withdraws the pending ones.
    """

    practitioner = models.ForeignKey(
        "booking.Practitioner",
        verbose_name=_("praticien"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("adresse e-mail"))
    token_digest = models.CharField(_("empreinte du jeton"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("envoyée le"))
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acceptée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation de praticien")
        verbose_name_plural = _("invitations de praticiens")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["practitioner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%Y-%m-%d})"

    def is_pending(self, now: datetime) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None and self.expires_at > now
