"""iCalendar (RFC 5545) files for appointments: e-mail attachments and the practitioner's feed.

Written by hand rather than with a library: the subset needed is small (one VEVENT per
appointment, times in UTC) and the rules that matter are few and tested: CRLF line endings,
lines folded at 75 octets without splitting a UTF-8 character, TEXT values escaped.

Calendar apps recognise an event by its UID and keep the version with the highest SEQUENCE:
the UID is built from the appointment's reference, which never changes (reschedules
included), and SEQUENCE is the appointment's own counter, raised by every change. Cancelled
events are sent with METHOD:CANCEL (e-mail) or STATUS:CANCELLED (feed), so that they vanish
from calendars instead of lingering.

Privacy: a description carries the service name, never anything about the client's health.
The client's name appears only in what goes to the practitioner (the e-mail to them and their
secret feed): they are the controller of that data. The feed also shows the practitioner's
blocked ranges, with their private reason: the feed is theirs alone.
"""

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from booking.models import Appointment, AppointmentStatus, BlockedRange, Practitioner
from core.links import absolute_reverse

PRODID = "-//Praticiens Bien-Etre//Rendez-vous//FR"
FEED_PAST_DAYS = 90
_MAX_LINE_OCTETS = 75

METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\n", "\\n")


def _param_value(value: str) -> str:
    """A parameter value (CN=...): quoted when needed; DQUOTE and control chars cannot appear."""
    value = "".join(ch for ch in value if ch >= " " and ch != '"')
    return f'"{value}"' if any(ch in value for ch in ":;,") else value


def fold_line(line: str) -> bytes:
    """Encode one content line, folded at 75 octets (RFC 5545 §3.1), ending with CRLF.

    A continuation line starts with one space, which counts in its 75 octets. Cuts fall
    between characters, never inside a multi-byte UTF-8 sequence.
    """
    chunks: list[bytes] = []
    current = b""
    limit = _MAX_LINE_OCTETS
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            chunks.append(current)
            current = b" "
            limit = _MAX_LINE_OCTETS
        current += encoded
    chunks.append(current)
    return b"\r\n".join(chunks) + b"\r\n"


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _host() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def appointment_uid(appointment: Appointment) -> str:
    """The event's identity in every calendar: stable for the appointment's whole life."""
    return f"{appointment.reference}@{_host()}"


def practitioner_name(practitioner: Practitioner) -> str:
    return practitioner.page.title if practitioner.page_id and practitioner.page else ""


def appointment_location(appointment: Appointment) -> str:
    """Where the appointment takes place, as a person reads it (in the active language)."""
    if appointment.mode == "visio":
        return _("En visio")
    if appointment.mode == "domicile":
        return _("À domicile")
    page = appointment.practitioner.page
    if page is None:
        return ""
    return ", ".join(
        part for part in (page.street_address, f"{page.postcode} {page.city}".strip()) if part
    )


def client_name(appointment: Appointment) -> str:
    client = appointment.contact
    if client is None:
        return _("Client")
    return client.get_full_name() or client.email or _("Client")


def _event_lines(
    appointment: Appointment, *, for_practitioner: bool, cancelled: bool, now: datetime
) -> list[str]:
    practitioner = appointment.practitioner
    if for_practitioner:
        summary = f"{appointment.service_name} — {client_name(appointment)}"
        link = absolute_reverse("practitioner:agenda")
    else:
        summary = _("%(service)s avec %(practitioner)s") % {
            "service": appointment.service_name,
            "practitioner": practitioner_name(practitioner),
        }
        link = absolute_reverse("booking:my_appointments")
    if cancelled:
        summary = _("Annulé : %(summary)s") % {"summary": summary}
    description = "\n".join(
        [
            appointment.service_name,
            _("Durée : %(minutes)s min") % {"minutes": appointment.duration_minutes},
            _("Prix : %(price)s € (paiement sur place)")
            % {"price": formats.number_format(appointment.price, 2)},
            _("Référence : %(reference)s") % {"reference": appointment.reference},
            link,
        ]
    )
    lines = [
        "BEGIN:VEVENT",
        f"UID:{appointment_uid(appointment)}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(appointment.start)}",
        f"DTEND:{_utc(appointment.end)}",
        f"SEQUENCE:{appointment.sequence}",
        f"CREATED:{_utc(appointment.created_at or now)}",
        f"LAST-MODIFIED:{_utc(appointment.updated_at or now)}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
    ]
    location = appointment_location(appointment)
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines += [
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        f"URL:{link}",
    ]
    return lines


def _organizer_attendee_lines(appointment: Appointment) -> list[str]:
    # iTIP (RFC 5546) wants an ORGANIZER and ATTENDEE in a REQUEST/CANCEL for calendar apps to
    # offer "add/update". The organizer address is the platform's sending address, not the
    # practitioner's own: clients never see the practitioner's personal e-mail this way.
    lines = [
        f"ORGANIZER;CN={_param_value(practitioner_name(appointment.practitioner))}"
        f":mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"
    ]
    client = appointment.contact
    if client is not None and client.email:
        lines.append(
            f"ATTENDEE;CN={_param_value(client_name(appointment))};ROLE=REQ-PARTICIPANT;"
            f"PARTSTAT=ACCEPTED:mailto:{client.email}"
        )
    return lines


def _calendar(lines: list[str]) -> bytes:
    return b"".join(fold_line(line) for line in lines)


def appointment_ics(
    appointment: Appointment,
    *,
    method: str = METHOD_REQUEST,
    for_practitioner: bool = False,
    language: str = "fr",
) -> bytes:
    """One appointment as an iTIP message to attach to an e-mail (METHOD:REQUEST or CANCEL)."""
    if method not in (METHOD_REQUEST, METHOD_CANCEL):
        raise ValueError(f"Unknown iTIP method {method!r}.")
    cancelled = method == METHOD_CANCEL
    with translation.override(language):
        event = _event_lines(
            appointment,
            for_practitioner=for_practitioner,
            cancelled=cancelled,
            now=timezone.now(),
        )
        event += _organizer_attendee_lines(appointment)
    return _calendar(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:{PRODID}",
            "CALSCALE:GREGORIAN",
            f"METHOD:{method}",
            *event,
            "END:VEVENT",
            "END:VCALENDAR",
        ]
    )


def practitioner_feed_appointments(practitioner: Practitioner, *, now: datetime):
    """What the feed shows: from 90 days ago on, active and cancelled appointments.

    No upper bound: a future appointment lies within the booking horizon in force when it was
    booked, and dropping one because the horizon was shortened since would hide it.
    """
    return (
        Appointment.objects.filter(
            practitioner=practitioner, start__gte=now - timedelta(days=FEED_PAST_DAYS)
        )
        .select_related("client", "practitioner__page")
        .order_by("start")
    )


def practitioner_feed_blocked_ranges(practitioner: Practitioner, *, now: datetime):
    """The blocked ranges the feed shows: those not over 90 days ago, as for appointments."""
    return BlockedRange.objects.filter(
        practitioner=practitioner, end__gte=now - timedelta(days=FEED_PAST_DAYS)
    ).order_by("start")


def blocked_range_uid(blocked: BlockedRange) -> str:
    # The creation instant with the id: SQLite may give a deleted row's id to a new row, and a
    # calendar would then take the new range for an update of the old one.
    return f"plage-{blocked.pk}-{_utc(blocked.created_at)}@{_host()}"


def _without_controls(value: str) -> str:
    # TEXT allows no control character but the tab (RFC 5545 §3.3.11); newlines are escaped.
    return "".join(ch for ch in value if (" " <= ch != "\x7f") or ch in "\t\n")


def _blocked_range_lines(blocked: BlockedRange, *, now: datetime) -> list[str]:
    summary = _("Plage bloquée")
    if blocked.reason.strip():
        # The practitioner's own feed: their private reason is theirs to read.
        summary = _("Plage bloquée : %(reason)s") % {
            "reason": _without_controls(blocked.reason.strip())
        }
    return [
        "BEGIN:VEVENT",
        f"UID:{blocked_range_uid(blocked)}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(blocked.start)}",
        f"DTEND:{_utc(blocked.end)}",
        f"CREATED:{_utc(blocked.created_at)}",
        f"SUMMARY:{escape_text(summary)}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]


def practitioner_feed_ics(practitioner: Practitioner, *, language: str = "fr") -> bytes:
    """The practitioner's private calendar feed (a subscription: no METHOD)."""
    now = timezone.now()
    with translation.override(language):
        name = _("Rendez-vous — %(name)s") % {"name": practitioner_name(practitioner)}
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:{PRODID}",
            "CALSCALE:GREGORIAN",
            f"X-WR-CALNAME:{escape_text(name)}",
            f"X-WR-TIMEZONE:{practitioner.timezone}",
            # Hints for subscribing apps on how often to fetch the feed again.
            "REFRESH-INTERVAL;VALUE=DURATION:PT15M",
            "X-PUBLISHED-TTL:PT15M",
        ]
        for appointment in practitioner_feed_appointments(practitioner, now=now):
            lines += _event_lines(
                appointment,
                for_practitioner=True,
                cancelled=appointment.status == AppointmentStatus.CANCELLED,
                now=now,
            )
            lines.append("END:VEVENT")
        for blocked in practitioner_feed_blocked_ranges(practitioner, now=now):
            lines += _blocked_range_lines(blocked, now=now)
        lines.append("END:VCALENDAR")
    return _calendar(lines)
