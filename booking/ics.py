"""iCalendar (RFC 5545) files for appointments: e-mail attachments, downloads, the feed.

Written by hand rather than with a library: the subset needed is small (one VEVENT per
appointment, times in UTC) and the rules that matter are few and tested: CRLF line endings,
lines folded at 75 octets without splitting a UTF-8 character, TEXT values escaped.

Calendar apps recognise an event by its UID and keep the version with the highest SEQUENCE:
the UID is built from the appointment's reference, which never changes (reschedules
included), and SEQUENCE is the appointment's own counter, raised by every change.

A booking, a reschedule and a reminder go out as METHOD:PUBLISH, with no ORGANIZER and no
ATTENDEE: an event to add, not an invitation, so no calendar app offers to send an RSVP to
the platform's no-reply address, and the practitioner is not shown "invited by themselves".
A cancellation goes out as METHOD:CANCEL (RFC 5546 §3.2.5), the one method that makes
Apple Calendar, Outlook, Thunderbird and Gmail remove the event rather than show a copy
marked "cancelled" (what they do with PUBLISH + STATUS:CANCELLED, when they do anything).
CANCEL requires an ORGANIZER and an ATTENDEE: the organiser is the sending address (a CANCEL
asks for no reply) and the attendee is the recipient. Its event also carries
STATUS:CANCELLED and an "Annulé :" summary, so an app that imports it as a plain event still
shows it as cancelled. The feed, a subscription, has no METHOD and says STATUS:CANCELLED.

Privacy: a description carries the service name, never anything about the client's health.
The client's name appears only in what goes to the practitioner (the e-mail to them and their
secret feed): they are the controller of that data. The feed also shows the practitioner's
blocked ranges, with their private reason: the feed is theirs alone.
"""

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from booking.models import (
    NOT_APPOINTMENT_STATUSES,
    Appointment,
    AppointmentStatus,
    BlockedRange,
    Practitioner,
)
from core.links import absolute_reverse, public_hostname

PRODID = "-//Praticiens Bien-Etre//Rendez-vous//FR"
FEED_PAST_DAYS = 90
_MAX_LINE_OCTETS = 75

METHOD_PUBLISH = "PUBLISH"
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
    return public_hostname() or "localhost"


def appointment_uid(appointment: Appointment) -> str:
    """The event's identity in every calendar: stable for the appointment's whole life."""
    return f"{appointment.reference}@{_host()}"


def practitioner_name(practitioner: Practitioner) -> str:
    return practitioner.page.title if practitioner.page_id and practitioner.page else ""


def appointment_location(appointment: Appointment, *, for_practitioner: bool = False) -> str:
    """Where the appointment takes place, as a person reads it (in the active language).

    A home visit is "at home" for the client and "at the client's" for the practitioner.
    """
    if appointment.mode == "visio":
        return _("En visio")
    if appointment.mode == "domicile":
        return _("Au domicile du client") if for_practitioner else _("À domicile")
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


def _description(appointment: Appointment, *, for_practitioner: bool, link: str) -> str:
    """What the event's notes say, from the reader's side: the practitioner reads who comes and
    what to collect, the client reads with whom and what to pay."""
    price = formats.number_format(appointment.price, 2)
    lines = [
        _("%(service)s avec %(name)s")
        % {
            "service": appointment.service_name,
            "name": client_name(appointment)
            if for_practitioner
            else practitioner_name(appointment.practitioner),
        },
        _("Durée : %(minutes)s min") % {"minutes": appointment.duration_minutes},
        (
            _("Prix : %(price)s € (à régler sur place par le client)")
            if for_practitioner
            else _("Prix : %(price)s € (paiement sur place)")
        )
        % {"price": price},
        _("Référence : %(reference)s") % {"reference": appointment.code},
        link,
    ]
    return "\n".join(lines)


def _event_lines(
    appointment: Appointment, *, for_practitioner: bool, cancelled: bool, now: datetime
) -> list[str]:
    practitioner = appointment.practitioner
    if for_practitioner:
        summary = f"{appointment.service_name} — {client_name(appointment)}"
        link = absolute_reverse("practitioner:appointment", appointment.reference)
    else:
        summary = _("%(service)s avec %(practitioner)s") % {
            "service": appointment.service_name,
            "practitioner": practitioner_name(practitioner),
        }
        link = absolute_reverse("booking:my_appointments")
    summary = f"{summary} ({appointment.code})"
    if cancelled:
        summary = _("Annulé : %(summary)s") % {"summary": summary}
    description = _description(appointment, for_practitioner=for_practitioner, link=link)
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
    location = appointment_location(appointment, for_practitioner=for_practitioner)
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines += [
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        # A cancelled event no longer keeps the time busy in the reader's calendar.
        f"TRANSP:{'TRANSPARENT' if cancelled else 'OPAQUE'}",
        f"URL:{link}",
    ]
    return lines


def _cancel_parties(appointment: Appointment, *, attendee: tuple[str, str]) -> list[str]:
    # RFC 5546 requires both in a CANCEL. The organiser is the platform's sending address, not
    # the practitioner's own (clients never see it this way); a CANCEL expects no reply.
    organizer_name = practitioner_name(appointment.practitioner) or _("Praticiens Bien-Être")
    name, email = attendee
    return [
        f"ORGANIZER;CN={_param_value(organizer_name)}"
        f":mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}",
        f"ATTENDEE;CN={_param_value(name)};ROLE=REQ-PARTICIPANT:mailto:{email}",
    ]


def _calendar(lines: list[str]) -> bytes:
    return b"".join(fold_line(line) for line in lines)


def appointment_ics(
    appointment: Appointment,
    *,
    method: str = METHOD_PUBLISH,
    for_practitioner: bool = False,
    language: str = "fr",
    attendee: tuple[str, str] | None = None,
) -> bytes:
    """One appointment as a calendar file: METHOD:PUBLISH (to add or update), or CANCEL.

    `attendee` (name, e-mail) is the recipient, required by a CANCEL; a PUBLISH names nobody.
    A cancelled appointment published (a download) says STATUS:CANCELLED.
    """
    if method not in (METHOD_PUBLISH, METHOD_CANCEL):
        raise ValueError(f"Unknown method {method!r}.")
    if method == METHOD_CANCEL and attendee is None:
        raise ValueError("A CANCEL names its recipient (attendee).")
    cancelled = method == METHOD_CANCEL or appointment.status == AppointmentStatus.CANCELLED
    with translation.override(language):
        event = _event_lines(
            appointment,
            for_practitioner=for_practitioner,
            cancelled=cancelled,
            now=timezone.now(),
        )
        if method == METHOD_CANCEL and attendee is not None:
            event += _cancel_parties(appointment, attendee=attendee)
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
        .exclude(status__in=NOT_APPOINTMENT_STATUSES)  # a slot held while someone signs in
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
