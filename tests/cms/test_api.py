"""The headless side: Wagtail API v2 for pages, images and documents."""

import pytest

from tests.factories import DisciplineFactory, image_create, practitioner_create

pytestmark = pytest.mark.django_db

PRACTITIONER_FIELDS = "disciplines,services,consultation_modes,city,postcode,languages,photo_card"


@pytest.fixture
def practitioners(directory):
    naturo = DisciplineFactory(name="Naturopathie", slug="naturopathie")
    yoga = DisciplineFactory(name="Yoga", slug="yoga")
    practitioner_create(
        directory,
        title="Anna Lyon",
        disciplines=[naturo],
        languages=("fr", "en"),
        photo=image_create("Portrait Anna"),
        services=[("Bilan", 90, "80.00", "cabinet"), ("Suivi", 45, "50.00", "visio")],
    )
    practitioner_create(
        directory, title="Bea Paris", disciplines=[yoga], city="Paris", postcode="75011"
    )
    practitioner_create(directory, title="Chloe Brouillon", disciplines=[naturo], live=False)


def practitioner_list(client, **params):
    response = client.get(
        "/api/v2/pages/",
        {"type": "cms.PractitionerPage", "fields": PRACTITIONER_FIELDS, **params},
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_practitioner_pages_expose_their_directory_fields(client, practitioners):
    data = practitioner_list(client, discipline="naturopathie")
    assert data["meta"]["total_count"] == 1
    anna = data["items"][0]
    assert anna["title"] == "Anna Lyon"
    assert anna["disciplines"] == [{"name": "Naturopathie", "slug": "naturopathie"}]
    assert {"code": "en", "name": "Anglais"} in anna["languages"]
    assert anna["consultation_modes"] == ["cabinet", "visio"]
    assert anna["city"] == "Lyon"
    assert [
        (s["name"], s["duration_minutes"], s["price"], s["mode"]) for s in anna["services"]
    ] == [
        ("Bilan", 90, "80.00", "cabinet"),
        ("Suivi", 45, "50.00", "visio"),
    ]
    assert anna["photo_card"]["width"] == 240
    assert anna["photo_card"]["url"].endswith(".jpg")


def test_filter_by_city_and_by_postcode(client, practitioners):
    assert [p["title"] for p in practitioner_list(client, city="paris")["items"]] == ["Bea Paris"]
    assert [p["title"] for p in practitioner_list(client, city="69")["items"]] == ["Anna Lyon"]


def test_drafts_are_not_served(client, practitioners):
    titles = [p["title"] for p in practitioner_list(client)["items"]]
    assert titles == ["Anna Lyon", "Bea Paris"]


def test_unknown_discipline_or_filter_without_type_is_a_clear_400(client, practitioners):
    response = client.get(
        "/api/v2/pages/", {"type": "cms.PractitionerPage", "discipline": "inconnue"}
    )
    assert response.status_code == 400
    assert "Discipline inconnue" in response.json()["message"]
    assert client.get("/api/v2/pages/", {"city": "Lyon"}).status_code == 400


def test_detail_of_a_practitioner(client, practitioners):
    item = practitioner_list(client, city="Lyon")["items"][0]
    detail = client.get(f"/api/v2/pages/{item['id']}/").json()
    assert detail["headline"]
    assert detail["photo_profile"]["width"] == 480
    assert detail["meta"]["html_url"].endswith("/praticiens/anna-lyon/")


def test_images_and_documents_endpoints_answer(client, practitioners):
    images = client.get("/api/v2/images/")
    assert images.status_code == 200
    assert images.json()["meta"]["total_count"] >= 1
    assert client.get("/api/v2/documents/").status_code == 200


@pytest.mark.parametrize(
    "query",
    [{"limit": "abc"}, {"offset": "-1"}, {"type": "nope.Nope"}, {"fields": "secret_field"}],
)
def test_bad_api_queries_get_400_not_500(client, practitioners, query):
    assert client.get("/api/v2/pages/", query).status_code == 400
