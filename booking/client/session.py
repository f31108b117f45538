"""What the browser's session keeps of a slot hold (booking.services.holds).

The key is the secret that makes this browser the owner of its hold, whoever is signed in (a
visitor without an account owns one too); it lasts as long as the session, through the
sign-in (Django keeps session data when the user logs in). The record names the hold of the
moment and its slot, so that a hold that is gone (expired and replaced, swept) can be taken
again on the same slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.http import HttpRequest

from booking.client.presenters import iso_utc, start_parse
from booking.models import Appointment
from booking.services.holds import hold_key_new

KEY = "booking_hold_key"
RECORD = "booking_hold"


@dataclass(frozen=True)
class HoldRecord:
    reference: UUID
    page_id: int
    service_id: int
    start: datetime


def hold_key(request: HttpRequest, *, create: bool = False) -> str:
    """This browser's hold key ("" if it has none and `create` is false)."""
    key = request.session.get(KEY, "")
    if not isinstance(key, str):
        key = ""
    if not key and create:
        key = hold_key_new()
        request.session[KEY] = key
    return key


def hold_record(request: HttpRequest) -> HoldRecord | None:
    """The hold this browser took last, or None (nothing, or a session written otherwise)."""
    raw = request.session.get(RECORD)
    if not isinstance(raw, dict):
        return None
    try:
        start = start_parse(raw.get("start"))
        record = HoldRecord(
            reference=UUID(str(raw.get("reference"))),
            page_id=int(raw["page_id"]),
            service_id=int(raw["service_id"]),
            start=start,  # type: ignore[arg-type]  # checked below
        )
    except (KeyError, TypeError, ValueError):
        return None
    return record if start is not None else None


def hold_remember(request: HttpRequest, hold: Appointment) -> None:
    request.session[RECORD] = {
        "reference": str(hold.reference),
        "page_id": hold.practitioner.page_id,
        "service_id": hold.service_id,
        "start": iso_utc(hold.start),
    }


def hold_forget(request: HttpRequest) -> None:
    request.session.pop(RECORD, None)
