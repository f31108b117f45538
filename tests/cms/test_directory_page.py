"""The directory as a visitor uses it: GET filters, pagination, bad input, query count."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DisciplineFactory, image_create, practitioner_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [heading.get_text(strip=True) for heading in soup.select("main h2 a")]


@pytest.fixture
def twelve(directory, settings):
    settings.DIRECTORY_PAGE_SIZE = 4
    yoga = DisciplineFactory(name="Yoga", slug="yoga")
    reflexo = DisciplineFactory(name="Réflexologie", slug="reflexologie")
    for number in range(12):
        practitioner_create(
            directory,
            title=f"Praticien {number:02d}",
            disciplines=[yoga if number % 2 else reflexo],
            city="Nantes" if number % 3 else "Rennes",
            postcode="44000" if number % 3 else "35000",
        )
    return {"yoga": yoga, "reflexo": reflexo}


def test_results_are_paginated_and_filters_survive_pagination(client, twelve):
    first = client.get("/praticiens/", {"discipline": "yoga"})
    assert first.status_code == 200
    assert len(names(first)) == 4
    soup = BeautifulSoup(first.content, "html.parser")
    next_link = soup.find("a", href=lambda href: href and "page=2" in href)
    assert next_link is not None
    assert "discipline=yoga" in next_link["href"]

    href = next_link["href"]
    second = client.get(href if href.startswith("/") else "/praticiens/" + href)
    assert second.status_code == 200
    assert len(names(second)) == 2
    every_yoga = set(names(first)) | set(names(second))
    assert every_yoga == {f"Praticien {n:02d}" for n in range(12) if n % 2}


def test_result_count_is_shown(client, twelve):
    text = client.get("/praticiens/", {"lieu": "Rennes"}).content.decode()
    assert "4 praticiens" in text


def test_combined_filters_narrow_the_results(client, twelve):
    response = client.get("/praticiens/", {"discipline": "yoga", "lieu": "35000"})
    assert set(names(response)) == {"Praticien 03", "Praticien 09"}


def test_filter_form_keeps_what_the_visitor_chose(client, twelve):
    soup = BeautifulSoup(
        client.get("/praticiens/", {"discipline": "yoga", "lieu": "Nantes"}).content,
        "html.parser",
    )
    assert soup.find("option", value="yoga").has_attr("selected")
    assert soup.find("input", attrs={"name": "lieu"})["value"] == "Nantes"


def test_no_result_state_is_clear(client, twelve):
    response = client.get("/praticiens/", {"lieu": "Brest"})
    assert response.status_code == 200
    assert names(response) == []
    assert "Aucun praticien" in response.content.decode()
    assert_valid_accessible_html(response.content)


def test_search_form_works_without_javascript(client, twelve):
    soup = BeautifulSoup(client.get("/praticiens/").content, "html.parser")
    form = soup.find("form", attrs={"method": "get"})
    assert form is not None
    assert {field["name"] for field in form.find_all(["input", "select"]) if field.get("name")} >= {
        "q",
        "discipline",
        "lieu",
        "mode",
        "langue",
        "prix_max",
    }


@pytest.mark.parametrize(
    "params",
    [
        {"discipline": "astrologie-quantique"},
        {"mode": "telepathie"},
        {"langue": "klingon"},
        {"prix_max": "gratuit"},
        {"prix_max": "-5"},
        {"q": "x" * 5000},
        {"lieu": "L" * 5000},
    ],
)
def test_bad_filter_input_gives_a_normal_page_with_an_explanation(client, twelve, params):
    response = client.get("/praticiens/", params)
    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    assert soup.find(attrs={"role": "alert"}) is not None


@pytest.mark.parametrize(
    "query",
    ["\"'()*:^-+ OR AND NOT", "NEAR(", "a*", "' OR 1=1 --", "   ", "😀 yoga", "\x00", "yo\x1bga"],
)
def test_search_syntax_characters_are_taken_as_plain_words(client, twelve, query):
    response = client.get("/praticiens/", {"q": query})
    assert response.status_code == 200
    assert_valid_accessible_html(response.content)


@pytest.mark.parametrize("number", ["abc", "1.5", ""])
def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, twelve, number):
    response = client.get("/praticiens/", {"page": number})
    assert response.status_code == 200
    assert names(response)[0] == "Praticien 00"


@pytest.mark.parametrize("number", ["0", "-1", "4", "99999"])
def test_a_page_number_out_of_range_shows_the_last_page(client, twelve, number):
    response = client.get("/praticiens/", {"page": number})
    assert response.status_code == 200
    # 12 practitioners, 4 per page: the last page is the third, unless page 0 or less.
    assert names(response) == [f"Praticien {n:02d}" for n in range(8, 12)]


def _directory_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/praticiens/")
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_practitioners(client, directory, settings):
    settings.DIRECTORY_PAGE_SIZE = 500
    disciplines = [DisciplineFactory() for _ in range(3)]
    photo = image_create("Portrait commun")

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            practitioner_create(
                directory,
                title=f"Praticienne {number:03d}",
                disciplines=disciplines[: 1 + number % 3],
                languages=("fr", "en"),
                photo=photo if number % 2 else image_create(f"Portrait {number}"),
            )

    add(10, 0)
    client.get("/praticiens/")  # renditions are created on the first view, then reused
    with_ten = _directory_queries(client)
    assert len(names(client.get("/praticiens/"))) == 10

    add(190, 10)
    client.get("/praticiens/")
    with_two_hundred = _directory_queries(client)
    assert len(names(client.get("/praticiens/"))) == 200
    assert with_two_hundred == with_ten
