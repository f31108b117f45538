import pytest

from compliance.models import PolicyVersion


def publish(
    page, *, body=None, title=None, summary="", material=False, effective_at=None, user=None
):
    """Publish `page` as an editor does (revision, then publication); return the newest version."""
    page = type(page).objects.get(pk=page.pk)
    if body is not None:
        page.body = body
    if title is not None:
        page.title = title
    page.change_summary = summary
    page.is_material_change = material
    page.effective_at = effective_at
    page.save_revision(user=user).publish(user=user)
    return PolicyVersion.objects.filter(kind=page.document_kind).order_by("-number").first()


def staff_login(client, user):
    """An admin session (verified second factor) of a user who accepted the documents in force."""
    from compliance.services import policy_versions_accept_in_force
    from tests.factories import otp_login

    otp_login(client, user)
    policy_versions_accept_in_force(user=user, context="reacceptance")


@pytest.fixture(autouse=True)
def fresh_media(settings):
    """An empty in-memory storage per test: PDF names are stable, so files of an earlier test
    would otherwise be found (and kept) by the next one's rendering."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def privacy(site_tree):
    return site_tree["privacy"]


@pytest.fixture
def terms(site_tree):
    return site_tree["cgu"]


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        email="alice@example.com", password="pw-alice-123456"
    )
