"""The policies API: documents in force, their versions, and accepting a version."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from compliance.models import Acceptance
from tests.compliance.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(privacy, terms, fast_pdf):
    v1 = publish(privacy, body="<h2>Vos droits</h2><p>Un.</p>")
    v2 = publish(
        privacy,
        body="<h2>Vos droits</h2><p>Deux.</p>",
        summary="Deux",
        material=True,
        effective_at=timezone.now() + timedelta(days=3),
    )
    terms_v1 = publish(terms, body="<p>CGU.</p>")
    return v1, v2, terms_v1


def csrf_client(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/compte/consentements/")  # sets the CSRF cookie, as any page with a form does
    return client, client.cookies["csrftoken"].value


def test_current_documents_list_the_version_in_force_of_each(client, versions):
    data = client.get("/api/v1/policies/").json()
    assert data["privacy"]["number"] == 1 and data["privacy"]["in_force"] is True
    assert data["terms"]["number"] == 1
    assert data["privacy"]["pdf_url"] == "http://testserver/confidentialite/versions/1.pdf"
    assert data["terms"]["url"] == "http://testserver/cgu/versions/1/"


def test_versions_list_and_detail_with_html(client, versions):
    listing = client.get("/api/v1/policies/privacy/versions/").json()
    assert [(v["number"], v["in_force"]) for v in listing] == [(2, False), (1, True)]
    detail = client.get("/api/v1/policies/privacy/versions/2/").json()
    assert detail["html"].startswith("<h2>Vos droits</h2>")
    assert detail["summary"] == "Deux" and detail["is_material"] is True
    assert detail["sha256"] == versions[1].sha256


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/policies/cookies/versions/",
        "/api/v1/policies/privacy/versions/9/",
        "/api/v1/policies/privacy/versions/0/",
        "/api/v1/policies/privacy/versions/99999999999999999999/",
        "/api/v1/policies/privacy/versions/x/",
    ],
)
def test_unknown_documents_and_versions_are_not_found(client, versions, url):
    assert client.get(url).status_code == 404


def test_signed_in_user_accepts_the_version_in_force_with_csrf(user, versions):
    v1 = versions[0]
    client, token = csrf_client(user)
    url = "/api/v1/policies/privacy/versions/1/accept/"

    assert client.post(url).status_code == 403  # no CSRF token
    response = client.post(url, {"wording": "J'accepte (app)"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
    assert response.json()["number"] == 1
    again = client.post(url, HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 200  # already accepted: nothing new recorded
    acceptance = Acceptance.objects.get(user=user)
    assert acceptance.version == v1 and acceptance.context == "reacceptance"
    assert acceptance.wording.startswith("J'accepte (app)")


def test_accepting_a_version_that_is_not_in_force_is_refused(user, versions):
    client, token = csrf_client(user)
    response = client.post("/api/v1/policies/privacy/versions/2/accept/", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400
    assert "en vigueur" in response.json()["detail"]
    assert not Acceptance.objects.exists()


def test_anonymous_cannot_accept(client, versions):
    response = client.post("/api/v1/policies/privacy/versions/1/accept/")
    assert response.status_code in (401, 403)
    assert not Acceptance.objects.exists()


@pytest.mark.parametrize("content_type", ["multipart", "form"])
def test_an_empty_wording_is_refused_in_a_form_body_as_in_json(user, versions, content_type):
    client, token = csrf_client(user)
    url = "/api/v1/policies/terms/versions/1/accept/"
    if content_type == "multipart":
        response = client.post(url, {"wording": ""}, HTTP_X_CSRFTOKEN=token)
    else:
        response = client.post(
            url, "wording=", "application/x-www-form-urlencoded", HTTP_X_CSRFTOKEN=token
        )
    assert response.status_code == 400
    assert response.json() == {"wording": ["Ce champ ne peut être vide."]}
    assert not Acceptance.objects.filter(user=user, version__kind="terms").exists()


@pytest.mark.parametrize("wording", [0, True, ["J'accepte"]])
def test_a_wording_that_is_not_text_is_refused(user, versions, wording):
    client, token = csrf_client(user)
    url = "/api/v1/policies/terms/versions/1/accept/"
    response = client.post(url, {"wording": wording}, "application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400
    assert response.json() == {"wording": ["Chaîne de caractère invalide."]}
