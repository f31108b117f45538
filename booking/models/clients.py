"""Clients a practitioner records by hand (a booking taken over the phone).

The record is the practitioner's: they are the controller of their clients' appointment data
(see the privacy rules), no other practitioner sees it, and it follows the retention of the
appointments it is attached to. Only what booking needs is collected: names and a way to reach
the client. Notes are deliberately absent: what a client tells a wellness practitioner easily
becomes health data, which the platform does not process.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from booking.models.practitioners import Practitioner


class ClientRecord(models.Model):
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="client_records"
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse e-mail (facultative)"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("fiche client")
        verbose_name_plural = _("fiches clients")
        indexes = [models.Index(fields=["practitioner", "last_name"])]

    def __str__(self) -> str:
        return self.get_full_name()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
