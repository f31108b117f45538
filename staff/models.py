from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PractitionerAccount(models.Model):
    """The account that may edit one practitioner page.

    A model of its own rather than a field on the page: copies, revisions and drafts of the page
    never carry it, so copying a profile cannot hand it to its author's account.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="practitioner_account",
    )
    page = models.OneToOneField(
        "cms.PractitionerPage",
        verbose_name=_("fiche praticien"),
        on_delete=models.CASCADE,
        related_name="account",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("compte praticien")
        verbose_name_plural = _("comptes praticiens")

    def __str__(self) -> str:
        return f"{self.user} → {self.page}"
