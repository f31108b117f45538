"""The practitioner's own clients: accounts that booked with them, and records they created.

A practitioner never reads another practitioner's clients: every query starts from their own
appointments or records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from accounts.models import User
from booking.models import Appointment, ClientRecord, Practitioner

SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class PractitionerClient:
    """One line of "Mes clients": an account or a record, with what the list shows."""

    first_name: str
    last_name: str
    email: str
    phone: str
    account: User | None = None
    record: ClientRecord | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


def practitioner_has_client(*, practitioner: Practitioner, client: User) -> bool:
    """Whether `client` has booked with `practitioner` (any status)."""
    return Appointment.objects.filter(practitioner=practitioner, client=client).exists()


def practitioner_clients(
    *, practitioner: Practitioner, search: str = ""
) -> list[PractitionerClient]:
    """The practitioner's clients, by last name; `search` matches names, e-mail or phone."""
    search = search.strip()[:SEARCH_MAX_LENGTH]
    accounts = User.objects.filter(appointments__practitioner=practitioner).distinct()
    records = ClientRecord.objects.filter(practitioner=practitioner)
    if search:
        match = (
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
            | Q(phone__icontains=search)
        )
        accounts = accounts.filter(match)
        records = records.filter(match)
    clients = [
        PractitionerClient(u.first_name, u.last_name, u.email, u.phone, account=u) for u in accounts
    ] + [PractitionerClient(r.first_name, r.last_name, r.email, r.phone, record=r) for r in records]
    return sorted(clients, key=lambda c: (c.last_name.lower(), c.first_name.lower(), c.email))


def practitioner_client_appointments(
    *,
    practitioner: Practitioner,
    client: User | None = None,
    record: ClientRecord | None = None,
) -> list[Appointment]:
    """One client's appointments with this practitioner only, latest first."""
    appointments = Appointment.objects.filter(practitioner=practitioner)
    if client is not None:
        appointments = appointments.filter(client=client)
    elif record is not None:
        appointments = appointments.filter(client_record=record)
    else:
        return []
    return list(appointments.order_by("-start"))
