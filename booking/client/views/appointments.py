"""After booking: the confirmation page, "Mes rendez-vous" (list, cancel, move), the calendar
file to download."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from booking import selectors, services
from booking.client.forms import CancelForm
from booking.client.presenters import (
    DEFAULT_TIMEZONE,
    SlotWeek,
    start_parse,
    tz_context,
)
from booking.client.views.common import (
    GET_POST,
    bad_start,
    own_appointment_or_404,
    slot_refused,
    week_page,
)
from booking.exceptions import BookingError, ChangeNotAllowed, SlotUnavailable
from booking.ics import METHOD_PUBLISH, appointment_ics, appointment_location
from booking.models import Appointment, AppointmentStatus, CancelledBy
from booking.selectors.appointments import client_appointment_sections
from core.users import signed_in_user

# A plain link: nothing is asked of a map service until the person follows it.
MAP_SEARCH_URL = "https://www.openstreetmap.org/search"


def _office_address(appointment: Appointment) -> str:
    """The office's address for an appointment there, "" for a visio or a home visit."""
    page = appointment.practitioner.page
    if appointment.mode != "cabinet" or page is None or not page.street_address:
        return ""
    return appointment_location(appointment)


def _row(appointment: Appointment, *, user, now: datetime) -> dict:
    """One appointment with what the client may do with it (context of _appointment_line)."""
    address = _office_address(appointment)
    page = appointment.practitioner.page
    row = {
        "appointment": appointment,
        "address": address,
        "map_url": f"{MAP_SEARCH_URL}?{urlencode({'query': address})}" if address else "",
        "profile_page": page if page is not None and page.live else None,
        # Still to come and booked: the calendar file, the cancel and move links.
        "upcoming": appointment.status == AppointmentStatus.CONFIRMED and appointment.end > now,
        "cancel_refusal": None,
        "move_refusal": None,
    }
    if row["upcoming"]:
        # Cancelling and moving are refused for different reasons (the reschedule cap).
        row["cancel_refusal"] = selectors.appointment_change_refusal(
            appointment=appointment, by=user, now=now
        )
        row["move_refusal"] = selectors.appointment_change_refusal(
            appointment=appointment, by=user, now=now, action="reschedule"
        )
    return row


@require_safe
@login_required
def confirmed(request: HttpRequest, reference: UUID) -> HttpResponse:
    user = signed_in_user(request.user)
    appointment = own_appointment_or_404(user, reference)
    return render(
        request,
        "booking/client/confirmed.html",
        {
            "appointment": appointment,
            "row": _row(appointment, user=user, now=timezone.now()),
            **tz_context(appointment.practitioner),
        },
    )


@require_safe
@login_required
def appointment_calendar(request: HttpRequest, reference: UUID) -> HttpResponse:
    """The appointment as a calendar file to open (another client's or an unknown one: 404)."""
    appointment = own_appointment_or_404(signed_in_user(request.user), reference)
    content = appointment_ics(
        appointment, method=METHOD_PUBLISH, language=translation.get_language() or "fr"
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rendez-vous-{appointment.code}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- 4. My appointments: list, cancel, move --------------------------------------------------


@require_safe
@login_required
def my_appointments(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request.user)
    now = timezone.now()
    sections = client_appointment_sections(client=user, now=now)
    return render(
        request,
        "booking/client/my_appointments.html",
        {
            "upcoming": [_row(a, user=user, now=now) for a in sections.upcoming],
            "past": [_row(a, user=user, now=now) for a in sections.past],
            "cancelled": [_row(a, user=user, now=now) for a in sections.cancelled],
            "default_tz": DEFAULT_TIMEZONE,
        },
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
    appointment = own_appointment_or_404(user, reference)
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
    appointment = own_appointment_or_404(user, reference)
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
        return week_page(request, week, template, {"appointment": appointment, "service": service})

    start = start_parse(debut)
    if start is None:
        return bad_start(request, move_url)
    if request.method == "POST":
        try:
            services.appointment_reschedule(appointment=appointment, start=start, by=user)
        except SlotUnavailable as error:
            return slot_refused(
                request, week, start, alternatives=list(error.alternatives), taken=True
            )
        except ChangeNotAllowed as error:
            return _refusal_page(
                request, appointment, template=template, refusal=error.message, status=409
            )
        except BookingError as error:
            return slot_refused(request, week, start, reason=error.message, taken=False)
        messages.success(
            request, _("Votre rendez-vous est déplacé. Un e-mail vous confirme le nouvel horaire.")
        )
        return HttpResponseRedirect(reverse("booking:my_appointments"), status=303)

    if not week.is_free(start):
        return slot_refused(request, week, start)
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
