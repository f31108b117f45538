"""The client's booking pages: choose a service, a slot, confirm; see, cancel, move appointments.

Thin views over booking.services, booking.selectors and the week presenter
(booking/client/presenters.py). They work without JavaScript: a week of slots is a page of
links, each link leads to a confirmation page whose POST books. Every value from the URL is
checked here for a clear 4xx, and checked again by the services inside their transaction (the
slot may have been taken in between).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import User
from booking import selectors, services
from booking.client.forms import BookingConfirmForm, CancelForm
from booking.client.presenters import (
    DEFAULT_TIMEZONE,
    BadWeek,
    SlotWeek,
    WeekOutOfRange,
    start_parse,
    tz_context,
)
from booking.exceptions import BookingError, ChangeNotAllowed, SlotUnavailable
from booking.models import Appointment, CancelledBy, Practitioner
from cms.models import PractitionerService
from core.users import signed_in_user

GET_POST = require_http_methods(["GET", "POST"])


# --- Lookups: anything unknown, unpublished or foreign is a 404 -------------------------------


def _practitioner_or_404(page_id: int) -> Practitioner:
    practitioner = selectors.bookable_practitioner(page_id)
    if practitioner is None:
        raise Http404(_("Ce praticien ne prend pas de rendez-vous en ligne."))
    return practitioner


def _service_or_404(practitioner: Practitioner, service_id: int) -> PractitionerService:
    service = selectors.practitioner_service(practitioner=practitioner, service_id=service_id)
    if service is None:
        raise Http404(_("Cette prestation n'existe pas chez ce praticien."))
    return service


def _own_appointment_or_404(user: User, reference: UUID) -> Appointment:
    # Another client's reference and an unknown one look the same: nothing to learn from it.
    appointment = selectors.client_appointment(client=user, reference=reference)
    if appointment is None:
        raise Http404(_("Rendez-vous introuvable."))
    return appointment


# --- Shared answers ---------------------------------------------------------------------------


def _bad_request(
    request: HttpRequest, *, title: str, reason: str, back_url: str, back_label: str
) -> HttpResponse:
    context = {"title": title, "reason": reason, "back_url": back_url, "back_label": back_label}
    return render(request, "booking/client/bad_request.html", context, status=400)


def _bad_start(request: HttpRequest, back_url: str) -> HttpResponse:
    return _bad_request(
        request,
        title=_("Horaire invalide"),
        reason=_(
            "L'horaire demandé n'est pas une date valide (format attendu : 2027-01-12T09:00:00Z)."
        ),
        back_url=back_url,
        back_label=_("Choisir un créneau"),
    )


def _week_page(request: HttpRequest, week: SlotWeek, template: str, extra: dict) -> HttpResponse:
    """A week of slots, or the answer to a `semaine` that is malformed or out of range."""
    try:
        context = week.context(request.GET.get("semaine"))
    except BadWeek:
        return _bad_request(
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


def _slot_refused(
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


# --- 1. Choose a service ---------------------------------------------------------------------


@require_safe
def service_choose(request: HttpRequest, page_id: int) -> HttpResponse:
    practitioner = _practitioner_or_404(page_id)
    return render(
        request,
        "booking/client/service_choose.html",
        {
            "practitioner": practitioner,
            "services": selectors.practitioner_services(practitioner=practitioner),
        },
    )


# --- 2. A week of free slots -----------------------------------------------------------------


def _booking_week(page_id: int, service_id: int) -> SlotWeek:
    practitioner = _practitioner_or_404(page_id)
    return SlotWeek(
        practitioner=practitioner,
        service=_service_or_404(practitioner, service_id),
        week_url=reverse("booking:slot_choose", args=[page_id, service_id]),
        slot_url=reverse("booking:confirm", args=[page_id, service_id]),
    )


@require_safe
def slot_choose(request: HttpRequest, page_id: int, service_id: int) -> HttpResponse:
    week = _booking_week(page_id, service_id)
    return _week_page(
        request,
        week,
        "booking/client/slot_choose.html",
        {"practitioner": week.practitioner, "service": week.service},
    )


# --- 3. Confirm and book ---------------------------------------------------------------------


def _confirmed_redirect(appointment: Appointment, status: int = 302) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("booking:confirmed", args=[appointment.reference]), status=status
    )


@GET_POST
def confirm(request: HttpRequest, page_id: int, service_id: int) -> HttpResponse:
    week = _booking_week(page_id, service_id)
    start = start_parse(request.GET.get("debut"))
    if start is None:
        return _bad_start(request, week.week_url)
    if not request.user.is_authenticated:
        # The URL keeps the choice: after the login (or the sign-up) the visitor comes back here.
        return redirect_to_login(request.get_full_path())
    user = request.user
    practitioner, service = week.practitioner, week.service

    form = BookingConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(
                practitioner=practitioner, service=service, start=start, client=user
            )
        except SlotUnavailable as error:
            mine = selectors.client_active_appointment_at(
                client=user, practitioner=practitioner, start=start
            )
            if mine is not None:
                # A double click on the button: the first request booked it.
                messages.info(request, _("Ce rendez-vous est déjà réservé à votre nom."))
                return _confirmed_redirect(mine, status=303)
            return _slot_refused(
                request, week, start, alternatives=list(error.alternatives), taken=True
            )
        except BookingError as error:
            # OutsideBookingRules (and any other refusal): a time never offered.
            return _slot_refused(request, week, start, reason=error.message, taken=False)
        return _confirmed_redirect(appointment, status=303)

    if request.method == "GET" and not week.is_free(start):
        mine = selectors.client_active_appointment_at(
            client=user, practitioner=practitioner, start=start
        )
        if mine is not None:
            return _confirmed_redirect(mine)
        return _slot_refused(request, week, start)
    return render(
        request,
        "booking/client/confirm.html",
        {
            **tz_context(practitioner),
            "practitioner": practitioner,
            "service": service,
            "start": start,
            "end": start + timedelta(minutes=service.duration_minutes),
            "form": form,
            "week_url": week.week_url,
        },
    )


@require_safe
@login_required
def confirmed(request: HttpRequest, reference: UUID) -> HttpResponse:
    appointment = _own_appointment_or_404(signed_in_user(request.user), reference)
    return render(
        request,
        "booking/client/confirmed.html",
        {"appointment": appointment, **tz_context(appointment.practitioner)},
    )


# --- 4. My appointments: list, cancel, move --------------------------------------------------


@require_safe
@login_required
def my_appointments(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request.user)
    now = timezone.now()
    upcoming, past = selectors.client_appointments(client=user, now=now)
    rows = [
        {
            "appointment": appointment,
            # Cancelling and moving are refused for different reasons (the reschedule cap).
            "cancel_refusal": selectors.appointment_change_refusal(
                appointment=appointment, by=user, now=now
            ),
            "move_refusal": selectors.appointment_change_refusal(
                appointment=appointment, by=user, now=now, action="reschedule"
            ),
        }
        for appointment in upcoming
    ]
    return render(
        request,
        "booking/client/my_appointments.html",
        {"upcoming": rows, "past": past, "default_tz": DEFAULT_TIMEZONE},
    )


def _refusal_page(
    request: HttpRequest, appointment: Appointment, *, template: str, refusal: str, status: int
) -> HttpResponse:
    # Links in old e-mails land here: the page says why nothing can be done, with no form.
    context = {
        "appointment": appointment,
        "refusal": refusal,
        **tz_context(appointment.practitioner),
    }
    return render(request, template, context, status=status)


@GET_POST
@login_required
def appointment_cancel(request: HttpRequest, reference: UUID) -> HttpResponse:
    user = signed_in_user(request.user)
    appointment = _own_appointment_or_404(user, reference)
    template = "booking/client/cancel.html"
    refusal = selectors.appointment_change_refusal(appointment=appointment, by=user)
    if refusal:
        status = 409 if request.method == "POST" else 200
        return _refusal_page(
            request, appointment, template=template, refusal=refusal, status=status
        )
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_cancel(
                appointment=appointment,
                by=user,
                reason=form.cleaned_data["reason"],
                by_role=CancelledBy.CLIENT,
            )
        except ChangeNotAllowed as error:
            return _refusal_page(
                request, appointment, template=template, refusal=error.message, status=409
            )
        messages.success(request, _("Votre rendez-vous est annulé. Un e-mail vous le confirme."))
        return HttpResponseRedirect(reverse("booking:my_appointments"), status=303)
    context = {"appointment": appointment, "form": form, **tz_context(appointment.practitioner)}
    return render(request, template, context)


@GET_POST
@login_required
def appointment_reschedule(request: HttpRequest, reference: UUID) -> HttpResponse:
    user = signed_in_user(request.user)
    appointment = _own_appointment_or_404(user, reference)
    template = "booking/client/reschedule.html"
    practitioner = appointment.practitioner
    service = appointment.service
    refusal_status = 409 if request.method == "POST" else 200
    refusal = selectors.appointment_change_refusal(
        appointment=appointment, by=user, action="reschedule"
    )
    if refusal:
        return _refusal_page(
            request, appointment, template=template, refusal=refusal, status=refusal_status
        )
    if (
        service is None
        or service.page_id != practitioner.page_id
        or not practitioner.accepts_bookings
    ):
        refusal = _(
            "Cette prestation n'est plus proposée en ligne : annulez le rendez-vous ou "
            "contactez le praticien."
        )
        return _refusal_page(
            request, appointment, template=template, refusal=refusal, status=refusal_status
        )

    move_url = reverse("booking:reschedule", args=[appointment.reference])
    week = SlotWeek(
        practitioner=practitioner,
        service=service,
        week_url=move_url,
        slot_url=move_url,
        exclude_appointment=appointment,
    )
    debut = request.GET.get("debut")
    if debut is None:
        return _week_page(request, week, template, {"appointment": appointment, "service": service})

    start = start_parse(debut)
    if start is None:
        return _bad_start(request, move_url)
    if request.method == "POST":
        try:
            services.appointment_reschedule(appointment=appointment, start=start, by=user)
        except SlotUnavailable as error:
            return _slot_refused(
                request, week, start, alternatives=list(error.alternatives), taken=True
            )
        except ChangeNotAllowed as error:
            return _refusal_page(
                request, appointment, template=template, refusal=error.message, status=409
            )
        except BookingError as error:
            return _slot_refused(request, week, start, reason=error.message, taken=False)
        messages.success(
            request, _("Votre rendez-vous est déplacé. Un e-mail vous confirme le nouvel horaire.")
        )
        return HttpResponseRedirect(reverse("booking:my_appointments"), status=303)

    if not week.is_free(start):
        return _slot_refused(request, week, start)
    return render(
        request,
        template,
        {
            **tz_context(practitioner),
            "appointment": appointment,
            "service": service,
            "new_start": start,
            "new_end": start + timedelta(minutes=appointment.duration_minutes),
            "move_url": move_url,
        },
    )
