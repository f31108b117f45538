"""The practitioner's own clients ("Mes clients"): list, records, history, booking by hand.

Every query starts from request.practitioner: another practitioner's client or record is a 404.
Notes on clients are deliberately not offered (health data is out of the platform's scope).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from booking.exceptions import BookingError, SlotUnavailable
from booking.models import ClientRecord
from booking.practitioner.access import PractitionerRequest, practitioner_required
from booking.practitioner.client_forms import ClientRecordForm, ManualAppointmentForm
from booking.selectors import (
    practitioner_client_appointments,
    practitioner_clients,
    practitioner_has_client,
)
from booking.services.clients import (
    appointment_book_for_client,
    client_record_create,
    client_record_update,
)
from core.users import signed_in_user


def _record(request: PractitionerRequest, pk: int) -> ClientRecord:
    return get_object_or_404(ClientRecord, pk=pk, practitioner=request.practitioner)


def _account(request: PractitionerRequest, pk: int) -> User:
    user = User.objects.filter(pk=pk).first()
    if user is None or not practitioner_has_client(practitioner=request.practitioner, client=user):
        raise Http404
    return user


@never_cache
@require_GET
@practitioner_required
def clients(request: PractitionerRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:100]
    return render(
        request,
        "booking/practitioner/clients.html",
        {
            "practitioner": request.practitioner,
            "clients": practitioner_clients(practitioner=request.practitioner, search=search),
            "search": search.strip(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@practitioner_required
def record_add(request: PractitionerRequest) -> HttpResponse:
    form = ClientRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        record = client_record_create(
            practitioner=request.practitioner, by=signed_in_user(request.user), **form.cleaned_data
        )
        messages.success(request, _("Fiche client créée."))
        return redirect("practitioner:client_record", pk=record.pk)
    return render(
        request,
        "booking/practitioner/client_form.html",
        {"practitioner": request.practitioner, "form": form, "record": None},
        status=400 if form.is_bound else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@practitioner_required
def record_edit(request: PractitionerRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    initial = {
        "first_name": record.first_name,
        "last_name": record.last_name,
        "phone": record.phone,
        "email": record.email,
    }
    form = ClientRecordForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        client_record_update(record=record, by=signed_in_user(request.user), **form.cleaned_data)
        messages.success(request, _("Fiche client enregistrée."))
        return redirect("practitioner:client_record", pk=record.pk)
    return render(
        request,
        "booking/practitioner/client_form.html",
        {"practitioner": request.practitioner, "form": form, "record": record},
        status=400 if form.is_bound else 200,
    )


def _client_page(
    request: PractitionerRequest,
    *,
    account: User | None = None,
    record: ClientRecord | None = None,
) -> HttpResponse:
    """The client's history with this practitioner, and the form to book them by hand."""
    practitioner = request.practitioner
    form = ManualAppointmentForm(
        request.POST if request.method == "POST" else None, practitioner=practitioner
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                appointment = appointment_book_for_client(
                    practitioner=practitioner,
                    service=form.cleaned_data["service"],
                    start=form.start,
                    by=signed_in_user(request.user),
                    client=account,
                    client_record=record,
                )
            except SlotUnavailable as error:
                form.add_error(None, error.message)
                status = 409
            except BookingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Rendez-vous ajouté à votre agenda."))
                return redirect("practitioner:appointment", reference=appointment.reference)
    contact = account or record
    return render(
        request,
        "booking/practitioner/client_detail.html",
        {
            "practitioner": practitioner,
            "contact": contact,
            "record": record,
            "account": account,
            "appointments": practitioner_client_appointments(
                practitioner=practitioner, client=account, record=record
            ),
            "form": form,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@practitioner_required
def client_record(request: PractitionerRequest, pk: int) -> HttpResponse:
    return _client_page(request, record=_record(request, pk))


@never_cache
@require_http_methods(["GET", "POST"])
@practitioner_required
def client_account(request: PractitionerRequest, pk: int) -> HttpResponse:
    return _client_page(request, account=_account(request, pk))
