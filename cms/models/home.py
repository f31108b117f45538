from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import HomeBodyBlock
from cms.selectors import practitioner_cards


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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The featured cards show the price from and the next free slot, like the directory's.
        practitioner_cards(
            [
                page
                for block in self.body
                if block.block_type == "featured_practitioners"
                for page in block.value["practitioners"]
                if page is not None
            ]
        )
        return context
