"""Visitors read the version in force, every past version, their PDFs and what changed."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.compliance.conftest import publish
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

V1 = "<h2>Vos droits</h2><p>Vous pouvez accéder à vos données.</p><h2>Durées</h2><p>3 ans.</p>"
V2 = (
    "<h2>Vos droits</h2><p>Vous pouvez accéder à vos données et les rectifier.</p>"
    "<h2>Destinataires</h2><p>Notre hébergeur.</p>"
)


@pytest.fixture
def two_versions(privacy, fast_pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the PDF task runs on commit
        first = publish(privacy, body=V1)
        second = publish(
            privacy,
            body=V2,
            summary="Ajout des destinataires",
            material=True,
            effective_at=timezone.now() + timedelta(days=10),
        )
    return first, second


def text_of(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def test_policy_page_shows_the_version_in_force_not_a_future_one(client, two_versions):
    _, second = two_versions
    response = client.get("/confidentialite/")
    soup = assert_valid_accessible_html(response.content)
    text = soup.get_text(" ", strip=True)
    assert "Version 1" in text and "Mis à jour le" in text
    assert "Vous pouvez accéder à vos données." in text
    assert "Destinataires" not in text
    assert soup.find("a", href="/confidentialite/versions/")
    assert soup.find("a", href="/confidentialite/versions/1.pdf")

    with time_machine.travel(second.effective_at + timedelta(minutes=1), tick=False):
        text = text_of(client.get("/confidentialite/"))
    assert "Version 2" in text and "Destinataires" in text


def test_terms_page_without_any_version_says_so(client, site_tree):
    response = client.get("/cgu/")
    assert response.status_code == 200
    assert "pas encore été publié" in text_of(response)


def test_version_list_shows_each_version_with_date_summary_and_links(client, two_versions):
    response = client.get("/confidentialite/versions/")
    soup = assert_valid_accessible_html(response.content)
    text = soup.get_text(" ", strip=True)
    assert "Version 1" in text and "Version 2" in text
    assert "Ajout des destinataires" in text
    assert "Entrera en vigueur le" in text  # v2 is announced, not in force
    assert soup.find("a", href="/confidentialite/versions/1/diff/2/")


@pytest.mark.parametrize("number", [1, 2])
def test_each_version_is_readable_on_its_own_page(client, two_versions, number):
    response = client.get(f"/confidentialite/versions/{number}/")
    soup = assert_valid_accessible_html(response.content)
    assert soup.h1.get_text(strip=True) == "Politique de confidentialité"
    assert f"Version {number}" in soup.get_text(" ", strip=True)


def test_pdf_download_is_the_stored_file_with_a_stable_name(
    client, privacy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = publish(privacy, body=V1)  # a real PDF, stored by the task
    with default_storage.open(version.pdf.name) as stored:
        stored_bytes = stored.read()
    response = client.get("/confidentialite/versions/1.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="politique-de-confidentialite-v1.pdf"' in response["Content-Disposition"]
    assert stored_bytes.startswith(b"%PDF")
    assert b"".join(response.streaming_content) == stored_bytes


def test_pdf_is_not_rendered_again_per_request(client, two_versions, monkeypatch):
    def fail(**kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr("compliance.pdf.policy_pdf_render", fail)
    assert client.get("/confidentialite/versions/2.pdf").status_code == 200


def test_terms_have_the_same_pages_under_cgu(client, terms, fast_pdf):
    publish(terms, body="<h2>Objet</h2><p>Les CGU.</p>")
    assert "Les CGU." in text_of(client.get("/cgu/"))
    assert client.get("/cgu/versions/").status_code == 200
    assert client.get("/cgu/versions/1/").status_code == 200
    response = client.get("/cgu/versions/1.pdf")
    assert "conditions-generales-d-utilisation-v1.pdf" in response["Content-Disposition"]
    assert client.get("/cgu/versions/2/").status_code == 404


def test_diff_marks_deleted_and_inserted_text_and_keeps_headings(client, two_versions):
    response = client.get("/confidentialite/versions/1/diff/2/")
    soup = assert_valid_accessible_html(response.content)
    diff = soup.find("div", class_="diff")
    inserted = " ".join(tag.get_text(" ", strip=True) for tag in diff.find_all("ins"))
    deleted = " ".join(tag.get_text(" ", strip=True) for tag in diff.find_all("del"))
    assert "et les rectifier." in inserted and "Destinataires" in inserted
    assert "Durées" in deleted and "3 ans." in deleted
    assert diff.find("h2", string="Vos droits") is not None  # unchanged heading, as a heading


@pytest.mark.parametrize(
    "url",
    [
        "/confidentialite/versions/3/",
        "/confidentialite/versions/0/",
        "/confidentialite/versions/007/",
        "/confidentialite/versions/99999999999999999999999/",
        "/confidentialite/versions/-1/",
        "/confidentialite/versions/abc/",
        "/confidentialite/versions/3.pdf",
        "/confidentialite/versions/0.pdf",
        "/confidentialite/versions/1/diff/3/",
        "/confidentialite/versions/1/diff/",
        "/confidentialite/versions/1/diff/x/",
        "/confidentialite/versions/1/diff/2/3/",
        "/confidentialite/versions/1/diff/99999999999999999999/",
        "/cgu/versions/1/",
        "/cgu/versions/1/diff/2/",
    ],
)
def test_unknown_versions_and_malformed_urls_are_not_found(client, two_versions, url):
    response = client.get(url)
    assert response.status_code == 404
