"""What an editor does in the Wagtail admin: the page tree rules and publishing a profile."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from cms.models import (
    DirectoryPage,
    HomePage,
    Language,
    LegalPage,
    PractitionerPage,
    PrivacyPolicyPage,
    TermsPage,
)
from tests.factories import DisciplineFactory, image_create, otp_login

pytestmark = pytest.mark.django_db


def test_page_types_only_go_where_they_make_sense():
    assert HomePage.allowed_subpage_models() == [
        DirectoryPage,
        LegalPage,
        PrivacyPolicyPage,
        TermsPage,
    ]
    assert DirectoryPage.allowed_parent_page_models() == [HomePage]
    assert DirectoryPage.allowed_subpage_models() == [PractitionerPage]
    assert PractitionerPage.allowed_parent_page_models() == [DirectoryPage]
    assert PractitionerPage.allowed_subpage_models() == []
    assert LegalPage.allowed_subpage_models() == []


def test_singletons_cannot_be_added_twice(site_tree):
    home = site_tree["home"]
    assert not DirectoryPage.can_create_at(home)
    assert not PrivacyPolicyPage.can_create_at(home)
    assert not TermsPage.can_create_at(home)
    assert LegalPage.can_create_at(home)
    assert PractitionerPage.can_create_at(site_tree["directory"])
    assert not PractitionerPage.can_create_at(home)


def draftail(text: str) -> str:
    block = {
        "key": "a1b2c",
        "type": "unstyled",
        "text": text,
        "depth": 0,
        "inlineStyleRanges": [],
        "entityRanges": [],
    }
    return json.dumps({"blocks": [block], "entityMap": {}})


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user("editrice@example.com", "pass-phrase-longue")
    user.groups.add(Group.objects.get(name="Editors"))
    otp_login(client, user)  # the admin requires a two-factor verified session
    return user


def profile_form(discipline, photo, **overrides):
    data = {
        "title": "Nina Rossi",
        "slug": "nina-rossi",
        "headline": "Sophrologue à Lyon",
        "photo": photo.pk,
        "biography": draftail("Sophrologue certifiée depuis 2015."),
        "disciplines": [discipline.pk],
        "languages": [Language.objects.get(code="fr").pk],
        "offers_office": "on",
        "street_address": "5 rue Mercière",
        "postcode": "69002",
        "city": "Lyon",
        "services-TOTAL_FORMS": "1",
        "services-INITIAL_FORMS": "0",
        "services-MIN_NUM_FORMS": "1",
        "services-MAX_NUM_FORMS": "1000",
        "services-0-name": "Séance individuelle",
        "services-0-duration_minutes": "60",
        "services-0-price": "65.00",
        "services-0-mode": "cabinet",
        "services-0-description": "",
        "services-0-ORDER": "1",
        "services-0-id": "",
        "certifications-TOTAL_FORMS": "0",
        "certifications-INITIAL_FORMS": "0",
        "certifications-MIN_NUM_FORMS": "0",
        "certifications-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return data


def test_editor_publishes_a_profile_that_appears_in_the_directory_at_once(
    client, site_tree, editor
):
    directory = site_tree["directory"]
    sophro = DisciplineFactory(name="Sophrologie", slug="sophrologie")
    url = f"/admin/pages/add/cms/practitionerpage/{directory.pk}/"
    assert client.get(url).status_code == 200

    response = client.post(url, profile_form(sophro, image_create("Portrait de Nina")))
    assert response.status_code == 302, _errors(response)

    page = PractitionerPage.objects.get(slug="nina-rossi")
    assert page.live
    assert [s.name for s in page.services.all()] == ["Séance individuelle"]

    listing = client.get("/praticiens/", {"discipline": "sophrologie"}).content.decode()
    assert "Nina Rossi" in listing
    assert "Nina Rossi" in client.get("/praticiens/", {"q": "sophrologie"}).content.decode()
    assert client.get("/praticiens/nina-rossi/").status_code == 200


def test_a_service_in_a_mode_the_profile_does_not_offer_is_refused(client, site_tree, editor):
    directory = site_tree["directory"]
    data = profile_form(DisciplineFactory(), image_create(), **{"services-0-mode": "domicile"})
    response = client.post(f"/admin/pages/add/cms/practitionerpage/{directory.pk}/", data)
    assert response.status_code == 200  # the form comes back with the error
    assert "mode non coché" in response.content.decode()
    assert not PractitionerPage.objects.filter(slug="nina-rossi").exists()


def test_editor_manages_disciplines_as_snippets(client, editor):
    response = client.post(
        "/admin/snippets/cms/discipline/add/",
        {"name": "Kinésiologie", "slug": "kinesiologie", "description": ""},
    )
    assert response.status_code == 302
    assert client.get("/admin/snippets/cms/discipline/").status_code == 200
    assert "Kinésiologie" in client.get("/admin/snippets/cms/discipline/").content.decode()


def test_anonymous_visitors_do_not_reach_the_admin(client, site_tree):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert Page.objects.count() > 0


def _errors(response) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    return " | ".join(
        e.get_text(" ", strip=True)
        for e in soup.select(".error-message, .help-critical, [role=alert]")
    )
