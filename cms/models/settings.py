from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class OperatorSettings(BaseSiteSetting):
    """The operator's identity, shown in the footer and the legal pages (LCEN art. 6)."""

    company_name = models.CharField(_("raison sociale"), max_length=120)
    legal_form = models.CharField(_("forme juridique et capital"), max_length=120, blank=True)
    registration_number = models.CharField(_("RCS / SIREN"), max_length=60, blank=True)
    address = models.TextField(_("adresse postale"))
    contact_email = models.EmailField(_("e-mail de contact"))
    dpo_email = models.EmailField(_("e-mail du délégué à la protection des données"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    publication_director = models.CharField(
        _("directeur de la publication"), max_length=120, blank=True
    )
    host_name = models.CharField(_("hébergeur"), max_length=120, blank=True)
    host_address = models.TextField(_("adresse de l'hébergeur"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("company_name"),
                FieldPanel("legal_form"),
                FieldPanel("registration_number"),
                FieldPanel("address"),
                FieldPanel("publication_director"),
            ],
            heading=_("Éditeur"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("dpo_email"), FieldPanel("phone")],
            heading=_("Contacts"),
        ),
        MultiFieldPanel(
            [FieldPanel("host_name"), FieldPanel("host_address")], heading=_("Hébergement")
        ),
    ]

    class Meta:
        verbose_name = _("identité de l'exploitant")
