"""Sending transactional e-mails: the one entry point the rest of the project calls."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.links import absolute_url
from emails.models import OutgoingEmail
from emails.rendering import email_render

if TYPE_CHECKING:
    from django_tasks.base import Task

    from cms.models import OperatorSettings

logger = logging.getLogger(__name__)

# If the task that should send a message never ran (the process died between the commit and
# the enqueue, a worker was down...), the sweeper takes the message after this delay.
SWEEPER_GRACE = timedelta(minutes=10)


def _operator_settings() -> OperatorSettings | None:
    # Imported here: cms imports nothing from emails, and this keeps app loading order free.
    from cms.models import OperatorSettings

    return (
        OperatorSettings.objects.filter(site__is_default_site=True).select_related("site").first()
    )


def email_base_context() -> dict:
    """What every e-mail template may use: the operator's identity and the site's address."""
    return {
        "operator": _operator_settings(),
        "site_url": absolute_url(),
    }


def email_send(
    *,
    to: str | list[str],
    template: str,
    context: dict,
    language: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    reply_to: list[str] | None = None,
) -> None:
    """Render an e-mail now and send it once the current transaction commits.

    Rendering happens immediately so that a broken template fails in the caller (and its
    tests). The message is stored in the outbox in the caller's transaction: if that
    transaction rolls back, nothing is stored and nothing is sent. The delivery task is
    enqueued on commit; it retries a failing mail server (see emails.tasks).
    `template` is a name such as "accounts/verification" (templates/emails/<name>.mjml, .txt,
    .subject.txt); `attachments` are (filename, content, mimetype) tuples.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients or not all(recipients):
        raise ValueError("An e-mail needs at least one recipient.")
    language = language or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown e-mail language {language!r}.")

    rendered = email_render(
        template=template, context={**email_base_context(), **context}, language=language
    )
    stored_attachments = [
        {
            "filename": filename,
            "mimetype": mimetype,
            "content": base64.b64encode(content).decode("ascii"),
        }
        for filename, content, mimetype in attachments or []
    ]

    # Imported here: emails.tasks creates its Task at import time, which needs the TASKS
    # setting, and services are imported by views and models early.
    from emails.tasks import email_deliver

    now = timezone.now()
    with transaction.atomic():
        outgoing = OutgoingEmail.objects.create(
            template=template,
            language=language,
            to=recipients,
            reply_to=list(reply_to or []),
            subject=rendered.subject,
            body_text=rendered.text,
            body_html=rendered.html,
            attachments=stored_attachments,
            created_at=now,
            retry_after=now + SWEEPER_GRACE,
        )
        # robust: a failure to enqueue must not turn the caller's committed work into an
        # error page; the message is in the outbox and the sweeper will send it.
        transaction.on_commit(_enqueue_callback(email_deliver, outgoing.pk), robust=True)


def _enqueue_callback(task: Task[[int], str], outgoing_email_id: int) -> Callable[[], None]:
    # A named function rather than functools.partial: Django logs the callback's
    # __qualname__ when a robust on_commit callback fails.
    def email_deliver_enqueue() -> None:
        task.enqueue(outgoing_email_id)

    return email_deliver_enqueue
