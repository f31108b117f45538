from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

LEGAL_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


def _today():
    return timezone.localdate()


class BaseLegalPage(Page):
    """A page of legal text with the date it was last updated, shown to readers."""

    updated_on = models.DateField(_("mis à jour le"), default=_today)
    body = RichTextField(_("texte"), features=LEGAL_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("updated_on"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True


class LegalPage(BaseLegalPage):
    """The legal notice (mentions légales) and any other legal text that is not versioned."""

    template = "cms/legal_page.html"

    class Meta:
        verbose_name = _("page légale")
        verbose_name_plural = _("pages légales")


class VersionedDocumentPageForm(WagtailAdminPageForm):
    """Once a document has been published, every new publication must say what changed."""

    def clean(self):
        cleaned_data = super().clean()
        # first_published_at is set by the first publication: the form of a page that was
        # never published may leave the summary empty (version 1 is "the" document).
        if (
            self.instance.first_published_at
            and not (cleaned_data.get("change_summary") or "").strip()
        ):
            self.add_error(
                "change_summary",
                _("Résumez ce qui change : la nouvelle version sera publiée avec ce résumé."),
            )
        return cleaned_data


class VersionedDocumentPage(Page):
    """A document whose every publication becomes a numbered, immutable version.

    The page holds the text being edited; the versions themselves (snapshot, hash, PDF) and the
    acceptances are kept by the compliance app, which listens to publication. The page template
    shows the version in force, not this live body: a version published with a future
    effective date is not in force yet.
    """

    # Which document this page is, as the compliance app names it ("privacy", "terms").
    document_kind = ""

    body = RichTextField(_("texte"), features=LEGAL_FEATURES)
    effective_at = models.DateTimeField(
        _("entrée en vigueur"),
        null=True,
        blank=True,
        help_text=_(
            "Vide : dès la publication. Une date passée, ou antérieure à l'entrée en vigueur de "
            "la version précédente, est remplacée par la plus tardive des deux."
        ),
    )
    change_summary = models.TextField(
        _("résumé des changements"),
        blank=True,
        help_text=_(
            "Montré aux lecteurs dans la liste des versions. Obligatoire dès la deuxième "
            "version ; un changement de la publication précédente se décrit à nouveau."
        ),
    )
    is_material_change = models.BooleanField(
        _("changement important"),
        default=False,
        help_text=_(
            "Cochez si les utilisateurs connectés doivent accepter cette version avant de "
            "continuer (nouvelle finalité, nouveau destinataire...). Une simple correction "
            "n'affiche qu'un bandeau d'information."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("effective_at"),
                FieldPanel("change_summary"),
                FieldPanel("is_material_change"),
            ],
            heading=_("Nouvelle version"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    base_form_class = VersionedDocumentPageForm

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True


class PrivacyPolicyPage(VersionedDocumentPage):
    """The privacy policy (politique de confidentialité), at /confidentialite/."""

    document_kind = "privacy"
    max_count = 1
    template = "cms/versioned_document_page.html"

    class Meta:
        verbose_name = _("politique de confidentialité")


class TermsPage(VersionedDocumentPage):
    """The terms of use (conditions générales d'utilisation, CGU), at /cgu/."""

    document_kind = "terms"
    max_count = 1
    template = "cms/versioned_document_page.html"

    class Meta:
        verbose_name = _("conditions générales d'utilisation")
        verbose_name_plural = _("conditions générales d'utilisation")
