from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class HeroBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), max_length=120)
    text = blocks.TextBlock(label=_("texte"), required=False)
    image = ImageChooserBlock(label=_("image"), required=False)
    cta_label = blocks.CharBlock(label=_("libellé du bouton"), required=False, max_length=60)
    cta_page = blocks.PageChooserBlock(label=_("page du bouton"), required=False)

    class Meta:
        icon = "title"
        label = _("Bandeau d'accueil")
        template = "components/blocks/hero.html"


class FeaturedDisciplinesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("titre"), max_length=120)
    disciplines = blocks.ListBlock(
        SnippetChooserBlock("cms.Discipline"), label=_("disciplines"), min_num=1
    )

    class Meta:
        icon = "tag"
        label = _("Disciplines à la une")
        template = "components/blocks/featured_disciplines.html"


class FeaturedPractitionersBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("titre"), max_length=120)
    practitioners = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="cms.PractitionerPage"),
        label=_("praticiens"),
        min_num=1,
    )

    class Meta:
        icon = "group"
        label = _("Praticiens à la une")
        template = "components/blocks/featured_practitioners.html"


class HomeBodyBlock(blocks.StreamBlock):
    hero = HeroBlock()
    featured_disciplines = FeaturedDisciplinesBlock()
    featured_practitioners = FeaturedPractitionersBlock()
    rich_text = blocks.RichTextBlock(
        label=_("texte"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
        template="components/blocks/rich_text.html",
    )
