"""Uploaded images and documents that would turn into something else once served are refused.

Two tricks: HTML (or any script) appended after a valid image, which still decodes; and a
double extension (`portrait.php.png`) that some web servers hand to PHP.
"""

import html
from io import BytesIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from cms.uploads import UnreadableImage, filename_check, filename_flatten, trailing_bytes
from tests.factories import image_create, otp_login

HTML = b"<html><script>alert(document.cookie)</script></html>"
IMAGE_FORM = "cms.uploads.SafeImageForm"
DOCUMENT_FORM = "cms.uploads.SafeDocumentForm"


def picture(image_format: str, **options) -> bytes:
    buffer = BytesIO()
    image = PILImage.new("RGB", (64, 48), "#7aa37a")
    image.putpixel((3, 3), (255, 0, 0))
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _exif_jpeg() -> bytes:
    exif = PILImage.Exif()
    exif[0x010F] = "Appareil de test"  # Make
    return picture("JPEG", exif=exif.tobytes())


def _mpo() -> bytes:
    buffer = BytesIO()
    second = PILImage.new("RGB", (64, 48), "#224466")
    PILImage.new("RGB", (64, 48), "#7aa37a").save(
        buffer, "MPO", save_all=True, append_images=[second]
    )
    return buffer.getvalue()


CLEAN = {
    "png": lambda: picture("PNG"),
    "png-interlaced": lambda: picture("PNG", optimize=True),
    "jpeg": lambda: picture("JPEG", quality=90),
    "jpeg-progressive": lambda: picture("JPEG", progressive=True),
    "jpeg-restart-markers": lambda: picture("JPEG", restart_marker_blocks=1),
    "jpeg-exif": _exif_jpeg,
    "jpeg-multi-picture": _mpo,
    "webp": lambda: picture("WEBP"),
    "webp-lossless": lambda: picture("WEBP", lossless=True),
}


@pytest.mark.parametrize("kind", CLEAN)
def test_an_ordinary_image_has_nothing_after_its_end(kind):
    assert trailing_bytes(CLEAN[kind]()) == 0


@pytest.mark.parametrize("kind", CLEAN)
def test_html_appended_to_an_image_is_found(kind):
    assert trailing_bytes(CLEAN[kind]() + HTML) == len(HTML)


@pytest.mark.parametrize("kind", ["png", "jpeg", "webp"])
def test_a_truncated_image_is_unreadable(kind):
    data = CLEAN[kind]()
    with pytest.raises(UnreadableImage):
        trailing_bytes(data[: len(data) // 2])


def test_zero_padding_after_a_jpeg_is_tolerated():
    assert trailing_bytes(picture("JPEG") + b"\x00" * 16) == 0


@pytest.mark.parametrize(
    "name", ["x.php.png", "Portrait.PHP.jpg", "a.phtml.webp", "page.html.png", "x.svg.png"]
)
def test_a_dangerous_double_extension_is_refused(name):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refusal:
        filename_check(name)
    assert refusal.value.code == "double_extension"


@pytest.mark.parametrize("name", ["portrait.jpg", "camille.martin.jpg", "Dr. Rossi.png"])
def test_ordinary_names_pass_and_keep_one_extension(name):
    filename_check(name)
    assert filename_flatten(name).count(".") == 1


# --- Through the admin ------------------------------------------------------------------------


@pytest.fixture
def safe_forms(settings):
    settings.WAGTAILIMAGES_IMAGE_FORM_BASE = IMAGE_FORM
    settings.WAGTAILDOCS_DOCUMENT_FORM_BASE = DOCUMENT_FORM


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_user("editrice@example.com", "phrase-de-passe-longue")
    user.groups.add(Group.objects.get(name="Editors"))
    otp_login(client, user)
    return client


def test_the_settings_use_the_checked_upload_forms():
    assert getattr(django_settings, "WAGTAILIMAGES_IMAGE_FORM_BASE", "") == IMAGE_FORM
    assert getattr(django_settings, "WAGTAILDOCS_DOCUMENT_FORM_BASE", "") == DOCUMENT_FORM


@pytest.mark.django_db
@pytest.mark.usefixtures("safe_forms")
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("portrait.png", picture("PNG") + HTML, "après la fin de l'image"),
        ("portrait.jpg", picture("JPEG") + HTML, "après la fin de l'image"),
        ("portrait.php.png", picture("PNG"), "double extension"),
    ],
)
def test_the_admin_refuses_such_images_on_every_upload_path(editor_client, name, data, message):
    Image = get_image_model()
    root = Collection.get_first_root_node().pk
    response = editor_client.post(
        "/admin/images/add/",
        {"title": "Piège", "collection": root, "file": ContentFile(data, name=name)},
    )
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())

    response = editor_client.post(
        "/admin/images/multiple/add/",
        {"collection": root, "files[]": ContentFile(data, name=name)},
    )
    assert response.json()["success"] is False
    assert message in response.json()["error_message"]

    response = editor_client.post(
        "/admin/images/chooser/create/",
        {
            "image-chooser-upload-title": "Piège",
            "image-chooser-upload-collection": root,
            "image-chooser-upload-file": ContentFile(data, name=name),
        },
    )
    assert message in html.unescape(response.json()["htmlFragment"])
    assert not Image.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("safe_forms")
def test_an_ordinary_image_is_accepted_with_one_extension_in_its_stored_name(editor_client):
    response = editor_client.post(
        "/admin/images/add/",
        {
            "title": "Cabinet",
            "collection": Collection.get_first_root_node().pk,
            "file": ContentFile(picture("JPEG"), name="cabinet.lyon.jpg"),
        },
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Cabinet")
    assert image.file.name.endswith("/cabinet_lyon.jpg")


@pytest.mark.django_db
@pytest.mark.usefixtures("safe_forms")
def test_editing_an_image_without_a_new_file_still_works(editor_client):
    image = image_create("Sans fichier neuf")
    response = editor_client.get(f"/admin/images/{image.pk}/")
    assert response.status_code == 200
    response = editor_client.post(
        f"/admin/images/{image.pk}/",
        {"title": "Titre changé", "collection": image.collection_id, "tags": ""},
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.title == "Titre changé"


@pytest.mark.django_db
@pytest.mark.usefixtures("safe_forms")
def test_a_document_with_a_double_extension_is_refused(editor_client):
    root = Collection.get_first_root_node().pk
    response = editor_client.post(
        "/admin/documents/add/",
        {
            "title": "Tarifs",
            "collection": root,
            "file": ContentFile(b"%PDF-1.4 test", name="tarifs.php.pdf"),
        },
    )
    assert response.status_code == 200
    assert "double extension" in html.unescape(response.content.decode())
    assert not get_document_model().objects.exists()

    response = editor_client.post(
        "/admin/documents/add/",
        {
            "title": "Tarifs",
            "collection": root,
            "file": ContentFile(b"%PDF-1.4 test", name="tarifs.2026.pdf"),
        },
    )
    assert response.status_code == 302
    assert get_document_model().objects.get().file.name.endswith("/tarifs_2026.pdf")


# --- Served from /media/ by the embedded server ----------------------------------------------


@pytest.mark.django_db
def test_media_are_served_with_nosniff_and_a_content_security_policy(client):
    image = image_create("Servie")
    response = client.get(image.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = {
        directive.strip().split(" ")[0]: directive.strip()
        for directive in response["Content-Security-Policy"].split(";")
    }
    assert policy["default-src"] == "default-src 'none'"
    assert policy["sandbox"] == "sandbox"
    assert "script-src" not in policy
