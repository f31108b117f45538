"""Wagtail API v2 under bad input: a 400 {"message": ...}, never a 500, on both databases.

Some of these only failed on PostgreSQL (a NUL character in any text, a 64-bit overflow of
OFFSET), others only on SQLite (its full-text search and a `"` or a text of spaces).
"""

import pytest
from wagtail.documents import get_document_model

from tests.factories import DisciplineFactory, image_create, practitioner_create

pytestmark = pytest.mark.django_db

PRACTITIONERS = "/api/v2/pages/?type=cms.PractitionerPage&"
LISTINGS = [PRACTITIONERS, "/api/v2/pages/?", "/api/v2/images/?", "/api/v2/documents/?"]
THIRTY_DIGITS = "9" * 30


@pytest.fixture
def content(directory):
    """Something to find on every endpoint, so that filters and searches really run."""
    from django.core.files.base import ContentFile

    anna = practitioner_create(
        directory,
        title="Anna Lyon",
        disciplines=[DisciplineFactory(slug="yoga")],
        photo=image_create("Portrait Anna"),
    )
    get_document_model().objects.create(
        title="Tarifs Anna", file=ContentFile(b"tarifs", name="tarifs.txt")
    )
    return anna


def message(response, status: int = 400) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["message"], body
    return body["message"]


@pytest.mark.parametrize(
    "url",
    [
        PRACTITIONERS + "discipline=yo%00ga",
        PRACTITIONERS + "city=Ly%00on",
        PRACTITIONERS + "search=An%00na",
        PRACTITIONERS + "locale=f%00r",
        PRACTITIONERS + "discipline=yoga&discipline=%00",  # Wagtail reads the last value
        "/api/v2/pages/?search=%00",
        "/api/v2/pages/?site=%00",
        "/api/v2/images/?search=An%00na",
        "/api/v2/documents/?search=Ta%00rifs",
        "/api/v2/pages/find/?html_path=/%00/",
        "/api/v2/pages/find/?site=%00&html_path=/",
        "/api/v2/images/find/?id=%00",
    ],
)
def test_a_nul_character_in_a_filter_is_a_400(client, content, url):
    assert "caractère nul" in message(client.get(url))


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize(
    "query", [f"offset={THIRTY_DIGITS}", f"search=anna&offset={THIRTY_DIGITS}", "offset=2147483648"]
)
def test_an_offset_beyond_any_listing_is_a_400(client, content, listing, query):
    assert "offset ne peut dépasser 2147483647" in message(client.get(listing + query))


@pytest.mark.parametrize("listing", LISTINGS)
def test_a_huge_limit_is_a_400(client, content, listing):
    assert "limit cannot be higher than 100" in message(
        client.get(f"{listing}limit={THIRTY_DIGITS}")
    )


def test_a_huge_limit_is_a_400_without_wagtails_cap_too(client, content, settings):
    settings.WAGTAILAPI_LIMIT_MAX = None
    assert "limit ne peut dépasser" in message(client.get(f"{PRACTITIONERS}limit={THIRTY_DIGITS}"))


def test_offsets_and_limits_in_range_still_page_through(client, content):
    data = client.get(PRACTITIONERS + "offset=0&limit=1").json()
    assert [item["title"] for item in data["items"]] == ["Anna Lyon"]
    data = client.get(PRACTITIONERS + "offset=2147483647").json()
    assert data["meta"]["total_count"] == 1 and data["items"] == []


@pytest.mark.parametrize(
    "url",
    [
        PRACTITIONERS + "fields=" + "a(" * 3000,
        "/api/v2/images/?fields=" + "a(" * 3000,
        "/api/v2/pages/find/?html_path=/&fields=" + "a(" * 3000,
    ],
)
def test_fields_nested_too_deep_are_a_400(client, content, url):
    assert "niveaux d'imbrication" in message(client.get(url))


def test_fields_nested_too_deep_on_a_detail_are_a_400(client, content):
    url = f"/api/v2/pages/{content.pk}/?fields=" + "services(" * 3000
    assert "niveaux d'imbrication" in message(client.get(url))


def test_reasonable_nested_fields_still_work(client, content):
    data = client.get(PRACTITIONERS + "fields=photo(title,width)").json()
    assert data["items"][0]["photo"]["title"] == "Portrait Anna"


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_find_by_an_id_that_is_not_a_number_is_a_400(client, content, endpoint):
    assert "id doit être un nombre entier" in message(
        client.get(f"/api/v2/{endpoint}/find/?id=abc")
    )


def test_find_by_a_huge_id_is_not_found(client, content):
    assert message(client.get(f"/api/v2/pages/find/?id={THIRTY_DIGITS}"), 404)


@pytest.mark.parametrize("listing", LISTINGS)
def test_an_unknown_search_operator_is_a_400(client, content, listing):
    assert "search_operator" in message(client.get(listing + "search=anna&search_operator=xor"))


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("text", ["%22", "Anna%22", "%20%20", "%22%20%22", ""])
def test_searches_the_sqlite_backend_could_not_quote_find_nothing_or_the_words(
    client, content, listing, text
):
    response = client.get(f"{listing}search={text}")
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize(
    ("listing", "title"),
    [
        (PRACTITIONERS, "Anna Lyon"),
        ("/api/v2/images/?", "Portrait Anna"),
        ("/api/v2/documents/?", "Tarifs Anna"),
    ],
)
def test_quotes_around_a_word_still_find_it(client, content, listing, title):
    for text in ["anna", "%22anna%22", "%22anna", "AnNa&search_operator=AND"]:
        data = client.get(f"{listing}search={text}").json()
        assert [item["title"] for item in data["items"]] == [title], text
