"""The client's booking pages: choose a service, a slot, confirm; see, cancel, move appointments.

Thin views over booking.services and booking.selectors. They work without JavaScript: a week
of slots is a page of links, each link leads to a confirmation page whose POST books. Every
value from the URL is checked here for a clear 4xx, and checked again by the services inside
their transaction (the slot may have been taken in between). Times are shown in the
practitioner's time zone; URLs carry instants in UTC (`debut=2027-01-12T09:00:00Z`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from booking import selectors, services
from booking.exceptions import (
    BookingError,
    ChangeNotAllowed,
    SlotUnavailable,
)
from booking.forms_client import BookingConfirmForm, CancelForm
from booking.models import ACTIVE_STATUSES, Appointment, CancelledBy, Practitioner
from booking.slots import Slot
from cms.models import PractitionerService
from compliance.services import policy_versions_accept_in_force

GET_POST = require_http_methods(["GET", "POST"])
DEFAULT_TIMEZONE = "Europe/Paris"


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


def _own_appointment_or_404(request: HttpRequest, reference) -> Appointment:
    # Another client's reference and an unknown one look the same: nothing to learn from it.
    appointment = (
        Appointment.objects.select_related("practitioner__page", "service")
        .filter(reference=reference, client=request.user)
        .first()
    )
    if appointment is None:
        raise Http404(_("Rendez-vous introuvable."))
    return appointment


# --- Dates and times -------------------------------------------------------------------------


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_start(value: str | None) -> datetime | None:
    """An aware instant from `debut` (ISO 8601 with an offset or Z), None if malformed."""
    if not value or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            return None
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    # Far enough from datetime's limits that shifting to any time zone cannot overflow.
    if not 2 <= moment.year <= 9998:
        return None
    return moment


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _tz_label(practitioner: Practitioner) -> str:
    """The zone's name, shown next to times when it is not the one visitors assume."""
    return "" if practitioner.timezone == DEFAULT_TIMEZONE else practitioner.timezone


class _BadWeek(Exception):
    pass


@dataclass(frozen=True)
class _WeekBounds:
    first_monday: date  # the current week
    last_monday: date  # the week of the last bookable day


def _week_bounds(practitioner: Practitioner, now: datetime) -> _WeekBounds:
    tz = practitioner.tz
    today = now.astimezone(tz).date()
    last_day = (now + timedelta(days=practitioner.horizon_days)).astimezone(tz).date()
    return _WeekBounds(_monday(today), _monday(last_day))


def _requested_monday(request: HttpRequest, bounds: _WeekBounds) -> date | None:
    """The Monday of `?semaine=`; None for a week outside the horizon; _BadWeek if malformed."""
    value = request.GET.get("semaine")
    if value is None:
        return bounds.first_monday
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise _BadWeek from error
    monday = _monday(day)  # date.min is a Monday: this never underflows
    if not bounds.first_monday <= monday <= bounds.last_monday:
        return None
    return monday


def _week_context(
    request: HttpRequest,
    *,
    practitioner: Practitioner,
    service: PractitionerService,
    week_url: str,
    slot_url: str,
    exclude_appointment: Appointment | None = None,
) -> dict | HttpResponse:
    """The days of one week with their free slots, or the response to a bad `semaine`.

    With `exclude_appointment` (a reschedule), that appointment's own time counts as free and
    its duration is the one booked.
    """
    now = timezone.now()
    bounds = _week_bounds(practitioner, now)
    try:
        monday = _requested_monday(request, bounds)
    except _BadWeek:
        return render(
            request,
            "booking/client/bad_request.html",
            {
                "title": _("Date invalide"),
                "reason": _("La semaine demandée n'est pas une date valide (AAAA-MM-JJ)."),
                "back_url": week_url,
                "back_label": _("Voir les créneaux de cette semaine"),
            },
            status=400,
        )
    if monday is None:
        # Before today or beyond the horizon: nothing to book there, show the current week.
        return HttpResponseRedirect(week_url)

    sunday = monday + timedelta(days=6)
    slots = _free_slots(
        practitioner, service, monday, sunday, now=now, exclude_appointment=exclude_appointment
    )
    tz = practitioner.tz
    by_day: dict[date, list[dict]] = {monday + timedelta(days=i): [] for i in range(7)}
    for slot in slots:
        local = slot.start.astimezone(tz)
        by_day.setdefault(local.date(), []).append(
            {"start": slot.start, "url": f"{slot_url}?debut={_iso_utc(slot.start)}"}
        )
    # The shortcut to the first free slot, when it is in another week than the one shown.
    next_slot = selectors.practitioner_next_free_slot(
        practitioner=practitioner, service=service, now=now
    )
    next_link = None
    if next_slot is not None:
        next_day = next_slot.start.astimezone(tz).date()
        if _monday(next_day) != monday:
            next_link = (
                f"{week_url}?semaine={_monday(next_day).isoformat()}#jour-{next_day.isoformat()}"
            )
    previous_monday = monday - timedelta(days=7)
    following_monday = monday + timedelta(days=7)
    return {
        "tz_name": practitioner.timezone,
        "tz_label": _tz_label(practitioner),
        "monday": monday,
        "sunday": sunday,
        "days": [{"date": day, "slots": day_slots} for day, day_slots in sorted(by_day.items())],
        "has_slots": bool(slots),
        "next_slot": next_slot,
        "next_link": next_link,
        "previous_url": (
            f"{week_url}?semaine={previous_monday.isoformat()}"
            if previous_monday >= bounds.first_monday
            else None
        ),
        "next_url": (
            f"{week_url}?semaine={following_monday.isoformat()}"
            if following_monday <= bounds.last_monday
            else None
        ),
    }


def _free_slots(
    practitioner: Practitioner,
    service: PractitionerService,
    first_day: date,
    last_day: date,
    *,
    now: datetime | None = None,
    exclude_appointment: Appointment | None = None,
) -> list[Slot]:
    if exclude_appointment is None:
        return selectors.practitioner_free_slots(
            practitioner=practitioner,
            service=service,
            first_day=first_day,
            last_day=last_day,
            now=now,
        )
    return selectors.slots_for_duration(
        practitioner=practitioner,
        duration=timedelta(minutes=exclude_appointment.duration_minutes),
        first_day=first_day,
        last_day=last_day,
        now=now,
        exclude_appointment_id=exclude_appointment.pk,
    )


def _offered_by_rules(practitioner: Practitioner, service, start: datetime, now: datetime) -> bool:
    """Whether the rules alone (hours, step, notice, horizon) offer `start`, taken or not.

    Only used to word a refusal: a time the practitioner never offers (400) is not a slot that
    someone else has just taken (409).
    """
    if not selectors.service_is_bookable(practitioner=practitioner, service=service):
        return False
    day = start.astimezone(practitioner.tz).date()
    offered = selectors.slots_for_duration(
        practitioner=practitioner,
        duration=timedelta(minutes=service.duration_minutes),
        first_day=day,
        last_day=day,
        now=now,
        ignore_busy=True,
    )
    return any(slot.start == start for slot in offered)


def _slot_links(slots: list[Slot], slot_url: str) -> list[dict]:
    return [{"start": s.start, "url": f"{slot_url}?debut={_iso_utc(s.start)}"} for s in slots]


def _alternatives(practitioner, service, start: datetime, now: datetime) -> list[Slot]:
    """Free slots of the same day, else the next free one: what to offer instead of `start`."""
    day = start.astimezone(practitioner.tz).date()
    same_day = selectors.practitioner_free_slots(
        practitioner=practitioner, service=service, first_day=day, last_day=day, now=now
    )
    if same_day:
        return same_day[:8]
    next_slot = selectors.practitioner_next_free_slot(
        practitioner=practitioner, service=service, now=now
    )
    return [next_slot] if next_slot else []


def _slot_refused(
    request: HttpRequest,
    *,
    practitioner: Practitioner,
    service,
    start: datetime,
    slot_url: str,
    week_url: str,
    alternatives: list[Slot] | None = None,
    reason: str = "",
    taken: bool | None = None,
) -> HttpResponse:
    """The answer for a slot that cannot be booked: 409 if taken, 400 if never offered."""
    now = timezone.now()
    if taken is None:
        taken = _offered_by_rules(practitioner, service, start, now)
    if alternatives is None:
        alternatives = _alternatives(practitioner, service, start, now)
    if taken:
        reason = _("Ce créneau vient d'être réservé par quelqu'un d'autre.")
    elif not reason:
        reason = _(
            "Ce créneau n'est pas proposé : il est en dehors des horaires du praticien, trop "
            "proche ou trop lointain."
        )
    return render(
        request,
        "booking/client/slot_refused.html",
        {
            "practitioner": practitioner,
            "service": service,
            "reason": reason,
            "taken": taken,
            "alternatives": _slot_links(alternatives, slot_url),
            "week_url": week_url,
            "tz_name": practitioner.timezone,
            "tz_label": _tz_label(practitioner),
        },
        status=409 if taken else 400,
    )


def _is_free(practitioner, service, start: datetime, exclude_appointment=None) -> bool:
    day = start.astimezone(practitioner.tz).date()
    slots = _free_slots(practitioner, service, day, day, exclude_appointment=exclude_appointment)
    return any(slot.start == start for slot in slots)


def _bad_start(request: HttpRequest, back_url: str) -> HttpResponse:
    return render(
        request,
        "booking/client/bad_request.html",
        {
            "title": _("Horaire invalide"),
            "reason": _(
                "L'horaire demandé n'est pas une date valide (format attendu : "
                "2027-01-12T09:00:00Z)."
            ),
            "back_url": back_url,
            "back_label": _("Choisir un créneau"),
        },
        status=400,
    )


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


@require_safe
def slot_choose(request: HttpRequest, page_id: int, service_id: int) -> HttpResponse:
    practitioner = _practitioner_or_404(page_id)
    service = _service_or_404(practitioner, service_id)
    week_url = reverse("booking:slot_choose", args=[page_id, service_id])
    context = _week_context(
        request,
        practitioner=practitioner,
        service=service,
        week_url=week_url,
        slot_url=reverse("booking:confirm", args=[page_id, service_id]),
    )
    if isinstance(context, HttpResponse):
        return context
    return render(
        request,
        "booking/client/slot_choose.html",
        {"practitioner": practitioner, "service": service, **context},
    )


# --- 3. Confirm and book ---------------------------------------------------------------------


def _own_booking_at(user, practitioner: Practitioner, start: datetime) -> Appointment | None:
    return Appointment.objects.filter(
        client=user, practitioner=practitioner, start=start, status__in=ACTIVE_STATUSES
    ).first()


@GET_POST
def confirm(request: HttpRequest, page_id: int, service_id: int) -> HttpResponse:
    practitioner = _practitioner_or_404(page_id)
    service = _service_or_404(practitioner, service_id)
    week_url = reverse("booking:slot_choose", args=[page_id, service_id])
    slot_url = reverse("booking:confirm", args=[page_id, service_id])
    start = _parse_start(request.GET.get("debut"))
    if start is None:
        return _bad_start(request, week_url)
    if not request.user.is_authenticated:
        # The URL keeps the choice: after the login (or the sign-up) the visitor comes back here.
        return redirect_to_login(request.get_full_path())

    form = BookingConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            # One transaction: no appointment without the acceptance, nor the reverse.
            with transaction.atomic():
                appointment = services.appointment_book(
                    practitioner=practitioner, service=service, start=start, client=request.user
                )
                policy_versions_accept_in_force(user=request.user, context="booking")
        except SlotUnavailable as error:
            mine = _own_booking_at(request.user, practitioner, start)
            if mine is not None:
                # A double click on the button: the first request booked it.
                messages.info(request, _("Ce rendez-vous est déjà réservé à votre nom."))
                return HttpResponseRedirect(
                    reverse("booking:confirmed", args=[mine.reference]), status=303
                )
            return _slot_refused(
                request,
                practitioner=practitioner,
                service=service,
                start=start,
                slot_url=slot_url,
                week_url=week_url,
                alternatives=list(error.alternatives),
                taken=True,
            )
        except BookingError as error:
            # OutsideBookingRules (and any other refusal): a time never offered.
            return _slot_refused(
                request,
                practitioner=practitioner,
                service=service,
                start=start,
                slot_url=slot_url,
                week_url=week_url,
                reason=error.message,
                taken=False,
            )
        return HttpResponseRedirect(
            reverse("booking:confirmed", args=[appointment.reference]), status=303
        )

    if request.method == "GET" and not _is_free(practitioner, service, start):
        mine = _own_booking_at(request.user, practitioner, start)
        if mine is not None:
            return HttpResponseRedirect(reverse("booking:confirmed", args=[mine.reference]))
        return _slot_refused(
            request,
            practitioner=practitioner,
            service=service,
            start=start,
            slot_url=slot_url,
            week_url=week_url,
        )
    return render(
        request,
        "booking/client/confirm.html",
        {
            "practitioner": practitioner,
            "service": service,
            "start": start,
            "end": start + timedelta(minutes=service.duration_minutes),
            "form": form,
            "week_url": week_url,
            "tz_name": practitioner.timezone,
            "tz_label": _tz_label(practitioner),
        },
    )


@require_safe
@login_required
def confirmed(request: HttpRequest, reference) -> HttpResponse:
    appointment = _own_appointment_or_404(request, reference)
    return render(
        request,
        "booking/client/confirmed.html",
        {
            "appointment": appointment,
            "tz_name": appointment.practitioner.timezone,
            "tz_label": _tz_label(appointment.practitioner),
        },
    )


# --- 4. My appointments: list, cancel, move --------------------------------------------------


@require_safe
@login_required
def my_appointments(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    upcoming, past = selectors.client_appointments(client=request.user, now=now)
    rows = [
        {
            "appointment": appointment,
            # Cancelling and moving are refused for different reasons (the reschedule cap).
            "cancel_refusal": selectors.appointment_change_refusal(
                appointment=appointment, by=request.user, now=now
            ),
            "move_refusal": selectors.appointment_change_refusal(
                appointment=appointment, by=request.user, now=now, action="reschedule"
            ),
        }
        for appointment in upcoming
    ]
    return render(
        request,
        "booking/client/my_appointments.html",
        {"upcoming": rows, "past": past, "default_tz": DEFAULT_TIMEZONE},
    )


def _refusal_page(request, appointment, *, template: str, refusal: str, status: int = 200):
    # Links in old e-mails land here: the page says why nothing can be done, with no form.
    return render(
        request,
        template,
        {
            "appointment": appointment,
            "refusal": refusal,
            "tz_name": appointment.practitioner.timezone,
            "tz_label": _tz_label(appointment.practitioner),
        },
        status=status,
    )


@GET_POST
@login_required
def appointment_cancel(request: HttpRequest, reference) -> HttpResponse:
    appointment = _own_appointment_or_404(request, reference)
    template = "booking/client/cancel.html"
    refusal = selectors.appointment_change_refusal(appointment=appointment, by=request.user)
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
                by=request.user,
                reason=form.cleaned_data["reason"],
                by_role=CancelledBy.CLIENT,
            )
        except ChangeNotAllowed as error:
            return _refusal_page(
                request, appointment, template=template, refusal=error.message, status=409
            )
        messages.success(request, _("Votre rendez-vous est annulé. Un e-mail vous le confirme."))
        return HttpResponseRedirect(reverse("booking:my_appointments"), status=303)
    return render(
        request,
        template,
        {
            "appointment": appointment,
            "form": form,
            "tz_name": appointment.practitioner.timezone,
            "tz_label": _tz_label(appointment.practitioner),
        },
    )


@GET_POST
@login_required
def appointment_reschedule(request: HttpRequest, reference) -> HttpResponse:
    appointment = _own_appointment_or_404(request, reference)
    template = "booking/client/reschedule.html"
    practitioner = appointment.practitioner
    service = appointment.service
    refusal = selectors.appointment_change_refusal(
        appointment=appointment, by=request.user, action="reschedule"
    )
    if not refusal and (
        service is None
        or service.page_id != practitioner.page_id
        or not practitioner.accepts_bookings
    ):
        refusal = _(
            "Cette prestation n'est plus proposée en ligne : annulez le rendez-vous ou "
            "contactez le praticien."
        )
    if refusal:
        status = 409 if request.method == "POST" else 200
        return _refusal_page(
            request, appointment, template=template, refusal=refusal, status=status
        )

    move_url = reverse("booking:reschedule", args=[appointment.reference])
    debut = request.GET.get("debut")
    if debut is None:
        context = _week_context(
            request,
            practitioner=practitioner,
            service=service,
            week_url=move_url,
            slot_url=move_url,
            exclude_appointment=appointment,
        )
        if isinstance(context, HttpResponse):
            return context
        return render(
            request, template, {"appointment": appointment, "service": service, **context}
        )

    start = _parse_start(debut)
    if start is None:
        return _bad_start(request, move_url)
    if request.method == "POST":
        try:
            services.appointment_reschedule(appointment=appointment, start=start, by=request.user)
        except SlotUnavailable as error:
            return _slot_refused(
                request,
                practitioner=practitioner,
                service=service,
                start=start,
                slot_url=move_url,
                week_url=move_url,
                alternatives=list(error.alternatives),
                taken=True,
            )
        except ChangeNotAllowed as error:
            return _refusal_page(
                request, appointment, template=template, refusal=error.message, status=409
            )
        except BookingError as error:
            return _slot_refused(
                request,
                practitioner=practitioner,
                service=service,
                start=start,
                slot_url=move_url,
                week_url=move_url,
                reason=error.message,
                taken=False,
            )
        messages.success(
            request, _("Votre rendez-vous est déplacé. Un e-mail vous confirme le nouvel horaire.")
        )
        return HttpResponseRedirect(reverse("booking:my_appointments"), status=303)

    if not _is_free(practitioner, service, start, exclude_appointment=appointment):
        return _slot_refused(
            request,
            practitioner=practitioner,
            service=service,
            start=start,
            slot_url=move_url,
            week_url=move_url,
        )
    return render(
        request,
        template,
        {
            "appointment": appointment,
            "service": service,
            "new_start": start,
            "new_end": start + timedelta(minutes=appointment.duration_minutes),
            "move_url": move_url,
            "tz_name": practitioner.timezone,
            "tz_label": _tz_label(practitioner),
        },
    )
