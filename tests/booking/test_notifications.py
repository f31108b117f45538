"""The booking e-mails: who gets what, in which words, with which calendar file; the reminders."""

import base64
import logging
import threading
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail as django_mail
from django.core.management import call_command
from django.db import connection, connections

from booking import notifications
from booking.models import AppointmentStatus, CancelledBy
from emails.models import OutgoingEmail
from tests.booking.mail_helpers import appointment_make, ics_events
from tests.factories import bookable_practitioner_create, client_create, site_tree_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
START = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)  # Tuesday 12 January 2027, 10:00 in Paris
WHEN_FR = "mardi 12 janvier 2027 à 10 h 00"
WHEN_EN = "Tuesday 12 January 2027 at 10:00"


@pytest.fixture
def clock_start():
    """The shared frozen_clock (tests/booking/conftest.py) stops here for these stories."""
    return NOW


@pytest.fixture
def client_user(client_user):
    """The shared client, with a phone number the practitioner's notice shows."""
    client_user.phone = "+33612345678"
    client_user.save()
    return client_user


@pytest.fixture
def appointment(practitioner, practitioner_user, client_user):
    return appointment_make(practitioner, client_user, START)


def _sent_to(address: str) -> list[OutgoingEmail]:
    return [mail for mail in OutgoingEmail.objects.order_by("pk") if address in mail.to]


def _only_to(address: str) -> OutgoingEmail:
    (mail,) = _sent_to(address)
    return mail


def _ics(mail: OutgoingEmail) -> tuple[dict, dict]:
    (attachment,) = mail.attachments
    assert attachment["mimetype"] == "text/calendar"
    assert attachment["filename"].endswith(".ics")
    calendar, (event,) = ics_events(base64.b64decode(attachment["content"]))
    return calendar, event


def _cancel(appointment, by: str, reason: str = ""):
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_by = by
    appointment.cancelled_at = NOW
    appointment.cancellation_reason = reason
    appointment.sequence += 1
    appointment.save()


def _move(appointment, delta: timedelta):
    for field in ("start", "end", "blocked_start", "blocked_end"):
        setattr(appointment, field, getattr(appointment, field) + delta)
    appointment.sequence += 1
    appointment.reschedule_count += 1
    appointment.save()


# --- Confirmation and notice ------------------------------------------------------------------


def test_client_confirmation_has_everything_to_come_cancel_or_move(appointment):
    notifications.appointment_booked_notify(appointment.pk)
    mail = _only_to("client@example.com")
    reference = appointment.reference
    assert mail.language == "fr"
    assert WHEN_FR in mail.subject
    assert "Camille Martin" in mail.subject
    for part in (mail.body_text, mail.body_html):
        assert "Bonjour Claire" in part
        assert WHEN_FR in part
        assert "Première consultation" in part
        assert "60 min" in part
        assert "70,00 €" in part
        assert "paiement sur place" in part
        assert "3 place Bellecour, 69003 Lyon" in part
        assert "http://testserver/compte/rendez-vous/" in part
        assert f"http://testserver/compte/rendez-vous/{reference}/annuler/" in part
        assert f"http://testserver/compte/rendez-vous/{reference}/deplacer/" in part
        assert "Annulation ou report possible jusqu&#x27;à 24 h avant" in part or (
            "Annulation ou report possible jusqu'à 24 h avant" in part
        )
    # Client e-mails never carry the client's phone (nothing to do there) nor another's data.
    assert "+33612345678" not in mail.body_text
    calendar, event = _ics(mail)
    # An event to add, not an invitation: no RSVP to the no-reply sender.
    assert calendar["METHOD"] == "PUBLISH"
    assert "ATTENDEE" not in event and "ORGANIZER" not in event
    assert event["UID"] == f"{reference}@testserver"
    # People read the short code; the UUID stays in links and the UID.
    assert f"Référence : {appointment.code}" in mail.body_text
    assert appointment.code in mail.body_html
    assert appointment.code in event["SUMMARY"]


def test_cancellation_rule_comes_from_the_snapshot_not_todays_settings(appointment):
    appointment.rules_snapshot = {**appointment.rules_snapshot, "cancellation_cutoff_hours": 48}
    appointment.save()
    appointment.practitioner.cancellation_cutoff_hours = 2
    appointment.practitioner.save()
    notifications.appointment_booked_notify(appointment.pk)
    assert "jusqu'à 48 h avant" in _only_to("client@example.com").body_text


def test_remote_appointment_says_visio_instead_of_an_address(practitioner, practitioner_user):
    client = client_create(email="visio@example.com")
    appointment = appointment_make(practitioner, client, START, mode="visio")
    notifications.appointment_booked_notify(appointment.pk)
    mail = _only_to("visio@example.com")
    assert "En visio" in mail.body_text
    assert "Bellecour" not in mail.body_text


def test_practitioner_notice_carries_the_client_contact_details(appointment):
    notifications.appointment_booked_notify(appointment.pk)
    mail = _only_to("camille@example.com")
    assert "Claire Dupont" in mail.subject
    for part in (mail.body_text, mail.body_html):
        assert "Bonjour Camille" in part
        assert WHEN_FR in part
        assert "Première consultation" in part
        assert "client@example.com" in part
        assert "+33612345678" in part
        assert "http://testserver/espace-praticien/" in part
    assert f"Référence : {appointment.code}" in mail.body_text
    calendar, event = _ics(mail)
    assert calendar["METHOD"] == "PUBLISH"
    assert "ATTENDEE" not in event and "ORGANIZER" not in event
    assert event["SUMMARY"] == f"Première consultation — Claire Dupont ({appointment.code})"
    assert event["DESCRIPTION"].startswith("Première consultation avec Claire Dupont\n")


def test_practitioner_without_account_gets_no_notice_and_nobody_else_does(
    practitioner, client_user, caplog
):
    appointment = appointment_make(practitioner, client_user, START)
    with caplog.at_level(logging.WARNING, logger="booking.notifications"):
        notifications.appointment_booked_notify(appointment.pk)
    assert [mail.to for mail in OutgoingEmail.objects.all()] == [["client@example.com"]]
    assert "has no account" in caplog.text
    assert "contact@example.com" not in str(OutgoingEmail.objects.values_list("to", flat=True))


def test_a_vanished_appointment_sends_nothing(db):
    notifications.appointment_booked_notify(999999)
    assert not OutgoingEmail.objects.exists()


# --- Both languages, every template -----------------------------------------------------------


@pytest.mark.parametrize(("language", "when"), [("fr", WHEN_FR), ("en", WHEN_EN)])
@pytest.mark.parametrize(
    "scenario", ["booked", "cancelled_by_client", "cancelled_by_practitioner", "moved", "reminder"]
)
def test_every_booking_email_renders_in_both_languages(
    appointment, monkeypatch, language, when, scenario
):
    monkeypatch.setattr(notifications, "_recipient_language", lambda user: language)
    monkeypatch.setattr(notifications.settings, "LANGUAGE_CODE", language)
    if scenario == "booked":
        notifications.appointment_booked_notify(appointment.pk)
    elif scenario.startswith("cancelled"):
        by = CancelledBy.CLIENT if scenario.endswith("client") else CancelledBy.PRACTITIONER
        _cancel(appointment, by, reason="Empêchement")
        notifications.appointment_cancelled_notify(appointment.pk)
    elif scenario == "moved":
        notifications.appointment_rescheduled_notify(appointment.pk, previous_start=START)
    else:
        with time_machine.travel(START - timedelta(hours=20), tick=False):
            assert notifications.appointment_reminders_send() == 1
    mails = list(OutgoingEmail.objects.all())
    assert mails
    for mail in mails:
        assert mail.language == language
        assert mail.subject
        assert f'<html lang="{language}"' in mail.body_html or f"lang={language}" in (
            mail.body_html
        )
        for part in (mail.body_text, mail.body_html):
            assert when in part
            assert "Première consultation" in part
            assert "http://testserver/" in part
        _ics(mail)


# --- Cancellation -----------------------------------------------------------------------------


def test_client_cancellation_confirms_to_client_and_tells_the_practitioner(appointment):
    _, booked = _ics(_mail_of_booking(appointment))
    _cancel(appointment, CancelledBy.CLIENT)
    notifications.appointment_cancelled_notify(appointment.pk)
    to_client = _sent_to("client@example.com")[-1]
    to_practitioner = _sent_to("camille@example.com")[-1]
    assert "Vous avez annulé votre rendez-vous" in to_client.body_text
    assert "Claire Dupont a annulé son rendez-vous" in to_practitioner.body_text
    for mail in (to_client, to_practitioner):
        assert WHEN_FR in mail.subject
        calendar, event = _ics(mail)
        assert calendar["METHOD"] == "CANCEL"
        assert event["STATUS"] == "CANCELLED"
        assert event["UID"] == booked["UID"]
        assert int(event["SEQUENCE"]) > int(booked["SEQUENCE"])
        # The CANCEL names the recipient, whose calendar it updates.
        assert event["ATTENDEE"] == f"mailto:{mail.to[0]}"
        assert f"Référence : {appointment.code}" in mail.body_text


def _mail_of_booking(appointment) -> OutgoingEmail:
    notifications.appointment_booked_notify(appointment.pk)
    return _sent_to("client@example.com")[-1]


def test_practitioner_cancellation_gives_the_client_the_reason(appointment):
    _cancel(appointment, CancelledBy.PRACTITIONER, reason="Formation imprévue, désolée")
    notifications.appointment_cancelled_notify(appointment.pk)
    to_client = _only_to("client@example.com")
    to_practitioner = _only_to("camille@example.com")
    assert "Camille Martin a annulé votre rendez-vous" in to_client.body_text
    assert "Motif : Formation imprévue, désolée" in to_client.body_text
    assert "Formation imprévue, désolée" in to_client.body_html
    assert "Reprendre rendez-vous" in to_client.body_text
    assert "Vous avez annulé le rendez-vous de Claire Dupont" in to_practitioner.body_text


def test_reason_is_escaped_in_the_html_part(appointment):
    _cancel(appointment, CancelledBy.PRACTITIONER, reason="<b>urgent</b>")
    notifications.appointment_cancelled_notify(appointment.pk)
    html = _only_to("client@example.com").body_html
    assert "<b>urgent</b>" not in html
    assert "&lt;b&gt;urgent&lt;/b&gt;" in html


def test_no_cancellation_e_mail_for_an_appointment_that_is_not_cancelled(appointment):
    notifications.appointment_cancelled_notify(appointment.pk)
    assert not OutgoingEmail.objects.exists()


# --- Reschedule -------------------------------------------------------------------------------


def test_reschedule_tells_both_with_the_new_and_old_time_and_updates_the_event(appointment):
    _, booked = _ics(_mail_of_booking(appointment))
    previous = appointment.start
    _move(appointment, timedelta(days=1))
    notifications.appointment_rescheduled_notify(appointment.pk, previous_start=previous)
    to_client = _sent_to("client@example.com")[-1]
    to_practitioner = _sent_to("camille@example.com")[-1]
    for mail in (to_client, to_practitioner):
        assert "mercredi 13 janvier 2027 à 10 h 00" in mail.subject
        assert "Nouvelle date : mercredi 13 janvier 2027 à 10 h 00" in mail.body_text
        assert f"Ancienne date : {WHEN_FR}" in mail.body_text
        calendar, event = _ics(mail)
        assert calendar["METHOD"] == "PUBLISH"
        assert event["UID"] == booked["UID"]
        assert int(event["SEQUENCE"]) > int(booked["SEQUENCE"])
        assert event["DTSTART"] == "20270113T090000Z"
    assert "+33612345678" in to_practitioner.body_text


def test_reschedule_without_the_old_time_still_gives_the_new_one(appointment):
    _move(appointment, timedelta(days=1))
    notifications.appointment_rescheduled_notify(appointment.pk)
    mail = _only_to("client@example.com")
    assert "Nouvelle date : mercredi 13 janvier 2027 à 10 h 00" in mail.body_text
    assert "Ancienne date" not in mail.body_text


# --- Reminders --------------------------------------------------------------------------------


def test_reminder_is_sent_once_even_when_the_task_runs_twice(appointment):
    with time_machine.travel(START - timedelta(hours=23), tick=False):
        assert notifications.appointment_reminders_send() == 1
        assert notifications.appointment_reminders_send() == 0
    mail = _only_to("client@example.com")
    assert mail.template == "booking/reminder"
    assert WHEN_FR in mail.subject
    assert "Première consultation" in mail.body_text
    # 23 h before with a 24 h cut-off: too late to cancel online, and the e-mail says so.
    assert "Le délai pour annuler ou déplacer ce rendez-vous en ligne est passé." in (
        mail.body_text
    )
    assert "/annuler/" not in mail.body_text
    calendar, _ = _ics(mail)
    assert calendar["METHOD"] == "PUBLISH"
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at == START - timedelta(hours=23)


def test_reminder_offers_the_links_while_the_snapshot_still_allows_a_change(appointment):
    appointment.rules_snapshot = {**appointment.rules_snapshot, "cancellation_cutoff_hours": 2}
    appointment.save()
    assert notifications.appointment_reminders_send(now=START - timedelta(hours=20)) == 1
    assert f"/compte/rendez-vous/{appointment.reference}/annuler/" in (
        _only_to("client@example.com").body_text
    )


def test_no_reminder_for_cancelled_far_away_or_past_appointments(practitioner, client_user):
    now = START - timedelta(hours=12)
    cancelled = appointment_make(practitioner, client_user, START)
    _cancel(cancelled, CancelledBy.CLIENT)
    appointment_make(practitioner, client_user, now + timedelta(hours=24, minutes=1))
    appointment_make(practitioner, client_user, now - timedelta(hours=1))
    appointment_make(
        practitioner, client_user, START + timedelta(hours=2), status=AppointmentStatus.DONE
    )
    assert notifications.appointment_reminders_send(now=now) == 0
    assert not OutgoingEmail.objects.exists()


def test_reminder_for_an_appointment_just_inside_the_24_hours(practitioner, client_user):
    appointment = appointment_make(practitioner, client_user, START)
    assert notifications.appointment_reminders_send(now=START - timedelta(hours=24, seconds=1)) == 0
    assert notifications.appointment_reminders_send(now=START - timedelta(hours=24)) == 1
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is not None


def test_a_rescheduled_appointment_gets_a_new_reminder(appointment):
    assert notifications.appointment_reminders_send(now=START - timedelta(hours=20)) == 1
    _move(appointment, timedelta(days=3))
    appointment.reminder_sent_at = None  # what booking.services.appointment_reschedule does
    appointment.save()
    assert notifications.appointment_reminders_send(now=START - timedelta(hours=20)) == 0
    assert notifications.appointment_reminders_send(now=appointment.start - timedelta(hours=1)) == 1


@pytest.mark.parametrize(
    ("start", "too_early", "due"),
    [
        # Monday 29 March 2027, 10:00 in Paris (CEST, UTC+2); clocks went forward on Sunday 28
        # at 02:00. 24 real hours before is Sunday 28, 10:00 CEST = 08:00 UTC, whereas the
        # same wall-clock time on Saturday 27 (CET) would be 09:00 UTC, an hour too early.
        (
            datetime(2027, 3, 29, 8, 0, tzinfo=UTC),
            datetime(2027, 3, 28, 7, 59, tzinfo=UTC),
            datetime(2027, 3, 28, 8, 0, tzinfo=UTC),
        ),
        # Monday 1 November 2027, 10:00 in Paris (CET, UTC+1); clocks went back on Sunday 31
        # October at 03:00: 24 hours before is Sunday 31, 10:00 CET = 09:00 UTC.
        (
            datetime(2027, 11, 1, 9, 0, tzinfo=UTC),
            datetime(2027, 10, 31, 8, 59, tzinfo=UTC),
            datetime(2027, 10, 31, 9, 0, tzinfo=UTC),
        ),
    ],
)
def test_reminder_goes_24_real_hours_before_across_a_daylight_saving_change(
    practitioner, practitioner_user, client_user, start, too_early, due
):
    appointment = appointment_make(practitioner, client_user, start)
    with time_machine.travel(too_early, tick=False):
        assert notifications.appointment_reminders_send() == 0
    with time_machine.travel(due, tick=False):
        assert notifications.appointment_reminders_send() == 1
    mail = _only_to("client@example.com")
    expected = "lundi 29 mars 2027" if start.month == 3 else "lundi 1 novembre 2027"
    assert f"{expected} à 10 h 00" in mail.subject
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at == due


def test_command_sends_the_due_reminders_and_says_how_many(appointment):
    out = StringIO()
    with time_machine.travel(START - timedelta(hours=10), tick=False):
        call_command("appointment_reminders_send", stdout=out)
    assert "1 rappel envoyé" in out.getvalue()
    assert len(_sent_to("client@example.com")) == 1


def test_command_dry_run_lists_without_sending(appointment):
    out = StringIO()
    with time_machine.travel(START - timedelta(hours=10), tick=False):
        call_command("appointment_reminders_send", "--dry-run", stdout=out)
    assert str(appointment.reference) in out.getvalue()
    assert not OutgoingEmail.objects.exists()
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is None


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SKIP LOCKED under real concurrency is PostgreSQL's; SQLite serialises writers",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_reminder_runs_send_each_reminder_exactly_once():
    directory = site_tree_create()["directory"]
    practitioner = bookable_practitioner_create(directory)
    for n in range(12):
        client = client_create(email=f"client{n}@example.com")
        appointment_make(practitioner, client, START + timedelta(hours=2 * n))
    workers = 4
    barrier = threading.Barrier(workers)
    counts, errors = [], []

    def run():
        try:
            barrier.wait()
            counts.append(notifications.appointment_reminders_send(now=START - timedelta(hours=1)))
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(counts) == 12
    recipients = sorted(address for mail in OutgoingEmail.objects.all() for address in mail.to)
    assert recipients == sorted(f"client{n}@example.com" for n in range(12))


def test_booking_through_the_service_sends_both_e_mails_once_committed(
    practitioner, practitioner_user, client_user, django_capture_on_commit_callbacks
):
    from booking.services import appointment_book

    service = practitioner.page.services.first()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            practitioner=practitioner, service=service, start=START, client=client_user
        )
    # Committed, so delivered at once (immediate tasks) and wiped from the outbox after sending.
    delivered = {message.to[0]: message for message in django_mail.outbox}
    assert set(delivered) == {"client@example.com", "camille@example.com"}
    for message in delivered.values():
        ((_filename, content, mimetype),) = message.attachments
        assert mimetype == "text/calendar"
        _, (event,) = ics_events(content.encode() if isinstance(content, str) else content)
        assert event["UID"] == f"{appointment.reference}@testserver"
    assert "Camille Martin" in delivered["client@example.com"].subject
    assert "Claire Dupont" in delivered["camille@example.com"].subject


def test_reminder_run_survives_an_appointment_deleted_while_it_is_being_sent(
    practitioner, client_user, monkeypatch
):
    gone = appointment_make(practitioner, client_user, START)
    kept = appointment_make(practitioner, client_user, START + timedelta(hours=2))
    fresh_read = notifications._appointment_get

    def deleted_first(appointment_id):
        if appointment_id == gone.pk:
            gone.delete()  # an erasure between the lock and the re-read
        return fresh_read(appointment_id)

    monkeypatch.setattr(notifications, "_appointment_get", deleted_first)
    assert notifications.appointment_reminders_send(now=START - timedelta(hours=20)) == 1
    kept.refresh_from_db()
    assert kept.reminder_sent_at is not None
    assert [mail.template for mail in OutgoingEmail.objects.all()] == ["booking/reminder"]
