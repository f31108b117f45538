"""The practitioner area's settings: booking rules, weekly hours, days off, special openings,
and the private calendar feed.

Every view below but the feed (whose secret URL is the credential) is wrapped by
practitioner_required (booking/practitioner/access.py), which sets
request.practitioner; every query is filtered by it, so another practitioner's appointment,
range or day off is a 404 here.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from booking import services
from booking.exceptions import BookingError
from booking.ics import practitioner_feed_ics
from booking.models import (
    Appointment,
    DayOff,
    Practitioner,
    SpecialHours,
)
from booking.practitioner.access import PractitionerRequest, practitioner_required
from booking.practitioner.forms import (
    BaseOpeningHoursFormSet,
    DayOffForm,
    OpeningHoursCopyForm,
    OpeningHoursFormSet,
    RulesForm,
    SpecialHoursForm,
)
from booking.practitioner.presenters import (
    practitioner_upcoming_days_off,
    practitioner_upcoming_special_hours,
)
from booking.practitioner.views.closures import closure_attempt, closure_done
from booking.practitioner.views.common import removed
from booking.services.schedule import opening_hours_copy
from core.users import signed_in_user

# --- Booking rules and calendar feed ----------------------------------------------------------


def _fresh(practitioner: Practitioner) -> Practitioner:
    # Forms work on their own copy: an invalid form must not alter request.practitioner.
    return Practitioner.objects.get(pk=practitioner.pk)


def _feed_url(request, practitioner: Practitioner) -> str:
    from core.links import absolute_url

    return absolute_url(
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
            services.practitioner_rules_update(practitioner=practitioner, **values)
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


def _hours_page(
    request: PractitionerRequest,
    *,
    hours_formset: BaseOpeningHoursFormSet | None = None,
    copy_form: OpeningHoursCopyForm | None = None,
    day_off_form: DayOffForm | None = None,
    day_off_collisions: list[Appointment] | None = None,
    special_form: SpecialHoursForm | None = None,
    status: int = 200,
) -> HttpResponse:
    practitioner = request.practitioner
    if hours_formset is None:
        hours_formset = OpeningHoursFormSet(
            prefix="horaires",
            practitioner=practitioner,
            initial=[
                {"weekday": row.weekday, "start": row.start, "end": row.end}
                for row in practitioner.opening_hours.all()
            ],
        )
    context = {
        "practitioner": practitioner,
        "hours_formset": hours_formset,
        "has_hours": practitioner.opening_hours.exists(),
        "copy_form": copy_form or OpeningHoursCopyForm(prefix="copie"),
        "day_off_form": day_off_form or DayOffForm(practitioner=practitioner, prefix="fermeture"),
        "day_off_collisions": day_off_collisions or [],
        "special_form": special_form
        or SpecialHoursForm(practitioner=practitioner, prefix="ouverture"),
        "days_off": practitioner_upcoming_days_off(practitioner=practitioner),
        "special_hours": practitioner_upcoming_special_hours(practitioner=practitioner),
    }
    return render(request, "booking/practitioner/hours.html", context, status=status)


def _hours_added(
    request: PractitionerRequest,
    form: SpecialHoursForm,
    *,
    write: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """The answer of a form of the hours page that adds one row: the page again with the
    errors (the service's refusals included), or back to it with `done` said."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, done)
            return redirect("practitioner:hours")
    return _hours_page(request, special_form=form, status=400)


@never_cache
@require_GET
@practitioner_required
def hours(request: PractitionerRequest) -> HttpResponse:
    return _hours_page(request)


@never_cache
@require_POST
@practitioner_required
def opening_hours_save(request: PractitionerRequest) -> HttpResponse:
    formset = OpeningHoursFormSet(
        request.POST, prefix="horaires", practitioner=request.practitioner
    )
    if not formset.is_valid():
        return _hours_page(request, hours_formset=formset, status=400)
    services.opening_hours_replace(practitioner=request.practitioner, ranges=formset.ranges)
    messages.success(request, _("Horaires hebdomadaires enregistrés."))
    return redirect("practitioner:hours")


@never_cache
@require_POST
@practitioner_required
def opening_hours_copy_save(request: PractitionerRequest) -> HttpResponse:
    form = OpeningHoursCopyForm(request.POST, prefix="copie")
    if form.is_valid():
        try:
            opening_hours_copy(
                practitioner=request.practitioner,
                from_weekday=form.cleaned_data["from_weekday"],
                to_weekdays=form.cleaned_data["to_weekdays"],
                by=signed_in_user(request.user),
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        except BookingError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Horaires copiés."))
            return redirect("practitioner:hours")
    return _hours_page(request, copy_form=form, status=400)


@never_cache
@require_POST
@practitioner_required
def day_off_add(request: PractitionerRequest) -> HttpResponse:
    form = DayOffForm(request.POST, practitioner=request.practitioner, prefix="fermeture")
    refused = closure_attempt(
        request,
        form,
        write=lambda data: services.day_off_add(
            practitioner=request.practitioner,
            day=data["date"],
            reason=data["reason"],
            collisions=data["collisions"],
            seen=data["seen"],
            cancel_reason=data["cancel_reason"],
            by=signed_in_user(request.user),
        ),
        error_field="date",
    )
    if refused is None:
        closure_done(request, form, _("Jour de fermeture ajouté."))
        return redirect("practitioner:hours")
    shown, collisions = refused
    return _hours_page(
        request,
        day_off_form=shown,
        day_off_collisions=collisions,
        status=400,
    )


@never_cache
@require_POST
@practitioner_required
def day_off_remove(request: PractitionerRequest, pk: int) -> HttpResponse:
    return removed(
        request,
        remove=lambda: services.day_off_remove(practitioner=request.practitioner, day_off_id=pk),
        missing=DayOff.DoesNotExist,
        done=_("Jour de fermeture retiré."),
        then="practitioner:hours",
    )


@never_cache
@require_POST
@practitioner_required
def special_hours_add(request: PractitionerRequest) -> HttpResponse:
    return _hours_added(
        request,
        SpecialHoursForm(request.POST, practitioner=request.practitioner, prefix="ouverture"),
        write=lambda data: services.special_hours_add(
            practitioner=request.practitioner,
            day=data["date"],
            start=data["start"],
            end=data["end"],
        ),
        done=_("Ouverture exceptionnelle ajoutée."),
    )


@never_cache
@require_POST
@practitioner_required
def special_hours_remove(request: PractitionerRequest, pk: int) -> HttpResponse:
    return removed(
        request,
        remove=lambda: services.special_hours_remove(
            practitioner=request.practitioner, special_hours_id=pk
        ),
        missing=SpecialHours.DoesNotExist,
        done=_("Ouverture exceptionnelle retirée."),
        then="practitioner:hours",
    )
