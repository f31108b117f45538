"""Helpers of the booking e-mail and calendar tests: appointment rows and an iCalendar reader."""

from datetime import UTC, datetime, timedelta

from booking.models import Appointment


def appointment_make(practitioner, client, start: datetime, **fields) -> Appointment:
    """An appointment row written directly (no rules checked), as booking.services stores it."""
    service = practitioner.page.services.first()
    name = fields.pop("service_name", service.name)
    duration = fields.pop("duration_minutes", service.duration_minutes)
    end = start + timedelta(minutes=duration)
    return Appointment.objects.create(
        practitioner=practitioner,
        client=client,
        service=service,
        service_name=name,
        duration_minutes=duration,
        price=fields.pop("price", service.price),
        mode=fields.pop("mode", service.mode),
        start=start,
        end=end,
        blocked_start=start,
        blocked_end=end,
        rules_snapshot=fields.pop("rules_snapshot", practitioner.cancellation_rules()),
        **fields,
    )


def ics_lines(content: bytes) -> list[str]:
    """Unfold an iCalendar stream (RFC 5545 §3.1) into its logical content lines.

    Strict on what the tests care about: every physical line ends with CRLF and decodes as UTF-8
    on its own (a fold never cuts a character).
    """
    assert content.endswith(b"\r\n")
    physical = content[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    lines: list[str] = []
    for raw in physical:
        text = raw.decode("utf-8")
        if text.startswith(" "):
            lines[-1] += text[1:]
        else:
            lines.append(text)
    return lines


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        char = value[i]
        if char == "\\" and i + 1 < len(value):
            following = value[i + 1]
            out.append("\n" if following in "nN" else following)
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def ics_events(content: bytes) -> tuple[dict, list[dict]]:
    """The calendar's own properties and its events, as {NAME: unescaped value} dicts.

    Parameters (";CN=...") are kept under "NAME;params"; values are unescaped TEXT.
    """
    calendar: dict = {}
    events: list[dict] = []
    current = None
    for line in ics_lines(content):
        name, value = line, ""
        # A quoted parameter value may hold ":": find the first colon outside quotes.
        quoted = False
        for index, char in enumerate(line):
            if char == '"':
                quoted = not quoted
            elif char == ":" and not quoted:
                name, value = line[:index], line[index + 1 :]
                break
        key = name.split(";", 1)[0]
        if line == "BEGIN:VEVENT":
            current = {}
            continue
        if line == "END:VEVENT":
            events.append(current)
            current = None
            continue
        target = current if current is not None else calendar
        target[key] = _unescape(value)
        if ";" in name:
            target[f"{key};params"] = name.split(";", 1)[1]
    return calendar, events


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
