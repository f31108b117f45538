"""Delivery of stored e-mails to the mail server, with retries.

django-tasks has no automatic retry, so the retry policy lives here. A message is first
"claimed" by a conditional UPDATE (pending -> sending), so two workers, or a worker and the
sweeper, never send it twice; a claim older than CLAIM_TIMEOUT is considered abandoned (the
process died while sending) and may be taken again: delivery is at least once, never lost.

When the mail server fails (SMTPException, OSError), the message goes back to pending with a
growing delay. A task backend that can defer (django_tasks_db in production) gets the retry
enqueued with run_after; the immediate backend (embedded default, tests) cannot defer, so the
message waits for the sweeper, `manage.py email_retry_failed`, run from cron.
"""

import base64
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from emails.models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Delay before attempt n + 1 after the n-th failure.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
]
CLAIM_TIMEOUT = timedelta(minutes=15)

Status = OutgoingEmail.Status


def _message_build(outgoing: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=outgoing.subject,
        body=outgoing.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=outgoing.to,
        reply_to=outgoing.reply_to or None,
        # RFC 3834: tells autoresponders (holiday replies) not to answer.
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(outgoing.body_html, "text/html")
    for attachment in outgoing.attachments:
        message.attach(
            attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"]
        )
    return message


def _claim(outgoing_email_id: int, *, include_failed: bool) -> bool:
    now = timezone.now()
    statuses = [Status.PENDING, Status.FAILED] if include_failed else [Status.PENDING]
    claimable = Q(status__in=statuses) | Q(
        status=Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    return bool(
        OutgoingEmail.objects.filter(claimable, pk=outgoing_email_id).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def _can_defer() -> bool:
    from emails.tasks import email_deliver

    return email_deliver.get_backend().supports_defer


def outgoing_email_deliver(*, outgoing_email_id: int, include_failed: bool = False) -> str:
    """Try to send one stored message; returns its status afterwards.

    A message already sent, or being sent by someone else, is left alone.
    """
    if not _claim(outgoing_email_id, include_failed=include_failed):
        status = (
            OutgoingEmail.objects.filter(pk=outgoing_email_id)
            .values_list("status", flat=True)
            .first()
        )
        return status or "missing"
    outgoing = OutgoingEmail.objects.get(pk=outgoing_email_id)
    claimed = OutgoingEmail.objects.filter(pk=outgoing.pk, claimed_at=outgoing.claimed_at)
    try:
        _message_build(outgoing).send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        # Every recipient was refused: trying again will not help.
        claimed.update(status=Status.FAILED, last_error=_describe(exc), claimed_at=None)
        logger.warning("E-mail %s refused by the server: %s", outgoing.pk, _describe(exc))
        return Status.FAILED.value
    except (smtplib.SMTPException, OSError) as exc:
        return _retry_later(outgoing, claimed, exc)
    except Exception as exc:
        # A bug, not an outage: stop retrying, keep the message for `email_retry_failed`.
        claimed.update(status=Status.FAILED, last_error=_describe(exc), claimed_at=None)
        logger.exception("E-mail %s could not be built or sent", outgoing.pk)
        return Status.FAILED.value
    # Accepted by the server: the bodies are not needed any more, keep only the record.
    claimed.update(
        status=Status.SENT,
        sent_at=timezone.now(),
        claimed_at=None,
        retry_after=None,
        last_error="",
        body_text="",
        body_html="",
        attachments=[],
    )
    return Status.SENT.value


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def _retry_later(outgoing: OutgoingEmail, claimed, exc: Exception) -> str:
    error = _describe(exc)
    if outgoing.attempts >= MAX_ATTEMPTS:
        claimed.update(status=Status.FAILED, last_error=error, claimed_at=None, retry_after=None)
        logger.error("E-mail %s failed %s times, giving up: %s", outgoing.pk, MAX_ATTEMPTS, error)
        return Status.FAILED.value
    delay = RETRY_DELAYS[min(outgoing.attempts, len(RETRY_DELAYS)) - 1]
    retry_after = timezone.now() + delay
    claimed.update(
        status=Status.PENDING, last_error=error, claimed_at=None, retry_after=retry_after
    )
    logger.warning("E-mail %s not sent (attempt %s): %s", outgoing.pk, outgoing.attempts, error)
    if _can_defer():
        from emails.tasks import email_deliver

        email_deliver.using(run_after=retry_after).enqueue(outgoing.pk)
    return Status.PENDING.value


def outgoing_emails_due(*, include_failed: bool = False):
    """Messages the sweeper should try now: pending and due, abandoned claims, failed if asked."""
    now = timezone.now()
    due = Q(status=Status.PENDING, retry_after__lte=now) | Q(
        status=Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    if include_failed:
        due |= Q(status=Status.FAILED)
    return OutgoingEmail.objects.filter(due).order_by("created_at")


def outgoing_emails_retry(*, include_failed: bool = False) -> dict[str, int]:
    """Send now every message that is due; returns how many ended in each status."""
    counts: dict[str, int] = {}
    for pk in list(outgoing_emails_due(include_failed=include_failed).values_list("pk", flat=True)):
        status = outgoing_email_deliver(outgoing_email_id=pk, include_failed=include_failed)
        counts[status] = counts.get(status, 0) + 1
    return counts


def outgoing_emails_purge(*, older_than: timedelta, dry_run: bool = False) -> int:
    """Delete delivery records of sent or failed messages older than `older_than`."""
    stale = OutgoingEmail.objects.filter(
        status__in=[Status.SENT, Status.FAILED], created_at__lt=timezone.now() - older_than
    )
    if dry_run:
        return stale.count()
    deleted, _ = stale.delete()
    return deleted
