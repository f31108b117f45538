"""The PDF of a policy version, rendered from the version's frozen snapshot after publication.

Publication only names the file (services.policy_version_publish); compliance.tasks renders and
stores it once the publication is committed, and the download view does the same if it comes
first. Both go through policy_version_pdf_store, which writes nothing when the file exists: the
row stays immutable and a rolled-back publication leaves nothing behind in storage.

WeasyPrint works offline: the stylesheet is inline in the template and the font is the system's
DejaVu (no network fetch, no external font). Links in the text are made absolute against the
site's public origin (core/links.py) so that they still work once the file is downloaded.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.models import Site

from cms.models import OperatorSettings
from compliance.models import PolicyVersion
from core.links import absolute_url

logger = logging.getLogger(__name__)


def policy_pdf_render(
    *,
    title: str,
    number: int,
    html: str,
    effective_at: datetime,
    published_at: datetime,
    operator,
    base_url: str,
) -> bytes:
    # Imported here: WeasyPrint is slow to import and logs its stylesheet parsing at start-up;
    # only the rendering task (or a first download) needs it.
    from weasyprint import HTML

    # A document of record is French whatever the language of the request that published it.
    with translation.override("fr"):
        document = render_to_string(
            "compliance/version_pdf.html",
            {
                "title": title,
                "number": number,
                "html": html,
                "effective_at": effective_at,
                "published_at": published_at,
                "operator": operator,
            },
        )
    return HTML(string=document, base_url=base_url).write_pdf()


def policy_version_pdf_name(*, version: PolicyVersion) -> str:
    """Where the version's PDF is stored, decided before the file exists.

    The name is derived from the snapshot's hash, not only from the number: a media folder that
    outlives its database (a reset development copy, a restored backup) then cannot hand the
    file of another text to a new version with the same number.
    """
    stem = version.pdf_filename.removesuffix(".pdf")
    field = PolicyVersion._meta.get_field("pdf")
    return field.generate_filename(version, f"{stem}-{version.sha256[:12]}.pdf")


def _site_of(version: PolicyVersion) -> Site | None:
    # The page may be gone (the foreign key is nulled): the default site then says whose
    # document it is.
    site = version.page.get_site() if version.page_id and version.page else None
    return site or Site.objects.filter(is_default_site=True).first()


def policy_version_pdf_store(*, version: PolicyVersion) -> bool:
    """Render the version's PDF from its snapshot into storage; False if it was already there.

    Idempotent, so that the task, a retry of it and a download may all call it.
    """
    storage = version.pdf.storage
    name = version.pdf.name
    if not name:
        raise ValueError(f"{version} has no PDF name: it was not created by publication.")
    if storage.exists(name):
        return False
    site = _site_of(version)
    content = policy_pdf_render(
        title=version.title,
        number=version.number,
        html=version.html,
        effective_at=version.effective_at,
        published_at=version.created_at,
        # The operator's identity is not part of the snapshot: it is read when the file is
        # written, which is right after the publication's commit.
        operator=OperatorSettings.for_site(site) if site is not None else None,
        base_url=absolute_url("/"),
    )
    saved = storage.save(name, ContentFile(content))
    if saved != name:
        # Another worker (or a download) wrote the same file meanwhile: keep theirs, under the
        # name the row points to, and drop this copy.
        storage.delete(saved)
        return False
    logger.info("%s: PDF stored as %s.", version, name)
    return True
