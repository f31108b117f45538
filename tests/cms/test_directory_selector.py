"""The directory's filters, as the selector applies them."""

from decimal import Decimal

import pytest

from cms.models import Language
from cms.selectors import practitioner_directory
from tests.factories import DisciplineFactory, practitioner_create

pytestmark = pytest.mark.django_db


def titles(filters, directory):
    found = practitioner_directory(parent=directory, filters=filters)
    return [page.title for page in found.pages]


@pytest.fixture
def catalogue(directory):
    naturo = DisciplineFactory(name="Naturopathie", slug="naturopathie")
    sophro = DisciplineFactory(name="Sophrologie", slug="sophrologie")
    practitioner_create(
        directory,
        title="Alice Naturo",
        disciplines=[naturo],
        city="Lyon",
        postcode="69003",
        services=[("Bilan vitalité", 90, "80.00", "cabinet"), ("Suivi", 45, "50.00", "visio")],
    )
    practitioner_create(
        directory,
        title="Bruno Sophro",
        disciplines=[sophro],
        city="Paris",
        postcode="75011",
        languages=("fr", "en"),
        services=[("Séance de sophrologie", 60, "65.00", "domicile")],
    )
    practitioner_create(
        directory,
        title="Chloé Double",
        disciplines=[naturo, sophro],
        city="Paris",
        postcode="75015",
        services=[("Accompagnement stress", 60, "120.00", "cabinet")],
    )
    practitioner_create(directory, title="Denis Brouillon", disciplines=[naturo], live=False)
    return {"naturo": naturo, "sophro": sophro}


def test_without_filters_every_live_practitioner_is_listed_by_name(directory, catalogue):
    assert titles({}, directory) == ["Alice Naturo", "Bruno Sophro", "Chloé Double"]


def test_discipline_filter_keeps_practitioners_of_that_discipline_once(directory, catalogue):
    assert titles({"discipline": catalogue["naturo"]}, directory) == [
        "Alice Naturo",
        "Chloé Double",
    ]


def test_a_place_lists_its_commune_first_then_video_consultations(directory, catalogue):
    # 75011 and 75015 are both Paris (arrondissements); Alice, in Lyon, also consults in video.
    assert titles({"lieu": "paris"}, directory) == ["Bruno Sophro", "Chloé Double", "Alice Naturo"]
    assert titles({"lieu": "75011"}, directory) == ["Bruno Sophro", "Chloé Double", "Alice Naturo"]
    assert titles({"lieu": "Marseille"}, directory) == ["Alice Naturo"]


def test_a_departement_alone_filters_by_departement(directory, catalogue):
    assert titles({"lieu": "75"}, directory) == ["Bruno Sophro", "Chloé Double"]


def test_mode_filter(directory, catalogue):
    assert titles({"mode": "visio"}, directory) == ["Alice Naturo"]
    assert titles({"mode": "domicile"}, directory) == ["Bruno Sophro"]


def test_language_filter(directory, catalogue):
    english = Language.objects.get(code="en")
    assert titles({"langue": english}, directory) == ["Bruno Sophro"]


def test_max_price_compares_with_the_cheapest_service(directory, catalogue):
    assert titles({"prix_max": 60}, directory) == ["Alice Naturo"]
    assert titles({"prix_max": 65}, directory) == ["Alice Naturo", "Bruno Sophro"]
    assert titles({"prix_max": 0}, directory) == []


def test_filters_combine(directory, catalogue):
    filters = {"discipline": catalogue["sophro"], "lieu": "Paris", "prix_max": 100}
    assert titles(filters, directory) == ["Bruno Sophro"]


def test_full_text_search_finds_service_and_discipline_words(directory, catalogue):
    assert "Chloé Double" in titles({"q": "stress"}, directory)
    assert set(titles({"q": "sophrologie"}, directory)) == {"Bruno Sophro", "Chloé Double"}
    assert titles({"q": "brouillon"}, directory) == []


def test_search_combines_with_filters(directory, catalogue):
    assert titles({"q": "sophrologie", "lieu": "75011"}, directory) == [
        "Bruno Sophro",
        "Chloé Double",
    ]


def test_the_cheapest_price_is_annotated(directory, catalogue):
    pages = {p.title: p for p in practitioner_directory(parent=directory, filters={}).pages}
    assert Decimal(pages["Alice Naturo"].price_from) == Decimal("50.00")
