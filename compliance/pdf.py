"""The PDF of a policy version, rendered once, when the version is created.

WeasyPrint works offline: the stylesheet is inline in the template and the font is the system's
DejaVu (no network fetch, no external font). Links in the text are made absolute against the
site's root URL so that they still work once the file is downloaded.
"""

from __future__ import annotations

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import translation


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
    # only publication needs it.
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
