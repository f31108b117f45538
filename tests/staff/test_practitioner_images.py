"""A practitioner sees, chooses and uploads images in their own collection and the shared one.

Wagtail grants image permissions per collection: these tests hold the whole admin (choosers,
listings, the admin API, the page form) to those permissions for a practitioner.
"""

import importlib
from io import BytesIO

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission

from staff.models import PractitionerAccount, PractitionerCollection
from staff.services import (
    practitioner_account_link,
    practitioner_account_unlink,
    practitioner_collection_ensure,
)
from tests.factories import image_create, otp_login
from tests.staff.test_practitioner_isolation import edit_form_data

pytestmark = pytest.mark.django_db

Image = get_image_model()


def _in(collection: Collection, title: str, owner=None):
    image = image_create(title)
    image.collection = collection
    image.uploaded_by_user = owner
    image.save()
    return image


def shared_collection() -> Collection:
    return Collection.objects.get(depth=2, name="Partagé")


@pytest.fixture
def images(practitioner, pages):
    """One image in each place a practitioner might look."""
    editor = get_user_model().objects.create_user("editrice@example.com", "phrase-de-passe")
    other = practitioner_collection_ensure(page=pages["other"])
    return {
        "own": _in(practitioner_collection_ensure(page=pages["own"]), "Mon cabinet", editor),
        "shared": _in(shared_collection(), "Galets partagés", editor),
        "other": _in(other, "Portrait de Nina", editor),
        "root": _in(Collection.get_first_root_node(), "Photo de l'équipe", editor),
    }


def _listed(response, images: dict) -> set[str]:
    """The images whose title appears in an admin page or a chooser's JSON."""
    if response["Content-Type"].startswith("application/json"):
        html = response.json().get("html", "")
    else:
        html = response.content.decode()
    return {name for name, image in images.items() if image.title in html}


def test_the_image_chooser_lists_own_and_shared_images_only(practitioner_client, images):
    for url in [
        "/admin/images/chooser/",
        "/admin/images/chooser/results/",
        f"/admin/images/chooser/results/?collection_id={images['other'].collection_id}",
    ]:
        response = practitioner_client.get(url)
        assert response.status_code == 200, url
        assert _listed(response, images) == {"own", "shared"}, url


def test_the_admin_api_lists_own_and_shared_images_only(practitioner_client, images):
    response = practitioner_client.get("/admin/api/main/images/?limit=100")
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert ids == {images["own"].pk, images["shared"].pk}
    for name in ["other", "root"]:
        detail = practitioner_client.get(f"/admin/api/main/images/{images[name].pk}/")
        assert detail.status_code == 404, name


def test_the_admin_api_lists_no_document_to_a_practitioner_and_all_to_an_editor(
    client, practitioner_client, practitioner
):
    document = get_document_model().objects.create(
        title="Charte", file=ContentFile(b"%PDF-1.4 test", name="charte.pdf")
    )
    response = practitioner_client.get("/admin/api/main/documents/")
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert practitioner_client.get(f"/admin/api/main/documents/{document.pk}/").status_code == 404

    practitioner_client.logout()
    editor = get_user_model().objects.create_user("editeur@example.com", "phrase-de-passe")
    editor.groups.add(Group.objects.get(name="Editors"))
    otp_login(client, editor)
    items = client.get("/admin/api/main/documents/").json()["items"]
    assert [item["id"] for item in items] == [document.pk]
    assert len(client.get("/admin/api/main/images/").json()["items"]) == 0  # none yet


def test_an_editor_still_sees_every_image_in_the_admin_api(client, images):
    editor = get_user_model().objects.create_user("editeur@example.com", "phrase-de-passe")
    editor.groups.add(Group.objects.get(name="Editors"))
    otp_login(client, editor)
    ids = {item["id"] for item in client.get("/admin/api/main/images/").json()["items"]}
    assert ids == {image.pk for image in images.values()}


def test_images_outside_own_and_shared_collections_are_refused_everywhere(
    practitioner_client, images
):
    served = []
    for name in ["other", "root"]:
        pk = images[name].pk
        for url in [
            f"/admin/images/{pk}/",
            f"/admin/images/{pk}/delete/",
            f"/admin/images/{pk}/generate_url/",
            f"/admin/images/{pk}/preview/fill-100x100/",
            f"/admin/images/usage/{pk}/",
            f"/admin/images/{pk}/generate_url/output/?filter_method=original",
            f"/admin/images/chooser/chosen/{pk}/",
            f"/admin/images/chooser/{pk}/select_format/",
            f"/admin/bulk/wagtailimages/image/delete/?id={pk}",
        ]:
            response = practitioner_client.get(url)
            if response.status_code == 200 or images[name].title in response.content.decode():
                served.append(f"{url} {response.status_code}")
    assert served == []
    for url in ["/admin/images/", "/admin/images/results/", "/admin/images/?q=Portrait"]:
        assert _listed(practitioner_client.get(url), images) == set(), url
    # Choosing several at once answers, with none of them.
    ids = "&".join(f"id={images[name].pk}" for name in ["other", "root"])
    response = practitioner_client.get(f"/admin/images/chooser/chosen-multiple/?{ids}")
    assert response.json()["result"] == []


def test_a_practitioner_may_choose_a_shared_image_but_not_change_it(practitioner_client, images):
    shared = images["shared"].pk
    assert practitioner_client.get(f"/admin/images/chooser/chosen/{shared}/").status_code == 200
    assert practitioner_client.get(f"/admin/images/{shared}/").status_code != 200


def _jpeg() -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (40, 40), "#336699").save(buffer, "JPEG")
    return buffer.getvalue()


def test_an_upload_goes_to_the_own_collection_and_nowhere_else(
    practitioner_client, practitioner, pages
):
    own = practitioner_collection_ensure(page=pages["own"])
    form = practitioner_client.get("/admin/images/add/").content.decode()
    assert "Partagé" not in form and "Root" not in form

    # With a single collection to add to, Wagtail does not offer the choice: a collection
    # posted anyway is ignored and the image lands in the practitioner's own.
    practitioner_client.post(
        "/admin/images/add/",
        {
            "title": "Ailleurs",
            "collection": shared_collection().pk,
            "file": ContentFile(_jpeg(), name="ailleurs.jpg"),
        },
    )
    assert Image.objects.get(title="Ailleurs").collection == own

    response = practitioner_client.post(
        "/admin/images/multiple/add/", {"files[]": ContentFile(_jpeg(), name="cabinet.jpg")}
    )
    assert response.json()["success"], response.json()
    image = Image.objects.get(pk=response.json()["image_id"])
    assert image.collection == own
    assert image.uploaded_by_user == practitioner
    # Their own upload: listed, and theirs to edit.
    assert image.title in practitioner_client.get("/admin/images/").content.decode()
    assert practitioner_client.get(f"/admin/images/{image.pk}/").status_code == 200


def test_the_page_form_refuses_an_image_the_practitioner_could_not_choose(
    practitioner_client, pages, images
):
    own_page = pages["own"]
    revisions = own_page.revisions.count()
    for name in ["other", "root"]:
        data = edit_form_data(practitioner_client, own_page, photo=str(images[name].pk))
        response = practitioner_client.post(f"/admin/pages/{own_page.pk}/edit/", data)
        # Wagtail answers a refusal in the admin with its home page and a message.
        assert (response.status_code, response["Location"]) == (302, "/admin/"), name
        assert own_page.revisions.count() == revisions, name

    data = edit_form_data(practitioner_client, own_page, photo=str(images["shared"].pk))
    response = practitioner_client.post(f"/admin/pages/{own_page.pk}/edit/", data)
    assert response["Location"] == f"/admin/pages/{own_page.pk}/edit/"
    assert _latest(own_page).photo_id == images["shared"].pk


def test_a_photo_an_editor_set_stays_when_the_practitioner_saves(
    practitioner_client, pages, images
):
    own_page = pages["own"]
    own_page.photo = images["root"]  # the team's photo, which the practitioner cannot choose
    own_page.save_revision().publish()
    data = edit_form_data(practitioner_client, own_page, headline="Nouvelle accroche")
    assert data["photo"] == str(images["root"].pk)
    response = practitioner_client.post(f"/admin/pages/{own_page.pk}/edit/", data)
    assert response["Location"] == f"/admin/pages/{own_page.pk}/edit/"
    assert _latest(own_page).headline == "Nouvelle accroche"
    assert _latest(own_page).photo_id == images["root"].pk


def _latest(page):
    return type(page).objects.get(pk=page.pk).get_latest_revision_as_object()


def _collection_permissions(group: Group) -> set[tuple[int, str]]:
    return {
        (p.collection_id, p.permission.codename)
        for p in GroupCollectionPermission.objects.filter(group=group)
    }


def test_linking_gives_the_page_group_its_collection_once(practitioner, pages):
    own_page = pages["own"]
    practitioner_account_link(user=practitioner, page=own_page)  # again: nothing changes
    link = PractitionerCollection.objects.get(page=own_page)
    assert link.collection.name == own_page.title
    assert link.collection.get_parent().name == "Praticiens"
    page_group = Group.objects.get(name=f"Practitioner page {own_page.pk}")
    assert _collection_permissions(page_group) == {
        (link.collection_id, "add_image"),
        (link.collection_id, "choose_image"),
    }
    assert Collection.objects.filter(name=own_page.title).count() == 1


def test_the_next_account_of_a_page_finds_its_images(practitioner, pages, images):
    practitioner_account_unlink(user=practitioner)
    assert not Group.objects.filter(name=f"Practitioner page {pages['own'].pk}").exists()
    successor = get_user_model().objects.create_user("relais@example.com", "phrase-de-passe")
    practitioner_account_link(user=successor, page=pages["own"])
    assert PractitionerCollection.objects.get(page=pages["own"]).collection == (
        images["own"].collection
    )


def test_the_practitioners_group_may_only_choose_in_the_shared_collection():
    group = Group.objects.get(name="Practitioners")
    assert _collection_permissions(group) == {(shared_collection().pk, "choose_image")}


def test_the_migration_gives_accounts_linked_before_it_their_collection(practitioner, pages):
    """Replays the data migration on an account linked the old way (images in the root)."""
    migration = importlib.import_module("staff.migrations.0004_practitioner_collections")
    own_page = pages["own"]
    PractitionerCollection.objects.all().delete()
    GroupCollectionPermission.objects.filter(group__name__startswith="Practitioner").delete()
    root = Collection.get_first_root_node()
    practitioners = Group.objects.get(name="Practitioners")
    for codename in ["choose_image", "add_image"]:
        GroupCollectionPermission.objects.create(
            group=practitioners,
            collection=root,
            permission=Permission.objects.get(codename=codename),
        )
    own_upload = _in(root, "Téléversée avant", practitioner)
    someone_elses = _in(root, "Logo", None)

    migration.forwards(django_apps, None)
    migration.forwards(django_apps, None)  # twice: the second run changes nothing

    link = PractitionerCollection.objects.get(page=own_page)
    assert link.collection.get_parent().name == "Praticiens"
    page_group = Group.objects.get(name=f"Practitioner page {own_page.pk}")
    assert _collection_permissions(page_group) == {
        (link.collection_id, "add_image"),
        (link.collection_id, "choose_image"),
    }
    assert _collection_permissions(practitioners) == {(shared_collection().pk, "choose_image")}
    own_upload.refresh_from_db()
    someone_elses.refresh_from_db()
    assert own_upload.collection == link.collection
    assert someone_elses.collection == root
    assert Collection.objects.filter(name="Praticiens").count() == 1
    assert Collection.objects.filter(name="Partagé").count() == 1
    # The tree stays consistent for treebeard: a collection added afterwards lands in it.
    assert practitioner_collection_ensure(page=pages["other"]).get_parent() == (
        link.collection.get_parent()
    )
    assert PractitionerAccount.objects.count() == 1
