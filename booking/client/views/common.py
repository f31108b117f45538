"""What the client booking pages share: lookups that 404, the answers to bad input."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import User
from booking import selectors
from booking.client.presenters import (
    BadWeek,
    SlotWeek,
    WeekOutOfRange,
)
from booking.models import Appointment, Practitioner
from cms.models import PractitionerService

GET_POST = require_http_methods(["GET", "POST"])


# --- Lookups: anything unknown, unpublished or foreign is a 404 -------------------------------


def practitioner_or_404(page_id: int) -> Practitioner:
    practitioner = selectors.bookable_practitioner(page_id)
    if practitioner is None:
        raise Http404(_("Ce praticien ne prend pas de rendez-vous en ligne."))
    return practitioner


def service_or_404(practitioner: Practitioner, service_id: int) -> PractitionerService:
    service = selectors.practitioner_service(practitioner=practitioner, service_id=service_id)
    if service is None:
        raise Http404(_("Cette prestation n'existe pas chez ce praticien."))
    return service


def own_appointment_or_404(user: User, reference: UUID) -> Appointment:
    # Another client's reference and an unknown one look the same: nothing to learn from it.
    appointment = selectors.client_appointment(client=user, reference=reference)
    if appointment is None:
        raise Http404(_("Rendez-vous introuvable."))
    return appointment


# --- Shared answers ---------------------------------------------------------------------------


def bad_request(
    request: HttpRequest,
    *,
    title: str,
    reason: str,
    back_url: str,
    back_label: str,
    status: int = 400,
) -> HttpResponse:
    """A 4xx page saying why, with the way back (400 by default; 429 for too many holds)."""
    context = {"title": title, "reason": reason, "back_url": back_url, "back_label": back_label}
    return render(request, "booking/client/bad_request.html", context, status=status)


def bad_start(request: HttpRequest, back_url: str) -> HttpResponse:
    return bad_request(
        request,
        title=_("Horaire invalide"),
        reason=_(
            "L'horaire demandé n'est pas une date valide (format attendu : 2027-01-12T09:00:00Z)."
        ),
        back_url=back_url,
        back_label=_("Choisir un créneau"),
    )


def week_page(request: HttpRequest, week: SlotWeek, template: str, extra: dict) -> HttpResponse:
    """A week of slots, or the answer to a `semaine` that is malformed or out of range."""
    try:
        context = week.context(request.GET.get("semaine"))
    except BadWeek:
        return bad_request(
            request,
            title=_("Date invalide"),
            reason=_("La semaine demandée n'est pas une date valide (AAAA-MM-JJ)."),
            back_url=week.week_url,
            back_label=_("Voir les créneaux de cette semaine"),
        )
    except WeekOutOfRange:
        # Before today or beyond the horizon: nothing to book there, show the current week.
        return HttpResponseRedirect(week.week_url)
    return render(request, template, {**extra, **context})


def slot_refused(
    request: HttpRequest,
    week: SlotWeek,
    start: datetime,
    *,
    alternatives: list | None = None,
    reason: str = "",
    taken: bool | None = None,
) -> HttpResponse:
    context, status = week.refusal_context(
        start, alternatives=alternatives, reason=reason, taken=taken
    )
    return render(request, "booking/client/slot_refused.html", context, status=status)
