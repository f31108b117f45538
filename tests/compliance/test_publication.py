"""Publishing the privacy policy or the terms creates their numbered, immutable versions."""

import hashlib
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from compliance.models import PolicyVersion
from tests.compliance.conftest import publish, staff_login

pytestmark = pytest.mark.django_db

POLICY = (
    "<h2>Responsable du traitement</h2><p>Nous traitons vos données.</p>"
    "<h2>Vos droits</h2><p>Accès, rectification, effacement.</p>"
)


def test_publishing_creates_exactly_one_version_with_a_verifiable_snapshot(privacy):
    version = publish(privacy, body=POLICY)

    assert PolicyVersion.objects.count() == 1
    assert (version.kind, version.number, version.is_material) == ("privacy", 1, True)
    assert version.title == "Politique de confidentialité"
    assert "<h2>Vos droits</h2>" in version.html
    assert version.sha256 == hashlib.sha256(version.html.encode()).hexdigest()
    assert version.revision_id == type(privacy).objects.get(pk=privacy.pk).live_revision_id


def test_pdf_is_stored_once_with_the_version_number_the_headings_and_the_operator(
    privacy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the PDF task runs on commit
        version = publish(privacy, body=POLICY)

    assert version.pdf.name.endswith(".pdf")
    assert version.pdf_filename == "politique-de-confidentialite-v1.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(version.pdf.read())).pages)
    text = " ".join(text.split())
    for expected in [
        "Politique de confidentialité",
        "Version 1",
        "Responsable du traitement",
        "Vos droits",
        "Accès, rectification, effacement.",
        "Praticiens Test SAS",
        "dpo@example.com",
    ]:
        assert expected in text, expected


def test_republishing_identical_text_creates_no_version(privacy, fast_pdf):
    publish(privacy, body=POLICY)
    publish(privacy, body=POLICY, summary="Rien ne change")

    assert PolicyVersion.objects.count() == 1


def test_each_changed_publication_takes_the_next_number_per_document(privacy, terms, fast_pdf):
    publish(privacy, body=POLICY)
    publish(terms, body="<h2>Objet</h2><p>CGU.</p>")
    second = publish(privacy, body=POLICY + "<p>Ajout.</p>", summary="Un ajout")
    renamed = publish(privacy, body=POLICY + "<p>Ajout.</p>", title="Confidentialité", summary="T")

    assert [second.number, renamed.number] == [2, 3]
    assert second.summary == "Un ajout" and second.is_material is False
    assert list(PolicyVersion.objects.filter(kind="terms").values_list("number", flat=True)) == [1]


def test_drafts_and_previews_create_no_version(client, privacy, fast_pdf, django_user_model):
    page = type(privacy).objects.get(pk=privacy.pk)
    page.body = "<p>Brouillon.</p>"
    page.save_revision()
    admin = django_user_model.objects.create_superuser(email="root@example.com", password="x")
    staff_login(client, admin)
    assert client.get(f"/admin/pages/{page.pk}/edit/preview/").status_code in (200, 405)

    assert not PolicyVersion.objects.exists()


def test_scheduled_publication_creates_its_version_when_it_goes_live(privacy, fast_pdf):
    start = timezone.now()
    publish(privacy, body=POLICY)
    page = type(privacy).objects.get(pk=privacy.pk)
    page.body = POLICY + "<h2>Nouvelle section</h2>"
    page.change_summary = "Nouvelle section"
    page.go_live_at = start + timedelta(days=2)
    page.save_revision().publish()

    assert PolicyVersion.objects.count() == 1  # scheduled, not live yet
    with time_machine.travel(start + timedelta(days=1), tick=False):
        call_command("publish_scheduled")
    assert PolicyVersion.objects.count() == 1

    with time_machine.travel(start + timedelta(days=2, minutes=1), tick=False):
        call_command("publish_scheduled")
        version = PolicyVersion.objects.get(number=2)
        assert version.created_at == timezone.now()
    assert "Nouvelle section" in version.html
    assert version.effective_at == version.created_at


def test_first_publication_scheduled_in_the_future_waits_too(privacy, fast_pdf):
    start = timezone.now()
    page = type(privacy).objects.get(pk=privacy.pk)
    page.go_live_at = start + timedelta(hours=3)
    page.save_revision().publish()

    assert not PolicyVersion.objects.exists()
    with time_machine.travel(start + timedelta(hours=4), tick=False):
        call_command("publish_scheduled")
    assert PolicyVersion.objects.get().number == 1


def test_effective_date_is_never_before_the_publication_nor_the_previous_version(privacy, fast_pdf):
    now = timezone.now()
    later = now + timedelta(days=30)
    first = publish(privacy, body=POLICY, effective_at=now - timedelta(days=10))
    second = publish(privacy, body="<p>v2</p>", summary="v2", effective_at=later)
    third = publish(privacy, body="<p>v3</p>", summary="v3", effective_at=now + timedelta(days=1))

    assert now <= first.effective_at <= timezone.now()
    assert second.effective_at == later
    assert third.effective_at == later  # not before version 2


def test_unpublishing_the_page_keeps_every_version_readable(client, privacy, fast_pdf):
    publish(privacy, body=POLICY)
    type(privacy).objects.get(pk=privacy.pk).unpublish()

    assert PolicyVersion.objects.count() == 1
    assert client.get("/confidentialite/versions/1/").status_code == 200
    assert client.get("/confidentialite/").status_code == 404


def test_editor_must_summarise_the_changes_of_a_second_version(
    client, privacy, fast_pdf, django_user_model
):
    publish(privacy, body=POLICY)
    admin = django_user_model.objects.create_superuser(email="root@example.com", password="x")
    staff_login(client, admin)
    page = type(privacy).objects.get(pk=privacy.pk)
    data = {
        "title": page.title,
        "slug": page.slug,
        "body": '{"blocks":[{"key":"a","type":"unstyled","text":"Nouveau texte","depth":0,'
        '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "change_summary": "",
        "effective_at": "",
        "action-publish": "publish",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)

    assert response.status_code == 200  # the form again, with its error
    assert "Résumez ce qui change" in response.content.decode()
    assert PolicyVersion.objects.count() == 1

    data["change_summary"] = "Texte réécrit"
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302
    assert PolicyVersion.objects.get(number=2).summary == "Texte réécrit"
