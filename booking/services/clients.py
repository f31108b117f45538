"""The practitioner's own clients: records they create, appointments they book by hand.

A client who phoned is booked through the same writer as an online booking
(booking.services.appointments.appointment_create): the same lock, the same slot check, the same
database constraint. The practitioner may book inside their minimum notice (it protects them
from last-minute online bookings, not from their own) and while online booking is off.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from booking.exceptions import ChangeNotAllowed
from booking.models import Appointment, ClientRecord, Practitioner
from booking.selectors import is_practitioner_user, practitioner_has_client
from booking.services.appointments import appointment_create
from booking.services.availability import next_free_refresh_on_commit
from cms.models import PractitionerService


def _own_practitioner(by: User, practitioner: Practitioner) -> None:
    if not is_practitioner_user(by, practitioner):
        raise ChangeNotAllowed(_("Cet agenda n'est pas le vôtre."), code="not_yours")


def _contact(first_name: str, last_name: str, phone: str, email: str) -> dict[str, str]:
    """A record's fields as stored: trimmed, the address in lower case."""
    return {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "phone": phone.strip(),
        "email": email.strip().lower(),
    }


def client_record_create(
    *,
    practitioner: Practitioner,
    by: User,
    first_name: str,
    last_name: str,
    phone: str = "",
    email: str = "",
) -> ClientRecord:
    """A client of this practitioner only, without a platform account."""
    _own_practitioner(by, practitioner)
    with transaction.atomic():
        return ClientRecord.objects.create(
            practitioner=practitioner, **_contact(first_name, last_name, phone, email)
        )


def client_record_update(
    *,
    record: ClientRecord,
    by: User,
    first_name: str,
    last_name: str,
    phone: str = "",
    email: str = "",
) -> ClientRecord:
    """Only the practitioner who created the record edits it."""
    _own_practitioner(by, record.practitioner)
    contact = _contact(first_name, last_name, phone, email)
    with transaction.atomic():
        for field, value in contact.items():
            setattr(record, field, value)
        record.save(update_fields=[*contact, "updated_at"])
    return record


def appointment_book_for_client(
    *,
    practitioner: Practitioner,
    service: PractitionerService,
    start: datetime,
    by: User,
    client: User | None = None,
    client_record: ClientRecord | None = None,
) -> Appointment:
    """Book for one of the practitioner's clients: an account that booked with them before, or
    one of their records. The client gets the confirmation and calendar file if an address is
    known (booking.notifications)."""
    _own_practitioner(by, practitioner)
    if (client is None) == (client_record is None):
        raise ValueError("Book for exactly one client: an account or a record.")
    if client_record is not None and client_record.practitioner_id != practitioner.pk:
        raise ChangeNotAllowed(_("Cette fiche client n'est pas la vôtre."), code="not_yours")
    if client is not None and not practitioner_has_client(practitioner=practitioner, client=client):
        raise ChangeNotAllowed(_("Ce compte n'est pas l'un de vos clients."), code="not_yours")
    appointment = appointment_create(
        practitioner=practitioner,
        service=service,
        start=start,
        client=client,
        client_record=client_record,
        online=False,
    )
    next_free_refresh_on_commit(practitioner.pk)
    return appointment
