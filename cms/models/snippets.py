from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class ConsultationMode(models.TextChoices):
    OFFICE = "cabinet", _("En cabinet")
    VIDEO = "visio", _("En visio")
    HOME = "domicile", _("À domicile")


class Discipline(index.Indexed, models.Model):
    """A practice (naturopathy, sophrology...): a snippet editors manage in its own admin."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    synonyms = models.TextField(
        _("synonymes"),
        blank=True,
        help_text=_(
            "Autres mots que les visiteurs cherchent pour cette discipline, séparés par des "
            "virgules (ex. : naturo, hygiène vitale)."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("synonyms"),
        FieldPanel("description"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("synonyms"),
        index.AutocompleteField("synonyms"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language a practitioner consults in (ISO 639-1 code)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("nom"), max_length=40)

    panels = [FieldPanel("code"), FieldPanel("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("langue")
        verbose_name_plural = _("langues")

    def __str__(self) -> str:
        return self.name
