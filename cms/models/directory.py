from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.forms import DirectoryFilterForm
from cms.selectors import card_labels, paginate, practitioner_directory


class DirectoryPage(Page):
    """/praticiens/: the searchable, filterable list of practitioner profiles (its children)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.PractitionerPage"]
    max_count = 1
    template = "cms/directory_page.html"

    class Meta:
        verbose_name = _("annuaire des praticiens")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = DirectoryFilterForm(request.GET or None)
        filters = form.valid_filters()
        directory = practitioner_directory(parent=self, filters=filters)
        context["form"] = form
        context["filters_active"] = bool(filters)
        context["place"] = directory.place
        context["nobody_near"] = directory.nobody_near
        context["results"] = results = paginate(
            directory.pages, request.GET.get("page"), per_page=settings.DIRECTORY_PAGE_SIZE
        )
        card_labels(results)
        return context
