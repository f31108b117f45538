"""Every public page answers, in French, with valid and accessible HTML."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import DisciplineFactory, image_create, practitioner_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(directory):
    return practitioner_create(
        directory,
        title="Camille Martin",
        disciplines=[DisciplineFactory(name="Naturopathie", slug="naturopathie")],
        photo=image_create("Portrait de Camille"),
        services=[("Bilan naturopathique", 90, "75.00", "cabinet"), ("Suivi", 45, "50", "visio")],
    )


@pytest.mark.parametrize(
    "url", ["/", "/praticiens/", "/cgu/", "/mentions-legales/", "/confidentialite/"]
)
def test_public_pages_answer_with_valid_accessible_french_html(client, site_tree, profile, url):
    response = client.get(url)
    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    assert soup.html["lang"] == "fr"


def test_profile_page_shows_what_a_visitor_needs(client, profile):
    response = client.get("/praticiens/camille-martin/")
    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    text = soup.get_text(" ", strip=True)
    assert soup.h1.get_text(strip=True) == "Camille Martin"
    for expected in ["Naturopathie", "Bilan naturopathique", "90", "75", "Lyon", "69003"]:
        assert expected in text
    photo = soup.find("img", src=lambda src: src and "portrait" in src.lower())
    assert photo is not None and photo["alt"]


def test_profile_photo_is_served_as_a_rendition_not_the_original(client, profile):
    soup = BeautifulSoup(client.get(profile.url).content, "html.parser")
    sources = [img["src"] for img in soup.find_all("img")]
    assert sources and all("/original_images/" not in src for src in sources)
    rendition = next(src for src in sources if "images/" in src)
    assert client.get(rendition).status_code == 200


def test_profile_carries_schema_org_json_ld(client, profile):
    import json

    soup = BeautifulSoup(client.get(profile.url).content, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@context"] == "https://schema.org"
    assert data["name"] == "Camille Martin"
    assert "Lyon" in json.dumps(data, ensure_ascii=False)


def test_legal_pages_show_their_update_date_and_the_operator(client, site_tree):
    # The privacy policy and the terms show their version in force: publish version 1.
    for slug in ("privacy", "cgu"):
        site_tree[slug].save_revision().publish()
    for url in ["/cgu/", "/mentions-legales/", "/confidentialite/"]:
        text = BeautifulSoup(client.get(url).content, "html.parser").get_text(" ", strip=True)
        assert "Mis à jour le" in text
        assert "Praticiens Test SAS" in text


def test_operator_identity_comes_from_the_editable_setting(client, site_tree):
    from cms.models import OperatorSettings

    operator = OperatorSettings.objects.get()
    operator.company_name = "Nouvelle Raison Sociale SARL"
    operator.dpo_email = "protection@example.org"
    operator.save()
    text = client.get("/mentions-legales/").content.decode()
    assert "Nouvelle Raison Sociale SARL" in text
    assert "protection@example.org" in text


def test_draft_and_private_practitioners_are_not_shown(client, directory):
    from wagtail.models import PageViewRestriction

    practitioner_create(directory, title="Visible Praticien")
    practitioner_create(directory, title="Brouillon Praticien", live=False)
    private = practitioner_create(directory, title="Privé Praticien")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    text = client.get("/praticiens/").content.decode()
    assert "Visible Praticien" in text
    assert "Brouillon Praticien" not in text
    assert "Privé Praticien" not in text
    assert client.get("/praticiens/brouillon-praticien/").status_code == 404


def test_unknown_page_gets_the_site_404(client, site_tree):
    response = client.get("/cette-page-nexiste-pas/")
    assert response.status_code == 404
    assert_valid_accessible_html(response.content)


def test_server_error_page_renders_without_any_context(client, site_tree):
    from django.test import RequestFactory

    from cms.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert_valid_accessible_html(response.content)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_live_pages_only(client, directory):
    practitioner_create(directory, title="Publiée Praticienne")
    practitioner_create(directory, title="Cachée Praticienne", live=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/praticiens/publiee-praticienne/" in body
    assert "cachee-praticienne" not in body
    assert "/confidentialite/" in body


def test_interface_is_french_whatever_the_browser_asks(client, site_tree):
    response = client.get("/praticiens/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "fr"
    assert soup.find("button", string=lambda s: s and "Rechercher" in s) is not None


def test_english_is_available_through_the_language_switcher(client, site_tree):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/praticiens/"})
    assert response.status_code == 302
    soup = BeautifulSoup(client.get("/praticiens/").content, "html.parser")
    assert soup.html["lang"] == "en"
    assert soup.find("button", string=lambda s: s and "Search" in s) is not None


@pytest.fixture
def public_origin(settings, site_tree):
    """The public address is localhost:8000 while requests reach the server as 127.0.0.1."""
    from core.checks import site_sync_public_origin

    # As site/settings/base.py derives them from SITE_URL.
    settings.PUBLIC_ORIGIN = "http://localhost:8000"
    settings.WAGTAILADMIN_BASE_URL = settings.WAGTAILAPI_BASE_URL = settings.PUBLIC_ORIGIN
    site_sync_public_origin()  # what migrate does
    return "http://localhost:8000"


def test_sitemap_robots_and_json_ld_use_the_public_origin_whatever_the_host(
    client, directory, public_origin
):
    import json
    from xml.etree import ElementTree

    profile = practitioner_create(directory, title="Camille Martin")
    host = {"HTTP_HOST": "127.0.0.1"}

    robots = client.get("/robots.txt", **host).content.decode()
    assert f"Sitemap: {public_origin}/sitemap.xml" in robots

    sitemap = ElementTree.fromstring(client.get("/sitemap.xml", **host).content)
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text for loc in sitemap.iter(f"{namespace}loc")]
    assert f"{public_origin}/praticiens/camille-martin/" in locations
    assert all(location.startswith(f"{public_origin}/") for location in locations), locations

    soup = BeautifulSoup(client.get(profile.url, **host).content, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["url"] == f"{public_origin}/praticiens/camille-martin/"


def test_the_apis_links_use_the_public_origin_whatever_the_host(
    client, site_tree, directory, public_origin, fast_pdf
):
    from tests.compliance.conftest import publish

    practitioner_create(directory, title="Camille Martin")
    publish(site_tree["cgu"], body="<h2>Objet</h2><p>CGU.</p>")
    host = {"HTTP_HOST": "127.0.0.1"}

    pages = client.get("/api/v2/pages/?type=cms.PractitionerPage", **host).json()["items"]
    assert pages[0]["meta"]["html_url"] == f"{public_origin}/praticiens/camille-martin/"
    assert pages[0]["meta"]["detail_url"].startswith(f"{public_origin}/api/v2/pages/")

    terms = client.get("/api/v1/policies/", **host).json()["terms"]
    assert terms["url"] == f"{public_origin}/cgu/versions/1/"
    assert terms["pdf_url"] == f"{public_origin}/cgu/versions/1.pdf"
