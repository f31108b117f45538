from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import HomeBodyBlock


class HomePage(Page):
    body = StreamField(HomeBodyBlock(), blank=True, verbose_name=_("contenu"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.DirectoryPage",
        "cms.LegalPage",
        "cms.PrivacyPolicyPage",
        "cms.TermsPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")
