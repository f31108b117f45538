"""Policy versions and the consent ledger: append-only records, refused updates at the ORM level.

A version is what a reader accepted, so it can never change once written; an acceptance is
evidence, so it can never change either. Both models refuse `save()` on an existing row,
`delete()`, and the queryset's `update()` and `delete()`. The retention rules of a later issue
will delete expired acceptances through one explicit, audited path (see
`ImmutableQuerySet._purge`), never through the ordinary ORM calls.

Foreign keys that Django itself nulls when the target goes (page, revision, publisher) are
written by Django's deletion collector with a raw UPDATE: they keep the version readable when a
page or an editor account disappears, and change no evidence (kind, number, text, hash, PDF).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ImmutableRecordError(Exception):
    """Raised when code tries to modify or delete a record of the ledger."""


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError(
            f"{self.model._meta.verbose_name_plural} ne peuvent pas être modifiés."
        )

    def delete(self):
        raise ImmutableRecordError(
            f"{self.model._meta.verbose_name_plural} ne peuvent pas être supprimés."
        )

    # Not `update_or_create` / `bulk_update`: both end in update() or save() and fail there.
    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRecordError(
            f"{self.model._meta.verbose_name_plural} ne peuvent pas être modifiés."
        )

    def _purge(self) -> int:
        """Delete these rows for good: reserved to the retention service (audited), unused yet."""
        return models.QuerySet.delete(self)[0]


class ImmutableModel(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError(
                f"{self._meta.verbose_name} n°{self.pk} est immuable : "
                "enregistrez un nouvel élément au lieu de le modifier."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(
            f"{self._meta.verbose_name} n°{self.pk} ne peut pas être supprimé."
        )


class DocumentKind(models.TextChoices):
    # The values are the page models' `document_kind` (cms) and the API's names.
    PRIVACY = "privacy", _("politique de confidentialité")
    TERMS = "terms", _("conditions générales d'utilisation")


# Public URL prefix and PDF file name stem of each document, in French like the site.
# Keyed by the stored value (a DocumentKind is that str): rows and URLs give plain strings.
DOCUMENT_SLUGS: dict[str, str] = {
    DocumentKind.PRIVACY: "confidentialite",
    DocumentKind.TERMS: "cgu",
}
PDF_STEMS: dict[str, str] = {
    DocumentKind.PRIVACY: "politique-de-confidentialite",
    DocumentKind.TERMS: "conditions-generales-d-utilisation",
}


def _pdf_path(instance: PolicyVersion, filename: str) -> str:
    return f"politiques/{filename}"


class PolicyVersion(ImmutableModel):
    """One published version of the privacy policy or the terms, frozen at publication."""

    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    number = models.PositiveIntegerField(_("numéro"))
    title = models.CharField(_("titre"), max_length=255)
    effective_at = models.DateTimeField(_("entrée en vigueur"), db_index=True)
    summary = models.TextField(_("résumé des changements"), blank=True)
    is_material = models.BooleanField(_("changement important"), default=False)
    html = models.TextField(_("texte (HTML figé)"))
    sha256 = models.CharField(_("empreinte SHA-256 du texte"), max_length=64)
    pdf = models.FileField(_("PDF"), upload_to=_pdf_path, max_length=255)
    created_at = models.DateTimeField(_("publiée le"))
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("révision Wagtail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publiée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("version de document")
        verbose_name_plural = _("versions de documents")
        ordering = ["kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="policyversion_kind_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="policyversion_number_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.number}"

    def get_absolute_url(self) -> str:
        return f"/{self.slug}/versions/{self.number}/"

    @property
    def slug(self) -> str:
        return DOCUMENT_SLUGS[self.kind]

    @property
    def pdf_filename(self) -> str:
        return f"{PDF_STEMS[self.kind]}-v{self.number}.pdf"

    @property
    def pdf_url(self) -> str:
        return f"/{self.slug}/versions/{self.number}.pdf"


class AcceptanceContext(models.TextChoices):
    SIGNUP = "signup", _("inscription")
    BOOKING = "booking", _("réservation")
    REACCEPTANCE = "reacceptance", _("nouvelle acceptation")
    NEWSLETTER = "newsletter", _("lettre d'information")


class Acceptance(ImmutableModel):
    """Who accepted which version of which document, when, where, and what they were shown."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_acceptances",
    )
    # For consents given without an account (the newsletter), the address that consented.
    email = models.EmailField(_("adresse e-mail"), blank=True)
    version = models.ForeignKey(
        PolicyVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    accepted_at = models.DateTimeField(_("acceptée le"), db_index=True)
    context = models.CharField(_("contexte"), max_length=16, choices=AcceptanceContext.choices)
    wording = models.TextField(_("formulation montrée"))

    class Meta:
        verbose_name = _("acceptation")
        verbose_name_plural = _("acceptations")
        ordering = ["-accepted_at", "-pk"]
        constraints = [
            # Exactly one of user and email: evidence that names nobody is no evidence.
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(email=""))
                | (Q(user__isnull=True) & ~Q(email="")),
                name="acceptance_user_xor_email",
            ),
        ]
        indexes = [models.Index(fields=["user", "version"], name="acceptance_user_version")]

    def __str__(self) -> str:
        who = (self.user_id and f"utilisateur {self.user_id}") or self.email
        return f"{who} → {self.version} ({self.accepted_at:%Y-%m-%d %H:%M})"


class PolicyVersionNotice(models.Model):
    """The e-mail telling one account about one material version, queued once.

    Written in the same transaction as the e-mail's row in the outbox (emails.OutgoingEmail),
    which delivers it: either both exist or neither, so a task that crashes mid-batch and runs
    again never tells anyone twice, and the unique constraint stops two runs at the same time.
    Not evidence of anything the person did, so an ordinary model: it goes with the account.
    """

    version = models.ForeignKey(
        PolicyVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.CASCADE,
        related_name="policy_notices",
    )
    sent_at = models.DateTimeField(_("envoyée le"))

    class Meta:
        verbose_name = _("annonce d'une nouvelle version")
        verbose_name_plural = _("annonces de nouvelles versions")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="policyversionnotice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.version} → utilisateur {self.user_id}"
