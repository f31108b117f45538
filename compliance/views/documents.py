"""Public pages of the versioned documents: list, one version, its PDF, and a diff."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from compliance import selectors
from compliance.diff import document_diff
from compliance.models import DOCUMENT_SLUGS, DocumentKind, PolicyVersion
from compliance.pdf import policy_version_pdf_store


def _version_or_404(kind: str, number: str) -> PolicyVersion:
    version = selectors.policy_version_get(kind, int(number))
    if version is None:
        raise Http404("Cette version n'existe pas.")
    return version


def _document_context(kind: str) -> dict:
    return {
        "kind": kind,
        "document_label": DocumentKind(kind).label,
        "document_url": f"/{DOCUMENT_SLUGS[kind]}/",
        "versions_url": f"/{DOCUMENT_SLUGS[kind]}/versions/",
    }


def version_list(request, kind: str):
    now = timezone.now()
    versions = list(selectors.policy_versions_list(kind))
    context = {
        **_document_context(kind),
        "versions": [v for v in versions if v.effective_at <= now],
        "upcoming": [v for v in versions if v.effective_at > now],
        "now": now,
    }
    return render(request, "compliance/version_list.html", context)


def version_detail(request, kind: str, number: str):
    version = _version_or_404(kind, number)
    in_force = selectors.policy_version_in_force(kind)
    context = {
        **_document_context(kind),
        "version": version,
        "in_force": in_force,
        "is_upcoming": version.effective_at > timezone.now(),
        "previous_number": version.number - 1 if version.number > 1 else None,
    }
    return render(request, "compliance/version_detail.html", context)


def version_pdf(request, kind: str, number: str):
    """The version's stored PDF, rendered from its snapshot first if the task has not yet run.

    Rendering here rather than answering "come back later": the link is on the version's page
    from the moment it is published, and a reader who clicks it expects the document, not an
    error page for the seconds (or, with a worker down, the hours) before the task's turn. The
    same idempotent function as the task's writes the same file once; later downloads stream it.
    """
    version = _version_or_404(kind, number)
    policy_version_pdf_store(version=version)
    return FileResponse(
        version.pdf.open("rb"),
        as_attachment=True,
        filename=version.pdf_filename,
        content_type="application/pdf",
    )


def version_diff(request, kind: str, old: str, new: str):
    before, after = _version_or_404(kind, old), _version_or_404(kind, new)
    context = {
        **_document_context(kind),
        "before": before,
        "after": after,
        "title_changed": before.title != after.title,
        "blocks": document_diff(before.html, after.html),
    }
    return render(request, "compliance/version_diff.html", context)
