"""Reads for the editors' register of practitioners: one row per profile, with its state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from booking.models import OpeningHours, Practitioner
from booking.onboarding.models import PractitionerInvitation
from cms.models import PractitionerPage
from staff.models import PractitionerAccount

STATES: dict[str, Promise] = {
    "closed": _("réservation non ouverte"),
    "no_account": _("sans compte"),
    "invited": _("invité"),
    "invitation_expired": _("invitation expirée"),
    "active": _("compte actif, pas encore réservable"),
    "bookable": _("réservable"),
    "suspended": _("réservation suspendue"),
}


@dataclass(frozen=True)
class RegisterRow:
    page: PractitionerPage
    practitioner: Practitioner | None
    account: PractitionerAccount | None
    invitation: PractitionerInvitation | None  # the latest one not withdrawn
    hours_set: bool
    state: str

    @property
    def state_label(self) -> Promise:
        return STATES[self.state]

    @property
    def last_login(self) -> datetime | None:
        return self.account.user.last_login if self.account else None


def _state(
    *,
    page: PractitionerPage,
    practitioner: Practitioner | None,
    account: PractitionerAccount | None,
    invitation: PractitionerInvitation | None,
    hours_set: bool,
    now: datetime,
) -> str:
    if practitioner is None:
        return "closed"
    if practitioner.booking_suspended_at is not None:
        return "suspended"
    if account is not None:
        bookable = hours_set and practitioner.accepts_bookings and page.live
        return "bookable" if bookable else "active"
    if invitation is not None and invitation.accepted_at is None:
        return "invited" if invitation.expires_at > now else "invitation_expired"
    return "no_account"


def practitioner_register_rows(*, search: str = "") -> list[RegisterRow]:
    """Every practitioner page, alphabetical, with what an editor needs to act on it."""
    pages = PractitionerPage.objects.order_by("title")
    if search:
        pages = pages.filter(title__icontains=search)
    return _rows(pages)


def practitioner_register_row(*, page: PractitionerPage) -> RegisterRow:
    return _rows(PractitionerPage.objects.filter(pk=page.pk))[0]


def _rows(pages: QuerySet[PractitionerPage]) -> list[RegisterRow]:
    """Three queries whatever the number of pages (pages, practitioners, invitations)."""
    pages = pages.select_related("account__user")
    practitioners = Practitioner.objects.filter(page__in=pages).annotate(
        has_hours=Exists(OpeningHours.objects.filter(practitioner=OuterRef("pk")))
    )
    by_page = {practitioner.page_id: practitioner for practitioner in practitioners}
    invitations: dict[int, PractitionerInvitation] = {}
    for pending in PractitionerInvitation.objects.filter(
        practitioner__in=list(by_page.values()), withdrawn_at__isnull=True
    ).order_by("practitioner_id", "-created_at"):
        invitations.setdefault(pending.practitioner_id, pending)
    now = timezone.now()
    rows = []
    for page in pages:
        practitioner = by_page.get(page.pk)
        account = getattr(page, "account", None)
        invitation = invitations.get(practitioner.pk) if practitioner else None
        hours_set = bool(practitioner and practitioner.has_hours)
        rows.append(
            RegisterRow(
                page=page,
                practitioner=practitioner,
                account=account,
                invitation=invitation,
                hours_set=hours_set,
                state=_state(
                    page=page,
                    practitioner=practitioner,
                    account=account,
                    invitation=invitation,
                    hours_set=hours_set,
                    now=now,
                ),
            )
        )
    return rows


def practitioner_history(*, practitioner: Practitioner) -> QuerySet[ModelLogEntry]:
    """The audit log of one practitioner, newest first."""
    return (
        ModelLogEntry.objects.for_instance(practitioner)
        .select_related("user")
        .order_by("-timestamp")
    )
