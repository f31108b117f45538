"""The booking funnel: choose a service, a slot (which holds it), confirm.

Thin views over booking.services, booking.selectors and the week presenter
(booking/client/presenters.py). They work without JavaScript. Every value from the URL or the
form is checked here for a clear 4xx, and checked again by the services inside their
transaction (the slot may have been taken in between).

Choosing a slot is a POST (a GET holds nothing: crawlers follow links) that holds it for this
browser (booking.services.holds, the key in the session: booking/client/session.py). A
signed-in client goes on to the confirm step; a visitor to the sign-up page (with a link to
the login), both of which come back to the confirm step. The confirm step is only this
browser's: any other sees a 404.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from booking import selectors, services
from booking.client.forms import BookingConfirmForm
from booking.client.presenters import (
    SlotWeek,
    start_parse,
    tz_context,
)
from booking.client.session import hold_forget, hold_key, hold_record, hold_remember
from booking.client.views.common import (
    GET_POST,
    bad_request,
    bad_start,
    practitioner_or_404,
    service_or_404,
    slot_refused,
    week_page,
)
from booking.client.views.payments import client_payment_appointment, payment_url
from booking.exceptions import BookingError, SlotUnavailable
from booking.models import Appointment, AppointmentStatus
from booking.payments.selectors import online_payment_required
from booking.services.holds import HoldLimitReached, hold_quota_take
from compliance.selectors import policy_versions_not_accepted
from core.network import client_ip
from core.users import signed_in_user

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
        hold_url=reverse("booking:slot_hold", args=[page_id, service_id]),
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


@GET_POST
def slot_link(request: HttpRequest, page_id: int, service_id: int) -> HttpResponse:
    """The former confirmation link (`confirmer/?debut=`): it holds nothing, it shows the day
    of that slot on the week page, where choosing holds it."""
    week = _booking_week(page_id, service_id)
    start = start_parse(request.GET.get("debut"))
    if start is None:
        return bad_start(request, week.week_url)
    day = start.astimezone(week.practitioner.tz).date()
    monday = day - timedelta(days=day.weekday())
    return HttpResponseRedirect(f"{week.week_url}?semaine={monday.isoformat()}#jour-{day}")


# --- 3. Hold the chosen slot -------------------------------------------------------------------


def _hold_url(hold: Appointment) -> str:
    return reverse("booking:hold_confirm", args=[hold.reference])


def _next_step(request: HttpRequest, hold: Appointment) -> HttpResponseRedirect:
    """The confirm step, through the sign-up page for a visitor (which links to the login)."""
    url = _hold_url(hold)
    if not request.user.is_authenticated:
        url = f"{reverse('accounts:signup')}?{urlencode({'next': url})}"
    return HttpResponseRedirect(url, status=303)


def _hold(request: HttpRequest, week: SlotWeek, start: datetime) -> Appointment:
    """Hold `start` for this browser (raises HoldLimitReached or a BookingError)."""
    hold_quota_take(ip=client_ip(request))
    hold = services.slot_hold(
        practitioner=week.practitioner,
        service=week.service,
        start=start,
        hold_key=hold_key(request, create=True),
    )
    hold_remember(request, hold)
    return hold


def _hold_refused(request: HttpRequest, week: SlotWeek, start: datetime, error: BookingError):
    if isinstance(error, HoldLimitReached):
        return bad_request(
            request,
            title=_("Trop de créneaux retenus"),
            reason=error.message,
            back_url=week.week_url,
            back_label=_("Voir les créneaux"),
            status=429,
        )
    if isinstance(error, SlotUnavailable):
        return slot_refused(request, week, start, alternatives=list(error.alternatives), taken=True)
    return slot_refused(request, week, start, reason=error.message, taken=False)


@require_POST
def slot_hold(request: HttpRequest, page_id: int, service_id: int) -> HttpResponse:
    week = _booking_week(page_id, service_id)
    start = start_parse(request.POST.get("debut"))
    if start is None:
        return bad_start(request, week.week_url)
    try:
        hold = _hold(request, week, start)
    except BookingError as error:
        return _hold_refused(request, week, start, error)
    return _next_step(request, hold)


# --- 4. Confirm and book -----------------------------------------------------------------------


def _confirmed_redirect(appointment: Appointment, status: int = 302) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("booking:confirmed", args=[appointment.reference]), status=status
    )


def _payment_redirect(appointment: Appointment, status: int = 302) -> HttpResponseRedirect:
    return HttpResponseRedirect(payment_url(appointment), status=status)


@GET_POST
def hold_confirm(request: HttpRequest, reference: UUID) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    record = hold_record(request)
    # Confirmed already and waiting for its payment (the back button from the payment page):
    # its payment page, where the same PaymentIntent is reused.
    unpaid = client_payment_appointment(user, reference) if user else None
    if unpaid is not None:
        return _payment_redirect(unpaid, status=303 if request.method == "POST" else 302)
    if record is None or record.reference != reference:
        # Confirmed already (a double click, the back button): their own appointment.
        booked = selectors.client_appointment(client=user, reference=reference) if user else None
        if booked is not None:
            if request.method == "POST":
                messages.info(request, _("Ce rendez-vous est déjà réservé à votre nom."))
            return _confirmed_redirect(booked, status=303)
        raise Http404(_("Ce créneau n'est pas retenu par ce navigateur."))
    week = _booking_week(record.page_id, record.service_id)
    hold = selectors.session_hold(hold_key=hold_key(request), reference=reference)
    if user is None:
        return HttpResponseRedirect(
            f"{reverse('accounts:signup')}?{urlencode({'next': request.get_full_path()})}"
        )
    if hold is None or hold.hold_expires_at is None or hold.hold_expires_at <= timezone.now():
        # Expired: the same slot again if it is still free (the same row if it is still there),
        # otherwise the nearest alternatives.
        try:
            hold = _hold(request, week, record.start)
        except BookingError as error:
            return _hold_refused(request, week, record.start, error)
        if hold.reference != reference and request.method == "GET":
            return HttpResponseRedirect(_hold_url(hold))

    pending = policy_versions_not_accepted(user)
    form = BookingConfirmForm(request.POST if request.method == "POST" else None, pending=pending)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.hold_confirm(hold=hold, client=signed_in_user(user))
        except BookingError as error:
            return _hold_refused(request, week, hold.start, error)
        if appointment.status == AppointmentStatus.AWAITING_PAYMENT:
            # Paid online: the payment page comes next (it forgets the hold's record).
            return _payment_redirect(appointment, status=303)
        hold_forget(request)
        return _confirmed_redirect(appointment, status=303)
    practitioner, service = week.practitioner, week.service
    return render(
        request,
        "booking/client/confirm.html",
        {
            **tz_context(practitioner),
            "practitioner": practitioner,
            "service": service,
            "hold": hold,
            "start": hold.start,
            "end": hold.end,
            "form": form,
            "pending": pending,
            "week_url": week.week_url,
            "online_payment": online_payment_required(practitioner=practitioner, service=service),
        },
        status=400 if form.is_bound else 200,
    )
