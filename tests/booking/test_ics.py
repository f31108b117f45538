"""The iCalendar files: RFC 5545 syntax, a stable UID, SEQUENCE, PUBLISH and CANCEL, the feed."""

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

import pytest
import time_machine
from django.conf import settings

from booking.ics import appointment_ics, escape_text, fold_line, practitioner_feed_ics
from booking.models import AppointmentStatus, CancelledBy
from tests.booking.mail_helpers import appointment_make, ics_events, ics_lines
from tests.factories import bookable_practitioner_create, client_create

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
START = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)  # Tuesday 12 January 2027, 10:00 in Paris


@pytest.fixture
def practitioner(directory):
    return bookable_practitioner_create(directory)


@pytest.fixture
def client_user(db):
    return client_create()


@pytest.fixture
def appointment(practitioner, client_user):
    return appointment_make(practitioner, client_user, START)


def test_escaping_of_text_values():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("ligne\r\nsuivante") == "ligne\\nsuivante"


def test_a_short_line_is_not_folded():
    assert fold_line("SUMMARY:court") == b"SUMMARY:court\r\n"


def test_folding_keeps_lines_within_75_octets_and_never_cuts_a_character():
    line = "DESCRIPTION:" + "é" * 100 + "x" * 150
    folded = fold_line(line)
    physical = folded[:-2].split(b"\r\n")
    assert len(physical) > 3
    assert all(len(part) <= 75 for part in physical)
    assert all(part.startswith(b" ") for part in physical[1:])
    for part in physical:
        part.decode("utf-8")  # a cut inside "é" would raise here
    assert ics_lines(folded) == [line]


CLIENT = ("Claire Dupont", "client@example.com")


def test_publish_has_the_mandatory_properties_in_utc(appointment):
    with time_machine.travel(NOW, tick=False):
        content = appointment_ics(appointment)
    calendar, (event,) = ics_events(content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["PRODID"]
    assert event["UID"] == f"{appointment.reference}@testserver"
    assert event["DTSTAMP"] == "20270104T090000Z"
    assert event["DTSTART"] == "20270112T090000Z"
    assert event["DTEND"] == "20270112T100000Z"
    assert event["SEQUENCE"] == "0"
    assert event["STATUS"] == "CONFIRMED"
    assert event["LOCATION"] == "3 place Bellecour, 69003 Lyon"
    assert event["SUMMARY"] == f"Première consultation avec Camille Martin ({appointment.code})"


def test_a_published_event_asks_nobody_for_a_reply(appointment):
    # No ORGANIZER, no ATTENDEE: calendar apps add the event and offer no RSVP that would go
    # to the platform's no-reply address.
    for for_practitioner in (False, True):
        content = appointment_ics(appointment, for_practitioner=for_practitioner)
        assert b"ORGANIZER" not in content
        assert b"ATTENDEE" not in content
        assert b"RSVP" not in content


def test_the_readable_code_is_shown_and_the_uuid_stays_in_the_uid_only(appointment):
    _, (event,) = ics_events(appointment_ics(appointment))
    assert appointment.code in event["SUMMARY"]
    assert f"Référence : {appointment.code}" in event["DESCRIPTION"]
    assert str(appointment.reference) not in event["DESCRIPTION"]
    assert str(appointment.reference) not in event["SUMMARY"]


def test_every_physical_line_ends_with_crlf_and_fits_75_octets(practitioner, client_user):
    long_name = "Soin énergétique, « relaxation » ; accompagnement \\ " + "é" * 60
    appointment = appointment_make(practitioner, client_user, START, service_name=long_name[:120])
    content = appointment_ics(appointment)
    assert b"\n" not in content.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    _, (event,) = ics_events(content)
    assert len(event["DESCRIPTION"]) > 200
    assert event["DESCRIPTION"].startswith(long_name[:120] + " avec Camille Martin\n")


def test_comma_semicolon_and_accents_in_a_service_name_survive(practitioner, client_user):
    name = "Massage, détente; réflexologie"
    appointment = appointment_make(practitioner, client_user, START, service_name=name)
    content = appointment_ics(appointment)
    assert b"Massage\\, d\xc3\xa9tente\\; r\xc3\xa9flexologie" in content.replace(b"\r\n ", b"")
    _, (event,) = ics_events(content)
    assert event["SUMMARY"] == f"{name} avec Camille Martin ({appointment.code})"


def test_description_holds_the_service_but_no_client_data(appointment):
    client_user = appointment.client
    client_user.phone = "0612345678"
    client_user.save()
    _, (event,) = ics_events(appointment_ics(appointment))
    assert "Première consultation" in event["DESCRIPTION"]
    assert "70,00 € (paiement sur place)" in event["DESCRIPTION"]
    assert "0612345678" not in event["DESCRIPTION"]
    assert "Dupont" not in event["DESCRIPTION"]


def test_uid_is_stable_and_sequence_rises_across_a_reschedule(appointment):
    _, (before,) = ics_events(appointment_ics(appointment))
    for field in ("start", "end", "blocked_start", "blocked_end"):
        setattr(appointment, field, getattr(appointment, field) + timedelta(days=1))
    appointment.sequence += 1
    appointment.save()
    _, (after,) = ics_events(appointment_ics(appointment))
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after["DTSTART"] == "20270113T090000Z"


def test_cancellation_is_a_cancel_with_the_same_uid_and_a_higher_sequence(appointment):
    _, (booked,) = ics_events(appointment_ics(appointment))
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_by = CancelledBy.CLIENT
    appointment.sequence += 1
    appointment.save()
    calendar, (cancelled,) = ics_events(
        appointment_ics(appointment, method="CANCEL", attendee=CLIENT)
    )
    assert calendar["METHOD"] == "CANCEL"
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SUMMARY"].startswith("Annulé : ")
    assert cancelled["UID"] == booked["UID"]
    assert int(cancelled["SEQUENCE"]) > int(booked["SEQUENCE"])
    # RFC 5546 §3.2.5: a CANCEL names its organiser and the attendee whose calendar it updates.
    assert cancelled["ATTENDEE"] == "mailto:client@example.com"
    assert "CN=Claire Dupont" in cancelled["ATTENDEE;params"]
    assert "RSVP" not in cancelled["ATTENDEE;params"]
    assert cancelled["ORGANIZER"] == f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"


def test_a_cancelled_appointment_downloaded_is_published_as_cancelled(appointment):
    appointment.status = AppointmentStatus.CANCELLED
    appointment.sequence += 1
    appointment.save()
    calendar, (event,) = ics_events(appointment_ics(appointment))
    assert calendar["METHOD"] == "PUBLISH"
    assert event["STATUS"] == "CANCELLED"
    assert event["TRANSP"] == "TRANSPARENT"
    assert event["SEQUENCE"] == "1"


def test_an_unknown_method_or_a_cancel_naming_nobody_is_refused(appointment):
    with pytest.raises(ValueError, match="Unknown method 'REQUEST'"):
        appointment_ics(appointment, method="REQUEST")
    with pytest.raises(ValueError, match="names its recipient"):
        appointment_ics(appointment, method="CANCEL")


@pytest.mark.parametrize(("mode", "location"), [("visio", "En visio"), ("domicile", "À domicile")])
def test_location_of_a_remote_or_home_appointment(practitioner, client_user, mode, location):
    appointment = appointment_make(practitioner, client_user, START, mode=mode)
    _, (event,) = ics_events(appointment_ics(appointment))
    assert event["LOCATION"] == location


def test_practitioner_copy_is_written_from_their_side(appointment):
    _, (event,) = ics_events(appointment_ics(appointment, for_practitioner=True))
    assert event["SUMMARY"] == f"Première consultation — Claire Dupont ({appointment.code})"
    description = event["DESCRIPTION"]
    assert description.startswith("Première consultation avec Claire Dupont\n")
    assert "à régler sur place par le client" in description
    assert "Camille Martin" not in description  # not "your appointment with yourself"
    link = f"http://testserver/espace-praticien/rendez-vous/{appointment.reference}/"
    assert event["URL"] == link
    assert event["LOCATION"] == "3 place Bellecour, 69003 Lyon"


def test_a_home_visit_is_at_the_clients_for_the_practitioner(practitioner, client_user):
    appointment = appointment_make(practitioner, client_user, START, mode="domicile")
    _, (event,) = ics_events(appointment_ics(appointment, for_practitioner=True))
    assert event["LOCATION"] == "Au domicile du client"


def test_feed_lists_recent_and_future_appointments_with_cancelled_ones_marked(
    practitioner, client_user, directory
):
    other = bookable_practitioner_create(directory, title="Autre Praticien")
    with time_machine.travel(NOW, tick=False):
        future = appointment_make(practitioner, client_user, START)
        recent = appointment_make(practitioner, client_user, NOW - timedelta(days=30))
        old = appointment_make(practitioner, client_user, NOW - timedelta(days=91))
        cancelled = appointment_make(
            practitioner,
            client_user,
            START + timedelta(days=2),
            status=AppointmentStatus.CANCELLED,
            sequence=1,
        )
        theirs = appointment_make(other, client_user, START)
        content = practitioner_feed_ics(practitioner)
    calendar, events = ics_events(content)
    assert "METHOD" not in calendar
    assert calendar["X-WR-CALNAME"] == "Rendez-vous — Camille Martin"
    by_uid = {event["UID"]: event for event in events}
    assert set(by_uid) == {f"{row.reference}@testserver" for row in (future, recent, cancelled)}
    assert f"{old.reference}@testserver" not in by_uid
    assert f"{theirs.reference}@testserver" not in by_uid
    assert by_uid[f"{cancelled.reference}@testserver"]["STATUS"] == "CANCELLED"
    assert by_uid[f"{cancelled.reference}@testserver"]["SEQUENCE"] == "1"
    assert by_uid[f"{future.reference}@testserver"]["STATUS"] == "CONFIRMED"
    assert "Claire Dupont" in by_uid[f"{future.reference}@testserver"]["SUMMARY"]
    assert all("ATTENDEE" not in event for event in events)
