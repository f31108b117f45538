"""The answer of a closure form (a day off, a blocked range) that may cover booked appointments.

The first post of a closure over appointments is refused with their list; the form comes back
with the choice (cancel them, with a reason for the clients, or keep them) and the references
of the list shown. Only a second post with a choice made on that same list is written.
"""

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import ngettext

from booking.exceptions import BookingError
from booking.models import Appointment, AppointmentStatus, CancelledBy
from booking.practitioner.access import PractitionerRequest
from booking.practitioner.forms import CollisionsForm
from booking.services.collisions import AppointmentsCollide, Collisions, colliding_appointments

Form = TypeVar("Form", bound=CollisionsForm)


def _asked_again(form: Form, refusal: AppointmentsCollide) -> Form:
    """The form as posted, but carrying the list now shown and no choice: a choice made on
    another list (or none) is asked again."""
    data = cast(QueryDict, form.data).copy()  # a bound form's request.POST
    data[form.add_prefix("seen")] = " ".join(str(a.reference) for a in refusal.appointments)
    data.pop(form.add_prefix("collisions"), None)
    again = type(form)(data, practitioner=form.practitioner, prefix=form.prefix)
    again.add_error(None, refusal.message)
    return again


def closure_attempt(
    request: PractitionerRequest,
    form: Form,
    *,
    write: Callable[[dict[str, Any]], object],
    error_field: str | None = None,
) -> tuple[Form, list[Appointment]] | None:
    """None once `write` succeeded; else the form to show again with its errors, and the
    appointments to list with the choice (none unless the choice was already asked for)."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except AppointmentsCollide as refusal:
            return _asked_again(form, refusal), refusal.appointments
        except ValidationError as refusal:
            form.add_error(error_field, refusal)
        except BookingError as refusal:  # a cancellation refused, a range too long...
            form.add_error(None, refusal.message)
        else:
            return None
    span = form.span()
    asked = bool(form.data.get(form.add_prefix("seen"), "").strip())
    if span is None or not asked:
        return form, []
    start, end = span
    clashes = colliding_appointments(
        practitioner=request.practitioner, start=start, end=end, now=timezone.now()
    )
    return form, clashes


def closure_done(request: PractitionerRequest, form: CollisionsForm, done: str) -> None:
    """Says what was closed, and what became of the appointments listed with the choice."""
    messages.success(request, done)
    seen = form.cleaned_data["seen"]
    if not seen:
        return
    # Read back rather than assumed: a listed appointment cancelled by its client meanwhile
    # was neither cancelled nor kept by this closure.
    listed = Appointment.objects.filter(practitioner=request.practitioner, reference__in=seen)
    if form.cleaned_data["collisions"] == Collisions.CANCEL:
        count = listed.filter(
            status=AppointmentStatus.CANCELLED, cancelled_by=CancelledBy.PRACTITIONER
        ).count()
        said = ngettext(
            "%(count)d rendez-vous annulé : le client en est informé par e-mail, avec votre motif.",
            "%(count)d rendez-vous annulés : les clients en sont informés par e-mail, avec "
            "votre motif.",
            count,
        )
    else:
        count = listed.filter(status=AppointmentStatus.CONFIRMED).count()
        said = ngettext(
            "%(count)d rendez-vous maintenu : il reste dans votre agenda.",
            "%(count)d rendez-vous maintenus : ils restent dans votre agenda.",
            count,
        )
    if count:
        messages.info(request, said % {"count": count})
