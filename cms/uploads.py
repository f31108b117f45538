"""Checks on uploaded images and documents, for the admin's upload forms.

Wagtail checks that an image decodes and that its extension matches its format; it does not
look at what follows the image, nor at the rest of the name. Two ways a file becomes something
else once served from /media/:

- bytes after the image's end (HTML or script appended to a valid PNG or JPEG): the image still
  decodes, and a browser that sniffs, or a server that serves it under another type, runs it;
- a double extension (`portrait.php.png`): some web servers (Apache's mod_mime, a careless
  nginx `location ~ \\.php`) hand the file to PHP or give it another type by its inner
  extension.

Such files are refused (not repaired): the upload paths of the multiple uploader keep the raw
file when another field fails, so a file cleaned in the form could still be stored raw, while a
refused one never is. Other inner dots are replaced in the stored name, for any server rule
nobody thought of. The headers the web server must send for /media/ are in the README.

Wired by WAGTAILIMAGES_IMAGE_FORM_BASE and WAGTAILDOCS_DOCUMENT_FORM_BASE (settings).
"""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

# Extensions that a web server may execute, or a browser render as a document, when they
# appear anywhere in a name. Lower case, without the dot.
DANGEROUS_EXTENSIONS = frozenset(
    {
        *("php", "php3", "php4", "php5", "php7", "php8", "phtml", "pht", "phps", "phar"),
        *("cgi", "pl", "py", "rb", "sh", "asp", "aspx", "ashx", "asmx", "jsp", "jspx"),
        *("html", "htm", "xhtml", "shtml", "xht", "svg", "svgz", "xml", "xsl", "js", "mjs"),
        *("exe", "dll", "bat", "cmd", "com", "scr", "msi", "jar", "htaccess", "swf"),
    }
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class UnreadableImage(Exception):
    """The file ends before its image does, or its structure is not what its format says."""


def filename_check(name: str) -> None:
    """Refuse a name that carries an executable or markup extension besides its last one."""
    base = os.path.basename(name)
    inner = base.lower().split(".")[1:-1]
    if any(part.strip() in DANGEROUS_EXTENSIONS for part in inner):
        raise ValidationError(
            _(
                "Le nom « %(name)s » contient une double extension. Renommez le fichier "
                "avec une seule extension (par exemple « portrait.jpg »)."
            ),
            code="double_extension",
            params={"name": base[:100]},
        )


def filename_flatten(name: str) -> str:
    """`photo.cabinet.jpg` -> `photo_cabinet.jpg`: one extension in the stored name."""
    stem, extension = os.path.splitext(os.path.basename(name))
    return stem.replace(".", "_") + extension


def trailing_bytes(data: bytes) -> int:
    """How many bytes follow the end of the image (PNG, JPEG, WebP); 0 for other formats.

    Raises UnreadableImage for a PNG, JPEG or WebP that ends before its own end marker.
    """
    if data.startswith(PNG_SIGNATURE):
        return len(data) - _png_end(data)
    if data.startswith(b"\xff\xd8"):
        end = _jpeg_end(data, 0)
        # Multi-picture JPEGs (MPO, written by many cameras) store further complete JPEG
        # streams after the first one; they are images too. Zero padding is harmless.
        while data.startswith(b"\xff\xd8", end):
            end = _jpeg_end(data, end)
        rest = data[end:]
        return 0 if not rest.strip(b"\x00") else len(rest)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        end = 8 + int.from_bytes(data[4:8], "little")
        if end > len(data):
            raise UnreadableImage
        return len(data) - end
    return 0


def _png_end(data: bytes) -> int:
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        chunk_type = data[position + 4 : position + 8]
        position += 12 + length  # length, type, data, CRC
        if position > len(data):
            break
        if chunk_type == b"IEND":
            return position
    raise UnreadableImage


def _jpeg_end(data: bytes, start: int) -> int:
    """The offset just after the EOI marker of the JPEG stream beginning at `start`."""
    position = start + 2  # after SOI
    size = len(data)
    while position < size:
        if data[position] != 0xFF:
            raise UnreadableImage
        while position < size and data[position] == 0xFF:  # fill bytes before a marker
            position += 1
        if position >= size:
            break
        marker = data[position]
        position += 1
        if marker == 0xD9:  # EOI
            return position
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            continue
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2 or position + length > size:
            break
        position += length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            position = _scan_end(data, position)
    raise UnreadableImage


def _scan_end(data: bytes, position: int) -> int:
    while True:
        found = data.find(b"\xff", position)
        if found < 0 or found + 1 >= len(data):
            raise UnreadableImage
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position = found + 1  # stuffed byte, restart marker, or fill: still in the scan
            continue
        return found


def image_upload_check(upload: UploadedFile) -> None:
    """Refuse an uploaded image with a dangerous double extension or bytes after its end."""
    filename_check(upload.name or "")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        extra = trailing_bytes(data)
    except UnreadableImage:
        raise ValidationError(
            _("Ce fichier image est incomplet ou abîmé. Exportez-le à nouveau."),
            code="image_truncated",
        ) from None
    if extra:
        raise ValidationError(
            _(
                "Ce fichier contient %(count)s octets après la fin de l'image, ce qu'une image "
                "ordinaire ne fait pas. Exportez-la à nouveau depuis votre logiciel de photo."
            ),
            code="image_trailing_data",
            params={"count": extra},
        )


class SafeImageForm(BaseImageForm):
    """Wagtail's image form, refusing the files described above (WAGTAILIMAGES_IMAGE_FORM_BASE)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # not on an edit that keeps the current file
            image_upload_check(upload)
            upload.name = filename_flatten(upload.name or "")
        return upload


class SafeDocumentForm(BaseDocumentForm):
    """Wagtail's document form, refusing double extensions (WAGTAILDOCS_DOCUMENT_FORM_BASE).

    Documents are served by Wagtail's view (WAGTAILDOCS_SERVE_METHOD = "serve_view"), which
    sends them with nosniff, a CSP of default-src 'none' and, but for PDF and text, as
    attachments: their content needs no check of its own here.
    """

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            filename_check(upload.name or "")
            upload.name = filename_flatten(upload.name or "")
        return upload
