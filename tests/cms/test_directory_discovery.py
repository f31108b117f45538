"""What helps a visitor choose: next free slot and price on every card, availability filter,
sorts, places near first, word-prefix search; at a query count that does not grow."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.models import Practitioner
from cms.selectors import practitioner_directory
from tests.factories import DisciplineFactory, image_create, practitioner_create

pytestmark = pytest.mark.django_db

# Monday 1 March 2027, 09:00 in Paris.
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def with_next_free(page, start, timezone="Europe/Paris"):
    Practitioner.objects.create(
        page=page, timezone=timezone, next_free_start=start, next_free_refreshed_at=NOW
    )
    return page


def cards(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        card.select_one(".card__title").get_text(strip=True): " ".join(
            card.select_one(".card__availability").get_text().split()
        )
        for card in soup.select("article.practitioner-card")
    }


def titles(directory, **filters):
    return [page.title for page in practitioner_directory(parent=directory, filters=filters).pages]


@pytest.fixture
def three(directory, clock):
    naturo = DisciplineFactory(name="Naturopathie", slug="naturopathie", synonyms="hygiène vitale")
    with_next_free(
        practitioner_create(directory, title="Élodie Vidal", disciplines=[naturo]),
        NOW + timedelta(days=1, hours=1),  # Tuesday 10:00 in Paris
    )
    with_next_free(
        practitioner_create(
            directory,
            title="bruno petit",
            city="Villeurbanne",
            postcode="69100",
            services=[("Séance", 60, "45.00", "cabinet")],
        ),
        NOW + timedelta(hours=3),  # Monday 12:00
    )
    practitioner_create(
        directory,
        title="Zoé Martin",
        city="Paris",
        postcode="75011",
        services=[("Visio", 60, "90.00", "visio")],
    )
    return naturo


def test_cards_show_the_next_free_slot_in_french_or_that_there_is_none(client, three):
    shown = cards(client.get("/praticiens/"))
    assert shown == {
        "bruno petit": "Prochaine disponibilité : aujourd'hui 12:00",
        "Élodie Vidal": "Prochaine disponibilité : demain 10:00",
        "Zoé Martin": "Pas de disponibilité en ligne",
    }


def test_a_later_day_is_named_in_the_practitioners_time_zone(client, directory, clock):
    page = practitioner_create(
        directory, title="Nina Réunion", city="Saint-Denis", postcode="97400"
    )
    with_next_free(page, datetime(2027, 3, 4, 6, 0, tzinfo=UTC), timezone="Indian/Reunion")
    assert cards(client.get("/praticiens/")) == {
        "Nina Réunion": "Prochaine disponibilité : jeudi 4 mars 10:00"
    }


def test_a_cached_slot_already_past_counts_as_none(client, three, clock):
    clock.move_to(NOW + timedelta(hours=4))
    assert cards(client.get("/praticiens/"))["bruno petit"] == "Pas de disponibilité en ligne"


def test_the_name_sort_ignores_accents_and_case(directory, three):
    assert titles(directory) == ["bruno petit", "Élodie Vidal", "Zoé Martin"]


def test_sort_by_soonest_availability_then_by_price(directory, three):
    assert titles(directory, tri="dispo") == ["bruno petit", "Élodie Vidal", "Zoé Martin"]
    assert titles(directory, tri="prix") == ["bruno petit", "Élodie Vidal", "Zoé Martin"]


def test_availability_filter_and_chips(client, directory, three):
    assert titles(directory, dispo="aujourdhui") == ["bruno petit"]
    assert titles(directory, dispo="demain") == ["bruno petit", "Élodie Vidal"]
    assert titles(directory, dispo="semaine") == ["bruno petit", "Élodie Vidal"]
    response = client.get("/praticiens/", {"dispo": "semaine", "lieu": "69002"})
    assert set(cards(response)) == {"bruno petit", "Élodie Vidal"}
    assert client.get("/praticiens/", {"dispo": "jamais"}).status_code == 200


def test_a_place_lists_the_commune_then_the_departement_then_video(directory, three):
    # Élodie is in Lyon 3e, Bruno in Villeurbanne (Rhône), Zoé in Paris but in video.
    assert titles(directory, lieu="lyon 2e") == ["Élodie Vidal", "bruno petit", "Zoé Martin"]
    assert titles(directory, lieu="69100") == ["bruno petit", "Élodie Vidal", "Zoé Martin"]


def test_nobody_near_suggests_video(client, three):
    response = client.get("/praticiens/", {"lieu": "Brest"})
    assert list(cards(response)) == ["Zoé Martin"]
    soup = BeautifulSoup(response.content, "html.parser")
    assert "en visio" in soup.select_one(".notice").get_text()


def test_search_matches_word_prefixes_and_synonyms(directory, three):
    assert titles(directory, q="naturo") == ["Élodie Vidal"]
    assert titles(directory, q="hygiène") == ["Élodie Vidal"]
    assert titles(directory, q="Élod") == ["Élodie Vidal"]


def test_home_page_featured_cards_show_availability_and_price(client, site_tree, three):
    from cms.models import PractitionerPage

    home = site_tree["home"]
    featured = list(PractitionerPage.objects.order_by("pk"))
    home.body = [
        ("featured_practitioners", {"heading": "À la une", "practitioners": featured}),
    ]
    home.save_revision().publish()
    response = client.get("/")
    assert cards(response)["Élodie Vidal"] == "Prochaine disponibilité : demain 10:00"
    assert "à partir de 45 €" in response.content.decode()


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/praticiens/", params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params", [{}, {"tri": "dispo", "dispo": "semaine"}, {"lieu": "69002", "q": "praticienne"}]
)
def test_query_count_with_availability_is_the_same_for_10_and_200(
    client, directory, settings, clock, params
):
    settings.DIRECTORY_PAGE_SIZE = 500
    disciplines = [DisciplineFactory() for _ in range(3)]
    photo = image_create("Portrait commun")

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            page = practitioner_create(
                directory,
                title=f"Praticienne {number:03d}",
                disciplines=disciplines[: 1 + number % 3],
                photo=photo,
            )
            with_next_free(page, NOW + timedelta(hours=2 + number % 48))

    add(10, 0)
    client.get("/praticiens/", params)
    with_ten = _queries(client, params)
    assert len(cards(client.get("/praticiens/", params))) == 10
    add(190, 10)
    client.get("/praticiens/", params)
    with_two_hundred = _queries(client, params)
    shown = cards(client.get("/praticiens/", params))
    assert len(shown) == 200
    assert all(text.startswith("Prochaine disponibilité") for text in shown.values())
    assert with_two_hundred == with_ten
