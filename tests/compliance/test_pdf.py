"""The PDF of a version is rendered after the publication commits, from the frozen snapshot."""

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from pypdf import PdfReader

from compliance.models import PolicyVersion
from compliance.tasks import policy_version_pdf_render
from tests.compliance.conftest import publish

pytestmark = pytest.mark.django_db

POLICY = "<h2>Vos droits</h2><p>Accès, rectification, effacement.</p>"


class Rollback(Exception):
    pass


def stored_pdfs() -> list[str]:
    try:
        return default_storage.listdir("politiques")[1]
    except FileNotFoundError:
        return []


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    return " ".join(text.split())


@pytest.fixture
def renders(monkeypatch):
    """WeasyPrint itself replaced by a recorder: every call, on whatever path, is seen."""
    calls = []

    def write_pdf(html, *args, **kwargs):
        calls.append(html)
        return b"%PDF-1.7 recorded\n%%EOF\n"

    monkeypatch.setattr("weasyprint.HTML.write_pdf", write_pdf)
    return calls


# transaction=True: a real commit and a real rollback, not the savepoints of a test case.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rolled_back_publication_leaves_no_version_and_no_file(privacy, renders):
    with pytest.raises(Rollback), transaction.atomic():
        publish(privacy, body=POLICY)
        raise Rollback

    assert not PolicyVersion.objects.exists()
    assert stored_pdfs() == []
    assert renders == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_commit_the_pdf_is_stored_with_the_text_of_the_snapshot(privacy):
    version = publish(privacy, body=POLICY)  # autocommit: on_commit runs the task

    assert stored_pdfs() == [version.pdf.name.removeprefix("politiques/")]
    with default_storage.open(version.pdf.name) as stored:
        text = pdf_text(stored.read())
    assert "Version 1" in text and "Accès, rectification, effacement." in text


def test_publishing_does_not_call_weasyprint_before_the_commit(
    privacy, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = publish(privacy, body=POLICY)
        assert renders == []
        assert not default_storage.exists(version.pdf.name)

    for callback in callbacks:
        callback()
    assert len(renders) == 1
    assert default_storage.exists(version.pdf.name)


def test_pdf_is_rendered_from_the_snapshot_not_from_the_page_edited_since(
    privacy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = publish(privacy, body=POLICY)
    # An editor saves a draft before the worker gets to the task.
    page = type(privacy).objects.get(pk=privacy.pk)
    page.body = "<h2>Brouillon</h2><p>Texte pas encore publié.</p>"
    page.save_revision()
    for callback in callbacks:
        callback()

    with default_storage.open(version.pdf.name) as stored:
        text = pdf_text(stored.read())
    assert "Accès, rectification, effacement." in text
    assert "Brouillon" not in text


def test_a_second_run_of_the_task_does_nothing(
    privacy, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = publish(privacy, body=POLICY)
    with default_storage.open(version.pdf.name) as stored:
        first = stored.read()

    assert policy_version_pdf_render.call(version.pk) is False
    assert len(renders) == 1
    with default_storage.open(version.pdf.name) as stored:
        assert stored.read() == first
    assert stored_pdfs() == [version.pdf.name.removeprefix("politiques/")]


def test_pdf_url_works_before_the_task_has_run(client, privacy):
    version = publish(privacy, body=POLICY)  # test transaction: the task has not run yet
    assert not default_storage.exists(version.pdf.name)

    response = client.get("/confidentialite/versions/1.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="politique-de-confidentialite-v1.pdf"' in response["Content-Disposition"]
    text = pdf_text(b"".join(response.streaming_content))
    assert "Accès, rectification, effacement." in text
    # The download stored the file: the task, when it comes, has nothing left to do.
    assert default_storage.exists(version.pdf.name)
    assert policy_version_pdf_render.call(version.pk) is False
