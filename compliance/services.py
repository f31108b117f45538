"""Writes of the compliance app: publishing policy versions and recording acceptances."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.rich_text import expand_db_html

from cms.models import VersionedDocumentPage
from compliance import selectors
from compliance.models import (
    Acceptance,
    AcceptanceContext,
    DocumentKind,
    PolicyVersion,
)
from compliance.pdf import policy_version_pdf_name
from compliance.tasks import policy_version_notices_send, policy_version_pdf_render

if TYPE_CHECKING:
    from wagtail.models import Revision

    from core.users import AuthUser

logger = logging.getLogger(__name__)

# What the person is shown when they accept, recorded with each acceptance as evidence. Forms
# that ask for an acceptance display these words next to their button or checkbox.
WORDINGS: dict[str, str] = {
    AcceptanceContext.SIGNUP: (
        "J'accepte les conditions générales d'utilisation et je reconnais avoir lu la "
        "politique de confidentialité."
    ),
    AcceptanceContext.BOOKING: (
        "En réservant, j'accepte les conditions générales d'utilisation et je reconnais avoir "
        "lu la politique de confidentialité."
    ),
    AcceptanceContext.REACCEPTANCE: "J'accepte cette nouvelle version.",
    AcceptanceContext.NEWSLETTER: "J'accepte de recevoir la lettre d'information.",
}
NOTICE_WORDING = "J'ai compris (bandeau d'information sur une modification mineure)."


def snapshot_html(page: VersionedDocumentPage) -> str:
    """The page's text as readers see it: rich text with its internal links made into URLs."""
    return expand_db_html(page.body).strip()


def snapshot_sha256(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


@transaction.atomic
def policy_version_publish(
    *,
    page: VersionedDocumentPage,
    revision: Revision | None = None,
    published_by: AuthUser | None = None,
) -> PolicyVersion | None:
    """Freeze the published page as the next version of its document; None if nothing changed.

    A republication with the same text and title (same SHA-256) creates nothing. The effective
    date is the editor's, but never before the publication nor before the previous version's:
    a version cannot have been in force before anyone could read it, and versions come into
    force in the order of their numbers.
    """
    kind = DocumentKind(page.document_kind)
    html = snapshot_html(page)
    sha256 = snapshot_sha256(html)
    # Locks the newest row of the kind: two simultaneous publications queue up here (and the
    # unique constraint on (kind, number) stops any that would not).
    latest = PolicyVersion.objects.select_for_update().filter(kind=kind).order_by("-number").first()
    if latest is not None and latest.sha256 == sha256 and latest.title == page.title:
        logger.info("%s republished without change: no new version.", page.title)
        return None

    now = timezone.now()
    candidates = [now, page.effective_at or now]
    if latest is not None:
        candidates.append(latest.effective_at)
    effective_at = max(candidates)
    number = latest.number + 1 if latest is not None else 1

    version = PolicyVersion(
        kind=kind,
        number=number,
        title=page.title,
        effective_at=effective_at,
        summary=page.change_summary.strip(),
        # Version 1 is the whole document: nobody has accepted anything before it.
        is_material=number == 1 or page.is_material_change,
        html=html,
        sha256=sha256,
        created_at=now,
        page=page,
        revision=revision,
        published_by=published_by,
    )
    # The row names its file now and never changes; the file is written after the commit
    # (WeasyPrint takes seconds, and must not hold the lock taken above nor leave a file behind
    # when the publication rolls back). Until then the download renders it (views.documents).
    version.pdf.name = policy_version_pdf_name(version=version)
    version.save()
    transaction.on_commit(_pdf_render_enqueue(version.pk), robust=True)
    if version.is_material and number > 1:
        # Accounts are told at publication, hence before a future effective date. Version 1
        # changes nothing anyone accepted: whoever has an account is asked to accept it anyway.
        transaction.on_commit(_notices_enqueue(version.pk), robust=True)
    logger.info("%s: version %d created (effective %s).", page.title, number, effective_at)
    return version


def _pdf_render_enqueue(version_id: int) -> Callable[[], None]:
    # robust: the publication is committed whatever happens here; a version whose task was
    # never enqueued still gets its PDF at the first download. A named function rather than a
    # partial: Django logs the __qualname__ of a robust callback that fails.
    def policy_version_pdf_render_enqueue() -> None:
        policy_version_pdf_render.enqueue(version_id)

    return policy_version_pdf_render_enqueue


def _notices_enqueue(version_id: int) -> Callable[[], None]:
    def policy_version_notices_send_enqueue() -> None:
        policy_version_notices_send.enqueue(version_id)

    return policy_version_notices_send_enqueue


@transaction.atomic
def acceptance_record(
    *,
    version: PolicyVersion,
    context: str,
    wording: str,
    user: AuthUser | None = None,
    email: str = "",
    accepted_at: datetime | None = None,
) -> Acceptance:
    """Append one acceptance to the ledger: exactly one of `user` and `email` says who."""
    if (user is None) == (not email):
        raise ValidationError("Une acceptation nomme soit un utilisateur, soit une adresse e-mail.")
    if context not in AcceptanceContext.values:
        raise ValidationError(f"Contexte d'acceptation inconnu : {context!r}.")
    if not wording.strip():
        raise ValidationError("La formulation montrée doit être enregistrée.")
    if user is not None and not user.is_authenticated:
        raise ValidationError("Seul un utilisateur connecté peut accepter.")
    acceptance = Acceptance(
        user=user,
        email=email.strip().lower(),
        version=version,
        context=context,
        wording=wording.strip(),
        accepted_at=accepted_at or timezone.now(),
    )
    acceptance.full_clean()
    acceptance.save()
    return acceptance


def policy_versions_accept_in_force(
    *, user: AuthUser, context: str, wording: str | None = None
) -> list[Acceptance]:
    """Record `user`'s acceptance of the privacy policy and terms in force (sign-up, booking).

    Only the versions the user has not accepted yet are written (returned): the ledger holds
    each acceptance once, so signing up then booking, or booking twice, adds no duplicate. A
    document with no version in force yet is skipped: there is nothing to accept.
    """
    wording = wording or WORDINGS[AcceptanceContext(context)]
    with transaction.atomic():
        return [
            acceptance_record(version=version, context=context, wording=wording, user=user)
            for version in selectors.policy_versions_not_accepted(user)
        ]


class VersionNotInForce(ValidationError):
    pass


def policy_versions_accept(
    *, user: AuthUser, versions: Iterable[PolicyVersion], context: str, wording: str
) -> list[Acceptance]:
    """Record `user`'s acceptance of `versions`, each of which must be the one in force.

    Accepting an old or a future version proves nothing about the text that applies now.
    """
    versions = list(versions)
    in_force = selectors.policy_versions_in_force()
    for version in versions:
        current = in_force.get(version.kind)
        if current is None or current.pk != version.pk:
            raise VersionNotInForce(
                f"La version {version.number} de « {version.title} » n'est pas en vigueur."
            )
    with transaction.atomic():
        return [
            acceptance_record(
                version=version,
                context=context,
                wording=f"{wording} ({version.title}, version {version.number})",
                user=user,
            )
            for version in versions
        ]
