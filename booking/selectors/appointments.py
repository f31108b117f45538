"""Appointments as the client and the practitioner see them, and why a change is refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.models import (
    ACTIVE_STATUSES,
    NOT_APPOINTMENT_STATUSES,
    Appointment,
    AppointmentStatus,
    BlockedRange,
    Practitioner,
)
from booking.selectors.slots import day_bounds

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def _of_client(client: User) -> Q:
    """The client's appointments: booked by the account, or booked for them by a practitioner
    under the address the account has verified (the confirmation invited them to sign up)."""
    mine = Q(client=client)
    if client.email and getattr(client, "email_verified_at", None):
        mine |= Q(client__isnull=True, client_record__email__iexact=client.email)
    return mine


def is_clients_appointment(appointment: Appointment, user: User | AnonymousUser | None) -> bool:
    """Whether `user` is the client of `appointment` (see _of_client)."""
    if user is None or not user.is_authenticated or user.pk is None:
        return False
    if appointment.client_id is not None:
        return appointment.client_id == user.pk
    record = appointment.client_record
    return bool(
        record is not None
        and record.email
        and getattr(user, "email_verified_at", None)
        and record.email.lower() == user.email.lower()
    )


def client_appointment(*, client: User, reference: UUID | None) -> Appointment | None:
    """One of the client's appointments by its reference; another client's is None."""
    if reference is None or not client.is_authenticated:
        return None
    # A hold is not an appointment yet: it has no confirmation, no calendar file, no change.
    return (
        Appointment.objects.select_related(
            "practitioner__page", "service", "client_record", "payment"
        )
        .filter(_of_client(client), reference=reference)
        .exclude(status__in=NOT_APPOINTMENT_STATUSES)
        .first()
    )


def client_active_appointment_at(
    *, client: User, practitioner: Practitioner, start: datetime
) -> Appointment | None:
    """The client's active appointment with the practitioner at `start` (a double click)."""
    return Appointment.objects.filter(
        client=client, practitioner=practitioner, start=start, status__in=ACTIVE_STATUSES
    ).first()


def _client_booked(client: User) -> QuerySet[Appointment]:
    # Held rows are slots kept while someone signs in: never listed as appointments.
    return (
        Appointment.objects.filter(_of_client(client))
        .exclude(status__in=NOT_APPOINTMENT_STATUSES)
        .select_related("practitioner__page", "payment")
        .order_by("start")
    )


def client_appointments(
    *, client: User, now: datetime | None = None
) -> tuple[list[Appointment], list[Appointment]]:
    """The client's appointments: (upcoming, soonest first; past, latest first).

    Upcoming means not over yet (cancelled ones included, with their status): the API's view.
    The pages split cancelled ones off (client_appointment_sections).
    """
    now = now or timezone.now()
    appointments = list(_client_booked(client))
    upcoming = [a for a in appointments if a.end > now]
    past = [a for a in reversed(appointments) if a.end <= now]
    return upcoming, past


class ClientAppointmentSections(NamedTuple):
    """The three sections of "Mes rendez-vous", each a list of appointments."""

    upcoming: list[Appointment]  # not over and not cancelled, soonest first
    past: list[Appointment]  # over and not cancelled, latest first
    cancelled: list[Appointment]  # cancelled, past or not, latest start first


def client_appointment_sections(
    *, client: User, now: datetime | None = None
) -> ClientAppointmentSections:
    """The client's appointments split for the page (one query): a cancelled one is neither
    to come nor past, it has its own section."""
    now = now or timezone.now()
    appointments = list(_client_booked(client))
    kept = [a for a in appointments if a.status != AppointmentStatus.CANCELLED]
    return ClientAppointmentSections(
        upcoming=[a for a in kept if a.end > now],
        past=[a for a in reversed(kept) if a.end <= now],
        cancelled=[a for a in reversed(appointments) if a.status == AppointmentStatus.CANCELLED],
    )


def practitioner_agenda(
    *, practitioner: Practitioner, first_day: date, last_day: date
) -> list[Appointment]:
    """The practitioner's appointments starting on [first_day, last_day] (local dates).

    Every status, cancelled included (an agenda shows what was freed); only theirs.
    """
    start, end = day_bounds(practitioner, first_day, last_day)
    return list(
        Appointment.objects.filter(practitioner=practitioner, start__gte=start, start__lt=end)
        .exclude(status__in=NOT_APPOINTMENT_STATUSES)  # held slots are not appointments
        .select_related("client", "service")
        .order_by("start")
    )


def practitioner_blocked_ranges(
    *, practitioner: Practitioner, first_day: date, last_day: date
) -> list[BlockedRange]:
    """The practitioner's blocked ranges overlapping [first_day, last_day] (local dates)."""
    start, end = day_bounds(practitioner, first_day, last_day)
    return list(
        BlockedRange.objects.filter(practitioner=practitioner, start__lt=end, end__gt=start)
    )


def is_practitioner_user(user: User | AnonymousUser | None, practitioner: Practitioner) -> bool:
    """Whether `user` is the account linked to the practitioner's page (PractitionerAccount)."""
    if user is None or not user.is_authenticated or practitioner.page_id is None:
        return False
    account = getattr(user, "practitioner_account", None)  # reverse one-to-one: may not exist
    return account is not None and account.page_id == practitioner.page_id


def appointment_change_refusal(
    *,
    appointment: Appointment,
    by: User | AnonymousUser | None,
    now: datetime | None = None,
    action: str = "cancel",
) -> str | None:
    """Why `by` may not cancel (action="cancel") or move (action="reschedule") it now.

    None when allowed. The client is bound by the cut-off and the reschedule cap of the rules
    snapshot kept with the appointment (not today's rules); the practitioner may cancel at any
    time before the start. Messages are French, meant for the user.
    """
    now = now or timezone.now()
    is_client = is_clients_appointment(appointment, by)
    is_practitioner = not is_client and is_practitioner_user(by, appointment.practitioner)
    if not (is_client or is_practitioner):
        return _("Ce rendez-vous n'est pas le vôtre.")
    if appointment.status == AppointmentStatus.CANCELLED:
        return _("Ce rendez-vous est déjà annulé.")
    if appointment.status != AppointmentStatus.CONFIRMED or appointment.start <= now:
        return _("Ce rendez-vous a déjà commencé.")
    if action == "reschedule" and not is_client:
        return _("Seul le client peut déplacer ce rendez-vous ; vous pouvez l'annuler.")
    if is_practitioner:
        return None
    snapshot = appointment.rules_snapshot or {}
    cutoff_hours = int(snapshot.get("cancellation_cutoff_hours", 0))
    if now > appointment.start - timedelta(hours=cutoff_hours):
        return _("Le délai d'annulation (%(hours)s h avant le rendez-vous) est dépassé.") % {
            "hours": cutoff_hours
        }
    if action == "reschedule":
        maximum = int(snapshot.get("max_reschedules", 0))
        if maximum == 0:
            return _("Le praticien ne permet pas de déplacer ses rendez-vous.")
        if appointment.reschedule_count >= maximum:
            return _(
                "Vous avez déjà déplacé ce rendez-vous %(count)s fois (maximum fixé par le "
                "praticien)."
            ) % {"count": appointment.reschedule_count}
    return None
