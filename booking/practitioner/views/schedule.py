"""The practitioner area's settings: booking rules, weekly hours, days off, special openings,
and the private calendar feed.

Every view below but the feed (whose secret URL is the credential) is wrapped by
practitioner_required (booking/practitioner/access.py), which sets
request.practitioner; every query is filtered by it, so another practitioner's appointment,
range or day off is a 404 here.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from booking import services
from booking.ics import practitioner_feed_ics
from booking.models import (
    DayOff,
    Practitioner,
    SpecialHours,
)
from booking.practitioner.access import practitioner_required
from booking.practitioner.forms import (
    DayOffForm,
    OpeningHoursFormSet,
    RulesForm,
    SpecialHoursForm,
)
from booking.practitioner.presenters import (
    practitioner_upcoming_days_off,
    practitioner_upcoming_special_hours,
)

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
    services.opening_hours_replace(practitioner=request.practitioner, ranges=formset.ranges)
    messages.success(request, _("Horaires hebdomadaires enregistrés."))
    return redirect("practitioner:hours")


@never_cache
@require_POST
@practitioner_required
def day_off_add(request):
    form = DayOffForm(request.POST, practitioner=request.practitioner, prefix="fermeture")
    if form.is_valid():
        try:
            services.day_off_add(
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
        services.day_off_remove(practitioner=request.practitioner, day_off_id=pk)
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
            services.special_hours_add(
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
        services.special_hours_remove(practitioner=request.practitioner, special_hours_id=pk)
    except SpecialHours.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Ouverture exceptionnelle retirée."))
    return redirect("practitioner:hours")
