"""The booking funnel's template helpers: French dates ("mardi 1er décembre") and the pending
hold shown on the login and sign-up pages.

The accounts app imports nothing from booking; its templates load this library instead.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone

from booking import selectors
from booking.client import presenters
from booking.client.session import hold_key, hold_record

register = template.Library()


@register.filter
def day_label(value: date | datetime | None, options: str = "") -> str:
    """`{{ day|day_label }}` "mardi 1er décembre"; options "year", "time" or "year,time"."""
    if value in (None, ""):
        return ""
    wanted = {option.strip() for option in options.split(",")}
    return presenters.day_label(value, year="year" in wanted, time="time" in wanted)


def pending_hold(request: Any) -> dict[str, Any] | None:
    """The slot this browser holds (or held): start, practitioner's name, until when it is
    kept (None once expired), the time zone to show it in. None without a hold."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    record = hold_record(request)
    if record is None:
        return None
    hold = selectors.session_hold(hold_key=hold_key(request), reference=record.reference)
    if hold is not None:
        practitioner = hold.practitioner
        live = hold.hold_expires_at is not None and hold.hold_expires_at > timezone.now()
        until = hold.hold_expires_at if live else None
        start = hold.start
    else:
        found = selectors.bookable_practitioner(record.page_id)
        if found is None:
            return None
        practitioner, until, start = found, None, record.start
    return {
        "start": start,
        "name": practitioner.page.title if practitioner.page else "",
        "until": until,
        "tz_name": practitioner.timezone,
    }


@register.inclusion_tag("booking/client/_pending_hold.html", takes_context=True)
def booking_pending_hold(context: template.Context) -> dict[str, Any]:
    """`{% booking_pending_hold %}`: "Pour réserver jeudi 3 décembre à 17:00 avec Léa Perrin —
    créneau réservé pour vous jusqu'à 17:10" (or that it is no longer held)."""
    return {"pending": pending_hold(context.get("request"))}
