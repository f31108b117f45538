"""The booking funnel: choose a service, a slot, confirm.

Thin views over booking.services, booking.selectors and the week presenter
(booking/client/presenters.py). They work without JavaScript. Every value from the URL is
checked here for a clear 4xx, and checked again by the services inside their transaction (the
slot may have been taken in between).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from booking import selectors, services
from booking.client.forms import BookingConfirmForm
from booking.client.presenters import (
    SlotWeek,
    start_parse,
    tz_context,
)
from booking.client.views.common import (
    GET_POST,
    bad_start,
    practitioner_or_404,
    service_or_404,
    slot_refused,
    week_page,
)
from booking.exceptions import BookingError, SlotUnavailable
from booking.models import Appointment

# --- 1. Choose a service ---------------------------------------------------------------------


@require_safe
def service_choose(request: HttpRequest, page_id: int) -> HttpResponse:
    practitioner = practitioner_or_404(page_id)
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
    practitioner = practitioner_or_404(page_id)
    return SlotWeek(
        practitioner=practitioner,
        service=service_or_404(practitioner, service_id),
        week_url=reverse("booking:slot_choose", args=[page_id, service_id]),
        slot_url=reverse("booking:confirm", args=[page_id, service_id]),
    )


@require_safe
def slot_choose(request: HttpRequest, page_id: int, service_id: int) -> HttpResponse:
    week = _booking_week(page_id, service_id)
    return week_page(
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
        return bad_start(request, week.week_url)
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
            return slot_refused(
                request, week, start, alternatives=list(error.alternatives), taken=True
            )
        except BookingError as error:
            # OutsideBookingRules (and any other refusal): a time never offered.
            return slot_refused(request, week, start, reason=error.message, taken=False)
        return _confirmed_redirect(appointment, status=303)

    if request.method == "GET" and not week.is_free(start):
        mine = selectors.client_active_appointment_at(
            client=user, practitioner=practitioner, start=start
        )
        if mine is not None:
            return _confirmed_redirect(mine)
        return slot_refused(request, week, start)
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
