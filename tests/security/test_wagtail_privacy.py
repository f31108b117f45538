"""Wagtail: private documents only through serve_view, no shared-password privacy, no
anonymous admin API."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

Document = get_document_model()


@pytest.fixture
def private_document(db, settings, tmp_path):
    # Files on disk, as in production: Wagtail's serve view sends them from their path.
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    root = Collection.get_first_root_node()
    private = root.add_child(name="Dossiers internes")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    return Document.objects.create(
        title="Procédure interne",
        collection=private,
        file=ContentFile(b"%PDF-1.4 confidentiel", name="procedure-interne.pdf"),
    )


def test_document_urls_go_through_the_serve_view(private_document):
    assert private_document.url == (f"/documents/{private_document.pk}/{private_document.filename}")


def test_private_document_is_refused_to_anonymous_visitors(client, private_document):
    response = client.get(private_document.url)
    assert response.status_code == 302
    assert b"confidentiel" not in b"".join(getattr(response, "streaming_content", [b""]))
    assert response["Location"].startswith("/compte/connexion/")


def test_private_document_file_is_not_served_from_the_media_url(client, private_document):
    # The file itself must not be reachable around the view's privacy check.
    response = client.get(f"/media/{private_document.file.name}")
    assert response.status_code == 404


def test_private_document_is_served_to_a_signed_in_user(
    client, private_document, django_user_model
):
    user = django_user_model.objects.create_user(
        email="client@example.com", password="a long client passphrase"
    )
    client.force_login(user)
    response = client.get(private_document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 confidentiel"


def test_page_privacy_offers_no_shared_password(verified_admin_client, site_tree):
    page = site_tree["cgu"]
    url = f"/admin/pages/{page.pk}/privacy/"
    form = verified_admin_client.get(url)
    assert form.status_code == 200
    assert 'value="password"' not in form.json()["html"]
    assert 'value="login"' in form.json()["html"]

    verified_admin_client.post(url, {"restriction_type": "password", "password": "partagé123"})
    assert not PageViewRestriction.objects.filter(page=page, restriction_type="password").exists()


def test_collection_privacy_offers_no_shared_password(verified_admin_client, private_document):
    url = f"/admin/collections/{private_document.collection_id}/privacy/"
    form = verified_admin_client.get(url)
    assert form.status_code == 200
    assert 'value="password"' not in form.json()["html"]


@pytest.mark.parametrize(
    "path",
    ["/admin/api/main/pages/", "/admin/api/main/pages/?child_of=1", "/admin/api/main/pages/1/"],
)
def test_wagtail_admin_api_is_not_reachable_anonymously(client, site_tree, path):
    response = client.get(path)
    assert response.status_code in {302, 401, 403}
    assert b'"title"' not in response.content
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")


def test_wagtail_admin_api_refuses_a_signed_in_client_without_admin_access(
    client, site_tree, django_user_model
):
    user = django_user_model.objects.create_user(
        email="client@example.com", password="a long client passphrase"
    )
    user.groups.set(Group.objects.none())
    client.force_login(user)
    response = client.get("/admin/api/main/pages/")
    assert response.status_code in {302, 403}
    assert b'"title"' not in response.content
