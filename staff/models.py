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


class PractitionerCollection(models.Model):
    """The image collection of one practitioner page: where its account uploads and chooses.

    Keyed by the page, not by the account: the photos belong to the profile, so an account
    unlinked and another linked to the same page find the same images. Wagtail grants image
    permissions per collection and per group; the page's own group holds them
    (staff.services.practitioner_account_link), so unlinking takes them away with it.
    """

    page = models.OneToOneField(
        "cms.PractitionerPage",
        verbose_name=_("fiche praticien"),
        on_delete=models.CASCADE,
        related_name="image_collection",
    )
    # Wagtail refuses to delete a collection that still holds images or documents; an empty
    # one deleted by an editor takes this row along, and the next link creates a new one.
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        on_delete=models.CASCADE,
        related_name="practitioner_page",
    )

    class Meta:
        verbose_name = _("collection d'un praticien")
        verbose_name_plural = _("collections des praticiens")

    def __str__(self) -> str:
        return f"{self.page} → {self.collection}"
