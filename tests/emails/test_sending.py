"""Sending: after commit only, through the outbox, retried until the mail server accepts it."""

import smtplib
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.template import TemplateDoesNotExist

from accounts.models import User
from emails import rendering
from emails.delivery import MAX_ATTEMPTS
from emails.models import OutgoingEmail
from emails.services import email_send

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _send_verification(**extra):
    email_send(
        to="camille@example.com",
        template="accounts/verification",
        context={
            "user": User(email="camille@example.com", first_name="Camille"),
            "verify_url": "https://example.com/v/abc/",
            "expires_hours": 48,
        },
        **extra,
    )


def _retry(*args):
    call_command("email_retry_failed", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_email_is_sent_only_when_the_transaction_commits(
    site_tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _send_verification()
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    record = OutgoingEmail.objects.get()
    assert record.status == OutgoingEmail.Status.SENT
    assert record.attempts == 1
    # Once the server has accepted it, the body (with its one-time link) is not kept.
    assert record.body_text == record.body_html == ""


def test_rolled_back_transaction_sends_and_stores_nothing(
    site_tree, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="the sign-up failed"),
        transaction.atomic(),
    ):
        _send_verification()
        raise RuntimeError("the sign-up failed after the e-mail was prepared")
    assert callbacks == []
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_template_error_raises_in_the_caller_and_stores_nothing(
    site_tree, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(TemplateDoesNotExist, match="accounts/no_such_email"),
    ):
        email_send(to="a@example.com", template="accounts/no_such_email", context={})
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"to": []}, "needs at least one recipient"),
        ({"to": ""}, "needs at least one recipient"),
        ({"to": "a@example.com", "language": "de"}, "Unknown e-mail language 'de'"),
    ],
)
def test_bad_arguments_are_refused(kwargs, reason, db):
    with pytest.raises(ValueError, match=reason):
        email_send(template="twofactor/enrolled", context={}, **kwargs)


def test_mjml_is_compiled_once_not_per_send(site_tree, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(rendering.mjml, "mjml2html", wraps=rendering.mjml.mjml2html) as compiler,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _send_verification()
        _send_verification(language="en")
    assert compiler.call_count == 1
    assert len(mail.outbox) == 2
    assert "Confirmez" in mail.outbox[0].subject and "Confirm" in mail.outbox[1].subject


def test_mjml_is_recompiled_in_debug_when_the_template_file_changes(
    site_tree, settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with (
        mock.patch.object(rendering.mjml, "mjml2html", wraps=rendering.mjml.mjml2html) as compiler,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _send_verification()
        _send_verification()
        assert compiler.call_count == 1
        # Simulate an edit of one of the source files (its modification time changes).
        compiled = rendering.compiled_email_get("accounts/verification")
        path = next(p for p in compiled.sources if p.endswith("verification.mjml"))
        with mock.patch.object(
            rendering,
            "_mtime",
            side_effect=lambda p: 1.0 if p == path else rendering.os.stat(p).st_mtime,
        ):
            _send_verification()
    assert compiler.call_count == 2


def test_attachments_and_reply_to_reach_the_message(site_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send_verification(
            attachments=[("recu.pdf", b"%PDF-1.4 test", "application/pdf")],
            reply_to=["praticien@example.com"],
        )
    message = mail.outbox[0]
    assert message.attachments == [("recu.pdf", b"%PDF-1.4 test", "application/pdf")]
    assert message.reply_to == ["praticien@example.com"]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert OutgoingEmail.objects.get().attachments == []  # erased once sent


def test_failing_smtp_server_is_retried_until_the_message_is_sent_once(
    site_tree, flaky_smtp, django_capture_on_commit_callbacks
):
    server = flaky_smtp(failures=2)
    with time_machine.travel(START, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            _send_verification()
        record = OutgoingEmail.objects.get()
        assert (record.status, record.attempts) == (OutgoingEmail.Status.PENDING, 1)
        assert "SMTPServerDisconnected" in record.last_error
        assert mail.outbox == []

        _retry()  # too early: the next attempt is one minute away
        assert server.state["calls"] == 1

        clock.shift(timedelta(minutes=2))
        _retry()
        record.refresh_from_db()
        assert (record.status, record.attempts) == (OutgoingEmail.Status.PENDING, 2)

        clock.shift(timedelta(minutes=6))
        _retry()
        _retry()
        clock.shift(timedelta(hours=3))
        _retry()

    assert server.state["calls"] == 3
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille@example.com"]
    record.refresh_from_db()
    assert (record.status, record.attempts, record.last_error) == (
        OutgoingEmail.Status.SENT,
        3,
        "",
    )


# transaction=True: the worker closes and reopens database connections between tasks, which
# PostgreSQL cannot do inside the test's wrapping transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_worker_retries_later_by_itself(
    site_tree, settings, flaky_smtp, django_capture_on_commit_callbacks
):
    """The production path: django_tasks_db defers the retry with run_after."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    server = flaky_smtp(failures=1)

    def worker():
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0",
            verbosity=0,
        )

    with time_machine.travel(START, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            _send_verification()
        assert mail.outbox == [] and DBTaskResult.objects.count() == 1  # queued, not run

        worker()  # first attempt fails, a retry is queued one minute later
        assert server.state["calls"] == 1
        assert DBTaskResult.objects.ready().count() == 0
        worker()
        assert server.state["calls"] == 1 and mail.outbox == []

        clock.shift(timedelta(minutes=1, seconds=1))
        worker()
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_delivery_gives_up_after_max_attempts_and_the_operator_can_resend(
    site_tree, flaky_smtp, django_capture_on_commit_callbacks
):
    server = flaky_smtp(failures=MAX_ATTEMPTS)
    with time_machine.travel(START, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            _send_verification()
        for _ in range(MAX_ATTEMPTS + 2):
            clock.shift(timedelta(hours=3))
            _retry()
    record = OutgoingEmail.objects.get()
    assert (record.status, record.attempts) == (OutgoingEmail.Status.FAILED, MAX_ATTEMPTS)
    assert server.state["calls"] == MAX_ATTEMPTS and mail.outbox == []
    assert record.body_text  # kept so that it can be resent

    _retry("--include-failed")
    record.refresh_from_db()
    assert record.status == OutgoingEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_refused_recipient_is_not_retried(
    site_tree, flaky_smtp, django_capture_on_commit_callbacks
):
    server = flaky_smtp(failures=1, error=smtplib.SMTPRecipientsRefused)
    with django_capture_on_commit_callbacks(execute=True):
        _send_verification()
    record = OutgoingEmail.objects.get()
    assert record.status == OutgoingEmail.Status.FAILED
    assert "550" in record.last_error
    with time_machine.travel(START + timedelta(days=1)):
        _retry()
    assert server.state["calls"] == 1


def test_message_abandoned_mid_send_is_taken_again(site_tree, django_capture_on_commit_callbacks):
    with mock.patch("emails.tasks.email_deliver"), django_capture_on_commit_callbacks(execute=True):
        _send_verification()  # the task is lost: the worker died
    record = OutgoingEmail.objects.get()
    OutgoingEmail.objects.filter(pk=record.pk).update(
        status=OutgoingEmail.Status.SENDING, claimed_at=record.created_at
    )
    with time_machine.travel(record.created_at + timedelta(minutes=5)):
        _retry()
    assert mail.outbox == []  # a fresh claim belongs to someone still sending
    with time_machine.travel(record.created_at + timedelta(minutes=16)):
        _retry()
    assert len(mail.outbox) == 1


def test_lost_enqueue_is_caught_by_the_sweeper(site_tree, django_capture_on_commit_callbacks):
    with mock.patch("emails.tasks.email_deliver") as task:
        task.enqueue.side_effect = OSError("queue down")
        with django_capture_on_commit_callbacks(execute=True):
            _send_verification()  # robust on_commit: the caller does not see the error
    record = OutgoingEmail.objects.get()
    assert record.status == OutgoingEmail.Status.PENDING and mail.outbox == []
    with time_machine.travel(record.created_at + timedelta(minutes=11)):
        _retry()
    assert len(mail.outbox) == 1


def test_purge_deletes_old_delivery_records_only(site_tree, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(START, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _send_verification()
    with django_capture_on_commit_callbacks(execute=True):
        _send_verification()
    with time_machine.travel(START + timedelta(days=31)):
        call_command("email_purge", "--dry-run", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert OutgoingEmail.objects.count() == 2
        call_command("email_purge", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert OutgoingEmail.objects.count() == 1
