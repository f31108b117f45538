"""The practitioner area's agenda: days and weeks, one appointment (mark, cancel), blocked
ranges.

Every view below is wrapped by practitioner_required (booking/practitioner/access.py), which sets
request.practitioner; every query is filtered by it, so another practitioner's appointment,
range or day off is a 404 here.
"""

import re
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from booking import services
from booking.exceptions import BookingError
from booking.models import (
    NOT_APPOINTMENT_STATUSES,
    Appointment,
    AppointmentStatus,
    BlockedRange,
    CancelledBy,
)
from booking.practitioner.access import PractitionerRequest, practitioner_required
from booking.practitioner.agenda_grid import agenda_grid
from booking.practitioner.forms import (
    AppointmentCancelForm,
    AppointmentMarkForm,
    BlockedRangeForm,
)
from booking.practitioner.presenters import (
    practitioner_today,
    practitioner_upcoming_blocked_ranges,
)
from booking.practitioner.views.closures import closure_attempt, closure_done
from booking.practitioner.views.common import removed
from core.users import signed_in_user

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The agenda's reach: far enough for any real use, and date arithmetic never overflows.
_FIRST_YEAR, _LAST_YEAR = 2000, 2100
# ?vue=... and ?affichage=... values (the French of the interface, as in the other URLs).
WEEK, DAY = "semaine", "jour"
GRID, LIST = "grille", "liste"


def _bad_request(request, message: str):
    return render(
        request,
        "booking/practitioner/bad_request.html",
        {"practitioner": request.practitioner, "message": message},
        status=400,
    )


def _parse_day(value: str) -> date | None:
    if not _ISO_DATE.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if _FIRST_YEAR <= day.year <= _LAST_YEAR else None


def _requested_view(params) -> tuple[str, str | None, str]:
    """(view, the date as given or None for today, display) from the query string.

    ?vue=semaine|jour&date=YYYY-MM-DD&affichage=grille|liste; the older ?semaine=DATE and
    ?jour=DATE (links in e-mails and bookmarks) still work. The default is the week: on a
    phone, the CSS shows it one day at a time.
    """
    if "vue" in params:
        return params["vue"], params.get("date"), params.get("affichage", GRID)
    for view in (WEEK, DAY):
        if view in params:
            return view, params[view], params.get("affichage", GRID)
    return WEEK, params.get("date"), params.get("affichage", GRID)


def _agenda_url(view: str, day: date, display: str) -> str:
    query = {"vue": view, "date": day.isoformat()}
    if display == LIST:
        query["affichage"] = LIST
    return "?" + urlencode(query)


# --- Agenda -----------------------------------------------------------------------------------


@never_cache
@require_GET
@practitioner_required
def agenda(request):
    practitioner = request.practitioner
    today = practitioner_today(practitioner)
    view, given, display = _requested_view(request.GET)
    if view not in (WEEK, DAY) or display not in (GRID, LIST):
        return _bad_request(
            request,
            _("Adresse invalide : vue « semaine » ou « jour », affichage « grille » ou « liste »."),
        )
    day = today if given is None else _parse_day(given)
    if day is None:
        return _bad_request(
            request, _("Date invalide : utilisez le format AAAA-MM-JJ (par exemple 2026-03-30).")
        )
    week = view == WEEK
    if week:
        first_day = day - timedelta(days=day.weekday())
        last_day = first_day + timedelta(days=6)
        step = timedelta(days=7)
    else:
        first_day = last_day = day
        step = timedelta(days=1)
    grid = agenda_grid(practitioner=practitioner, first_day=first_day, last_day=last_day)
    context = {
        "practitioner": practitioner,
        "week": week,
        "list_display": display == LIST,
        "first_day": first_day,
        "last_day": last_day,
        "grid": grid,
        "days": grid.days,
        "previous_url": _agenda_url(view, first_day - step, display),
        "next_url": _agenda_url(view, first_day + step, display),
        "today_url": _agenda_url(view, today, display),
        # From a week, the day view opens on today when today is in it.
        "day_view_url": _agenda_url(
            DAY, today if first_day <= today <= last_day else first_day, display
        ),
        "week_view_url": _agenda_url(WEEK, first_day, display),
        "grid_url": _agenda_url(view, first_day, GRID),
        "list_url": _agenda_url(view, first_day, LIST),
        "at_edge": not (_FIRST_YEAR < first_day.year < _LAST_YEAR),
    }
    return render(request, "booking/practitioner/agenda.html", context)


# --- One appointment --------------------------------------------------------------------------


def _own_appointment(request, reference) -> Appointment:
    return get_object_or_404(
        # A hold (or an appointment not paid yet) is not an appointment: nothing to open.
        Appointment.objects.select_related("client", "client_record", "payment").exclude(
            status__in=NOT_APPOINTMENT_STATUSES
        ),
        reference=reference,
        practitioner=request.practitioner,
    )


def _appointment_page(request, appointment, *, mark_form=None, cancel_form=None, status=200):
    context = {
        "practitioner": request.practitioner,
        "appointment": appointment,
        "client": appointment.contact,  # the account, or the record of a phoned client
        "mark_form": mark_form or AppointmentMarkForm(),
        "cancel_form": cancel_form or AppointmentCancelForm(),
        "can_cancel": appointment.status == AppointmentStatus.CONFIRMED,
        "can_mark": appointment.status
        in {
            AppointmentStatus.CONFIRMED,
            AppointmentStatus.DONE,
            AppointmentStatus.NO_SHOW,
        },
    }
    return render(request, "booking/practitioner/appointment.html", context, status=status)


@never_cache
@require_GET
@practitioner_required
def appointment_detail(request, reference):
    return _appointment_page(request, _own_appointment(request, reference))


@never_cache
@require_POST
@practitioner_required
def appointment_mark(request, reference):
    appointment = _own_appointment(request, reference)
    form = AppointmentMarkForm(request.POST)
    if not form.is_valid():
        return _appointment_page(request, appointment, mark_form=form, status=400)
    try:
        services.appointment_mark(
            appointment=appointment, status=form.cleaned_data["status"], by=request.user
        )
    except BookingError as refusal:
        form.add_error(None, refusal.message)
        appointment.refresh_from_db()
        return _appointment_page(request, appointment, mark_form=form, status=409)
    messages.success(
        request,
        _("Le rendez-vous est marqué : %(status)s.")
        % {"status": AppointmentStatus(form.cleaned_data["status"]).label},
    )
    return redirect("practitioner:appointment", reference=appointment.reference)


@never_cache
@require_POST
@practitioner_required
def appointment_cancel(request, reference):
    appointment = _own_appointment(request, reference)
    form = AppointmentCancelForm(request.POST)
    if not form.is_valid():
        return _appointment_page(request, appointment, cancel_form=form, status=400)
    try:
        services.appointment_cancel(
            appointment=appointment,
            by=request.user,
            reason=form.cleaned_data["reason"],
            by_role=CancelledBy.PRACTITIONER,
        )
    except BookingError as refusal:
        form.add_error(None, refusal.message)
        appointment.refresh_from_db()
        return _appointment_page(request, appointment, cancel_form=form, status=409)
    messages.success(request, _("Le rendez-vous est annulé ; le client en est informé par e-mail."))
    return redirect("practitioner:appointment", reference=appointment.reference)


# --- Blocked ranges ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@practitioner_required
def blocked_ranges(request: PractitionerRequest) -> HttpResponse:
    practitioner = request.practitioner
    form = BlockedRangeForm(
        request.POST if request.method == "POST" else None,
        practitioner=practitioner,
        prefix="plage",
    )
    collisions: list[Appointment] = []
    status = 200
    if request.method == "POST":
        refused = closure_attempt(
            request,
            form,
            write=lambda data: services.blocked_range_create(
                practitioner=practitioner,
                start=data["start_at"],
                end=data["end_at"],
                reason=data["reason"],
                collisions=data["collisions"],
                seen=data["seen"],
                cancel_reason=data["cancel_reason"],
                by=signed_in_user(request.user),
            ),
        )
        if refused is None:
            closure_done(
                request, form, _("La plage est bloquée : aucun rendez-vous n'y sera proposé.")
            )
            return redirect("practitioner:blocked_ranges")
        form, collisions = refused
        status = 400
    context = {
        "practitioner": practitioner,
        "form": form,
        "collisions": collisions,
        "ranges": practitioner_upcoming_blocked_ranges(practitioner=practitioner),
    }
    return render(request, "booking/practitioner/blocked_ranges.html", context, status=status)


@never_cache
@require_POST
@practitioner_required
def blocked_range_remove(request: PractitionerRequest, pk: int) -> HttpResponse:
    return removed(
        request,
        remove=lambda: services.blocked_range_remove(
            practitioner=request.practitioner, blocked_range_id=pk
        ),
        missing=BlockedRange.DoesNotExist,
        done=_("La plage est débloquée."),
        then="practitioner:blocked_ranges",
    )
