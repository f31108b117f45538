"""The demo site's review rules page (cms.demo.seed cannot create it: cms must not import
exchanges). Idempotent: creates the page under the home page only when none exists."""

from __future__ import annotations

from wagtail.models import Page

from exchanges.models import ReviewRefusalReason, ReviewRulesPage

REFUSAL_REASONS = [
    (
        "Propos injurieux, diffamatoires ou discriminatoires",
        "Un avis critique est accepté ; une insulte, une accusation sans fondement ou un propos "
        "discriminatoire ne l'est pas.",
    ),
    (
        "Données personnelles ou de santé",
        "L'avis ne doit pas révéler de nom, de coordonnées ni d'information de santé, les "
        "vôtres ou celles d'un tiers.",
    ),
    (
        "Sans rapport avec la consultation",
        "L'avis doit porter sur la consultation réalisée, pas sur un autre sujet.",
    ),
    (
        "Conflit d'intérêts ou publicité",
        "Un avis rédigé par un proche du praticien, un concurrent, ou contenant de la publicité "
        "n'est pas publié.",
    ),
]


def review_rules_page_seed(home: Page) -> ReviewRulesPage | None:
    """The rules page with sensible French texts, published; None when one already exists."""
    if ReviewRulesPage.objects.exists():
        return None
    page = ReviewRulesPage(
        title="Règles des avis",
        slug="regles-des-avis",
        intro="<p>Ce qui encadre les avis publiés sur les fiches des praticiens.</p>",
        verification=(
            "<p>Un avis ne peut être déposé que depuis « Mes rendez-vous », pour un rendez-vous "
            "réalisé sur la plateforme. Nous ne publions pas d'avis venant d'ailleurs.</p>"
        ),
        no_consideration=(
            "<p>Ni la plateforme ni les praticiens ne donnent quoi que ce soit en échange d'un "
            "avis : ni réduction, ni cadeau, ni avantage.</p>"
        ),
        moderation=(
            "<p>Chaque avis est lu avant sa publication. Un avis négatif est publié comme un "
            "avis positif, tant qu'il respecte les règles ci-dessous.</p>"
        ),
        reporting=(
            "<p>Sous chaque avis, le lien « Signaler » permet à toute personne connectée de "
            "nous indiquer un avis qui ne respecte pas ces règles ; nous lui répondons.</p>"
        ),
    )
    page.refusal_reasons = [
        ReviewRefusalReason(label=label, explanation=explanation)
        for label, explanation in REFUSAL_REASONS
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
