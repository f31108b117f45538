from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
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
    """Terms of use (CGU), legal notice (mentions légales) and any other legal text."""

    template = "cms/legal_page.html"

    class Meta:
        verbose_name = _("page légale")
        verbose_name_plural = _("pages légales")


class PrivacyPolicyPage(BaseLegalPage):
    """The privacy policy. Its versioning (numbered, immutable versions) is built on top of it."""

    max_count = 1
    template = "cms/legal_page.html"

    class Meta:
        verbose_name = _("politique de confidentialité")
