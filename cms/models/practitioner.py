from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.models.snippets import ConsultationMode
from cms.places import commune_of, place_key
from cms.serializers import (
    CertificationSerializer,
    DisciplineSerializer,
    LanguageSerializer,
    ServiceSerializer,
)

if TYPE_CHECKING:
    # Choice labels are lazy translations, rendered in the language active when shown.
    from django_stubs_ext import StrPromise

# Rendition specs used by templates and the API; kept here so prefetching and rendering agree.
PHOTO_CARD = "fill-240x240-c100"
PHOTO_PROFILE = "fill-480x480-c100"

postcode_validator = RegexValidator(r"^\d{5}$", _("Un code postal français a cinq chiffres."))


class PractitionerPageForm(WagtailAdminPageForm):
    """Checks that need the page and its services together, before anything is saved."""

    def clean(self):
        cleaned_data = super().clean()
        offered = {
            mode
            for mode, flag in MODE_FLAGS.items()
            if cleaned_data.get(flag) and flag not in self.errors
        }
        services = self.formsets["services"]
        services.is_valid()  # ClusterForm validates formsets after clean(): do it now
        for form in services.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            mode = form.cleaned_data.get("mode")
            if mode and mode not in offered:
                form.add_error(
                    "mode", _("Cochez ce mode de consultation sur la fiche, ou changez de mode.")
                )
                self.add_error(
                    None,
                    _("La prestation « %(name)s » est proposée dans un mode non coché.")
                    % {"name": form.cleaned_data.get("name", "")},
                )
        return cleaned_data


MODE_FLAGS = {
    ConsultationMode.OFFICE: "offers_office",
    ConsultationMode.VIDEO: "offers_video",
    ConsultationMode.HOME: "offers_home",
}


class PractitionerPage(Page):
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    headline = models.CharField(_("accroche"), max_length=160)
    biography = RichTextField(_("biographie"), features=["bold", "italic", "ol", "ul", "link"])
    disciplines = ParentalManyToManyField(
        "cms.Discipline", verbose_name=_("disciplines"), related_name="practitioners"
    )
    languages = ParentalManyToManyField(
        "cms.Language", verbose_name=_("langues"), related_name="practitioners"
    )
    offers_office = models.BooleanField(_("consultations en cabinet"), default=True)
    offers_video = models.BooleanField(_("consultations en visio"), default=False)
    offers_home = models.BooleanField(_("consultations à domicile"), default=False)
    street_address = models.CharField(_("adresse du cabinet"), max_length=200, blank=True)
    postcode = models.CharField(
        _("code postal"), max_length=5, validators=[postcode_validator], db_index=True
    )
    city = models.CharField(_("ville"), max_length=80, db_index=True)
    # Derived in clean() from the postcode, the city and the title (no query: cms.places reads
    # a data set shipped with the site), for the directory's "near you first" and name sort.
    commune_code = models.CharField(
        _("code commune (INSEE)"), max_length=5, blank=True, db_index=True, editable=False
    )
    departement_code = models.CharField(
        _("département"), max_length=3, blank=True, db_index=True, editable=False
    )
    # The title's French sort key (accents, case and punctuation ignored), the same on SQLite
    # and PostgreSQL whatever the database's collation.
    sort_name = models.CharField(max_length=255, blank=True, db_index=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("headline"),
        FieldPanel("photo"),
        FieldPanel("biography"),
        FieldPanel("disciplines"),
        FieldPanel("languages"),
        MultiFieldPanel(
            [FieldPanel("offers_office"), FieldPanel("offers_video"), FieldPanel("offers_home")],
            heading=_("Modes de consultation"),
        ),
        MultiFieldPanel(
            [FieldPanel("street_address"), FieldPanel("postcode"), FieldPanel("city")],
            heading=_("Cabinet"),
        ),
        InlinePanel("services", label=_("Prestations"), min_num=1),
        InlinePanel("certifications", label=_("Certifications")),
    ]

    search_fields = [
        *Page.search_fields,
        index.AutocompleteField("title"),
        index.SearchField("headline"),
        index.AutocompleteField("headline"),
        index.SearchField("biography"),
        index.SearchField("city"),
        index.AutocompleteField("city"),
        index.RelatedFields(
            "disciplines",
            [
                index.SearchField("name"),
                index.AutocompleteField("name"),
                index.SearchField("synonyms"),
                index.AutocompleteField("synonyms"),
            ],
        ),
        index.RelatedFields(
            "services", [index.SearchField("name"), index.AutocompleteField("name")]
        ),
        index.FilterField("city"),
        index.FilterField("postcode"),
    ]

    api_fields = [
        APIField("headline"),
        APIField("biography"),
        APIField("disciplines", serializer=DisciplineSerializer(many=True)),
        APIField("languages", serializer=LanguageSerializer(many=True)),
        APIField("consultation_modes"),
        APIField("street_address"),
        APIField("postcode"),
        APIField("city"),
        APIField("services", serializer=ServiceSerializer(many=True)),
        APIField("certifications", serializer=CertificationSerializer(many=True)),
        APIField("photo"),
        APIField("photo_card", serializer=ImageRenditionField(PHOTO_CARD, source="photo")),
        APIField("photo_profile", serializer=ImageRenditionField(PHOTO_PROFILE, source="photo")),
    ]

    parent_page_types = ["cms.DirectoryPage"]
    subpage_types: list[str] = []
    template = "cms/practitioner_page.html"
    base_form_class = PractitionerPageForm

    class Meta:
        verbose_name = _("fiche praticien")
        verbose_name_plural = _("fiches praticiens")

    @property
    def consultation_modes(self) -> list[str]:
        return [mode.value for mode, flag in MODE_FLAGS.items() if getattr(self, flag)]

    @property
    def consultation_mode_labels(self) -> "list[StrPromise]":
        return [ConsultationMode(mode).label for mode in self.consultation_modes]

    def places_derive(self) -> None:
        """Fill the fields derived from the address and the title (see their comments)."""
        commune = commune_of(postcode=self.postcode or "", city=self.city or "")
        self.commune_code = commune.code if commune else ""
        self.departement_code = commune.departement if commune else (self.postcode or "")[:2]
        self.sort_name = place_key(self.title or "")[:255]

    def clean(self):
        self.places_derive()
        super().clean()
        if not self.consultation_modes:
            raise ValidationError(_("Choisissez au moins un mode de consultation."))
        if self.offers_office and not self.street_address:
            raise ValidationError(
                {"street_address": _("L'adresse du cabinet est requise pour le mode cabinet.")}
            )


class ServicePayment(models.TextChoices):
    DEFAULT = "", _("selon les réglages du praticien")
    ONLINE = "online", _("paiement en ligne à la réservation")
    ON_SITE = "on_site", _("paiement sur place")


class PractitionerService(Orderable):
    page = ParentalKey(PractitionerPage, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("nom"), max_length=120)
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), validators=[MinValueValidator(10), MaxValueValidator(480)]
    )
    price = models.DecimalField(
        _("prix (€)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10000"))],
    )
    mode = models.CharField(_("mode"), max_length=10, choices=ConsultationMode.choices)
    description = models.TextField(_("description"), blank=True)
    # Overrides the practitioner's own setting (booking.Practitioner.online_payment).
    payment = models.CharField(
        _("paiement"),
        max_length=10,
        choices=ServicePayment.choices,
        default=ServicePayment.DEFAULT,
        blank=True,
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("duration_minutes"),
        FieldPanel("price"),
        FieldPanel("mode"),
        FieldPanel("payment"),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("prestation")
        verbose_name_plural = _("prestations")

    def __str__(self) -> str:
        return self.name

    @property
    def mode_label(self) -> "StrPromise":
        return ConsultationMode(self.mode).label


class PractitionerCertification(Orderable):
    page = ParentalKey(PractitionerPage, on_delete=models.CASCADE, related_name="certifications")
    name = models.CharField(_("intitulé"), max_length=160)
    issuer = models.CharField(_("organisme"), max_length=160, blank=True)
    year = models.PositiveSmallIntegerField(
        _("année"), null=True, blank=True, validators=[MinValueValidator(1950)]
    )

    panels = [FieldPanel("name"), FieldPanel("issuer"), FieldPanel("year")]

    class Meta(Orderable.Meta):
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.name
