import pytest

from tests.factories import policies_publish, site_tree_create


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


@pytest.fixture
def policies(site_tree, fast_pdf):
    """The terms and the privacy policy published, hence in force (version 1 of each)."""
    policies_publish(site_tree)
    return site_tree
