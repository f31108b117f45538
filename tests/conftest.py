import pytest

from tests.factories import site_tree_create


@pytest.fixture
def site_tree(db):
    return site_tree_create()


@pytest.fixture
def directory(site_tree):
    return site_tree["directory"]


@pytest.fixture
def fast_pdf(monkeypatch):
    """For tests about something else than the PDF: skip WeasyPrint (seconds per document)."""
    monkeypatch.setattr(
        "compliance.pdf.policy_pdf_render", lambda **kwargs: b"%PDF-1.7 test\n%%EOF\n"
    )
