"""The practitioner area (/espace-praticien/) and the private calendar feed.

Every view below is wrapped by practitioner_required (booking/access.py), which sets
request.practitioner; every query is filtered by it, so another practitioner's appointment,
range or day off is a 404 here.
"""

import re
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from booking import services, services_practitioner
from booking.access import practitioner_required
from booking.exceptions import BookingError
from booking.forms_practitioner import (
    AppointmentCancelForm,
    AppointmentMarkForm,
    BlockedRangeForm,
    DayOffForm,
    OpeningHoursFormSet,
    RulesForm,
    SpecialHoursForm,
)
from booking.ics import practitioner_feed_ics
from booking.models import (
    Appointment,
    AppointmentStatus,
    BlockedRange,
    CancelledBy,
    DayOff,
    Practitioner,
    SpecialHours,
)
from booking.selectors_practitioner import (
    practitioner_agenda_days,
    practitioner_today,
    practitioner_upcoming_blocked_ranges,
    practitioner_upcoming_days_off,
    practitioner_upcoming_special_hours,
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The agenda's reach: far enough for any real use, and date arithmetic never overflows.
_FIRST_YEAR, _LAST_YEAR = 2000, 2100


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


# --- Agenda -----------------------------------------------------------------------------------


@never_cache
@require_GET
@practitioner_required
def agenda(request):
    practitioner = request.practitioner
    today = practitioner_today(practitioner)
    if "semaine" in request.GET:
        week = True
        day = _parse_day(request.GET["semaine"])
    else:
        week = False
        day = _parse_day(request.GET["jour"]) if "jour" in request.GET else today
    if day is None:
        return _bad_request(
            request, _("Date invalide : utilisez le format AAAA-MM-JJ (par exemple 2026-03-30).")
        )
    if week:
        first_day = day - timedelta(days=day.weekday())
        last_day = first_day + timedelta(days=6)
        step = timedelta(days=7)
        param = "semaine"
    else:
        first_day = last_day = day
        step = timedelta(days=1)
        param = "jour"
    context = {
        "practitioner": practitioner,
        "week": week,
        "first_day": first_day,
        "last_day": last_day,
        "days": practitioner_agenda_days(
            practitioner=practitioner, first_day=first_day, last_day=last_day
        ),
        "previous_url": f"?{param}={(first_day - step).isoformat()}",
        "next_url": f"?{param}={(first_day + step).isoformat()}",
        "today_url": f"?{param}={today.isoformat()}",
        "day_view_url": f"?jour={first_day.isoformat()}",
        "week_view_url": f"?semaine={first_day.isoformat()}",
        "at_edge": not (_FIRST_YEAR < first_day.year < _LAST_YEAR),
    }
    return render(request, "booking/practitioner/agenda.html", context)


# --- One appointment --------------------------------------------------------------------------


def _own_appointment(request, reference) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related("client"),
        reference=reference,
        practitioner=request.practitioner,
    )


def _appointment_page(request, appointment, *, mark_form=None, cancel_form=None, status=200):
    context = {
        "practitioner": request.practitioner,
        "appointment": appointment,
        "client": appointment.client,
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
def blocked_ranges(request):
    practitioner = request.practitioner
    form = BlockedRangeForm(
        request.POST if request.method == "POST" else None,
        practitioner=practitioner,
        prefix="plage",
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.blocked_range_create(
                    practitioner=practitioner,
                    start=form.cleaned_data["start_at"],
                    end=form.cleaned_data["end_at"],
                    reason=form.cleaned_data["reason"],
                )
            except (BookingError, ValidationError) as refusal:
                form.add_error(None, getattr(refusal, "message", None) or refusal.messages[0])
            else:
                messages.success(
                    request, _("La plage est bloquée : aucun rendez-vous n'y sera proposé.")
                )
                return redirect("practitioner:blocked_ranges")
        status = 400
    context = {
        "practitioner": practitioner,
        "form": form,
        "ranges": practitioner_upcoming_blocked_ranges(practitioner=practitioner),
    }
    return render(request, "booking/practitioner/blocked_ranges.html", context, status=status)


@never_cache
@require_POST
@practitioner_required
def blocked_range_remove(request, pk: int):
    try:
        services_practitioner.blocked_range_remove(
            practitioner=request.practitioner, blocked_range_id=pk
        )
    except BlockedRange.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("La plage est débloquée."))
    return redirect("practitioner:blocked_ranges")


# --- Booking rules and calendar feed ----------------------------------------------------------


def _fresh(practitioner: Practitioner) -> Practitioner:
    # Forms work on their own copy: an invalid form must not alter request.practitioner.
    return Practitioner.objects.get(pk=practitioner.pk)


def _feed_url(request, practitioner: Practitioner) -> str:
    return request.build_absolute_uri(
        reverse("practitioner:calendar_feed", kwargs={"token": practitioner.calendar_token})
    )


@never_cache
@require_http_methods(["GET", "POST"])
@practitioner_required
def rules(request):
    practitioner = request.practitioner
    form = RulesForm(
        request.POST if request.method == "POST" else None, instance=_fresh(practitioner)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in RulesForm.Meta.fields}
            services_practitioner.practitioner_rules_update(practitioner=practitioner, **values)
            messages.success(
                request,
                _("Règles enregistrées : elles s'appliquent aux prochaines réservations."),
            )
            return redirect("practitioner:rules")
        status = 400
    context = {
        "practitioner": practitioner,
        "form": form,
        "feed_url": _feed_url(request, practitioner),
    }
    return render(request, "booking/practitioner/rules.html", context, status=status)


@never_cache
@require_POST
@practitioner_required
def calendar_token_regenerate(request):
    services.calendar_token_regenerate(practitioner=request.practitioner)
    messages.success(
        request,
        _(
            "Nouvelle adresse créée : l'ancienne ne fonctionne plus. Abonnez de nouveau vos "
            "agendas avec l'adresse ci-dessous."
        ),
    )
    return redirect(f"{reverse('practitioner:rules')}#calendrier")


@require_GET
def calendar_feed(request, token: str):
    """The practitioner's appointments as iCalendar; the secret URL is the credential."""
    practitioner = get_object_or_404(Practitioner, calendar_token=token)
    response = HttpResponse(
        practitioner_feed_ics(practitioner), content_type="text/calendar; charset=utf-8"
    )
    # Calendar apps poll the feed: a few minutes in the app's own cache, never in a shared one.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Disposition"] = 'inline; filename="rendez-vous.ics"'
    return response


# --- Weekly hours, days off, special openings -------------------------------------------------


def _hours_page(request, *, hours_formset=None, day_off_form=None, special_form=None, status=200):
    practitioner = request.practitioner
    if hours_formset is None:
        hours_formset = OpeningHoursFormSet(
            prefix="horaires",
            initial=[
                {"weekday": row.weekday, "start": row.start, "end": row.end}
                for row in practitioner.opening_hours.all()
            ],
        )
    context = {
        "practitioner": practitioner,
        "hours_formset": hours_formset,
        "day_off_form": day_off_form or DayOffForm(practitioner=practitioner, prefix="fermeture"),
        "special_form": special_form
        or SpecialHoursForm(practitioner=practitioner, prefix="ouverture"),
        "days_off": practitioner_upcoming_days_off(practitioner=practitioner),
        "special_hours": practitioner_upcoming_special_hours(practitioner=practitioner),
    }
    return render(request, "booking/practitioner/hours.html", context, status=status)


@never_cache
@require_GET
@practitioner_required
def hours(request):
    return _hours_page(request)


@never_cache
@require_POST
@practitioner_required
def opening_hours_save(request):
    formset = OpeningHoursFormSet(request.POST, prefix="horaires")
    if not formset.is_valid():
        return _hours_page(request, hours_formset=formset, status=400)
    services_practitioner.opening_hours_replace(
        practitioner=request.practitioner, ranges=formset.ranges
    )
    messages.success(request, _("Horaires hebdomadaires enregistrés."))
    return redirect("practitioner:hours")


@never_cache
@require_POST
@practitioner_required
def day_off_add(request):
    form = DayOffForm(request.POST, practitioner=request.practitioner, prefix="fermeture")
    if form.is_valid():
        try:
            services_practitioner.day_off_add(
                practitioner=request.practitioner,
                day=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as refusal:
            form.add_error("date", refusal)
        else:
            messages.success(request, _("Jour de fermeture ajouté."))
            return redirect("practitioner:hours")
    return _hours_page(request, day_off_form=form, status=400)


@never_cache
@require_POST
@practitioner_required
def day_off_remove(request, pk: int):
    try:
        services_practitioner.day_off_remove(practitioner=request.practitioner, day_off_id=pk)
    except DayOff.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Jour de fermeture retiré."))
    return redirect("practitioner:hours")


@never_cache
@require_POST
@practitioner_required
def special_hours_add(request):
    form = SpecialHoursForm(request.POST, practitioner=request.practitioner, prefix="ouverture")
    if form.is_valid():
        try:
            services_practitioner.special_hours_add(
                practitioner=request.practitioner,
                day=form.cleaned_data["date"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("Ouverture exceptionnelle ajoutée."))
            return redirect("practitioner:hours")
    return _hours_page(request, special_form=form, status=400)


@never_cache
@require_POST
@practitioner_required
def special_hours_remove(request, pk: int):
    try:
        services_practitioner.special_hours_remove(
            practitioner=request.practitioner, special_hours_id=pk
        )
    except SpecialHours.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Ouverture exceptionnelle retirée."))
    return redirect("practitioner:hours")
