"""The e-mail telling the other side of a thread that a message is waiting.

Called on commit with a message id: the message is read again, so the e-mail reflects what
was committed. It carries a link to the thread and who wrote, NEVER the subject nor the text
(either may hold health details, and an inbox is less private than the account).
"""

from __future__ import annotations

import logging

from django.conf import settings

from booking.ics import practitioner_name
from core.links import absolute_reverse
from emails.services import email_send
from exchanges.models import Message, MessageAuthor
from exchanges.questions.selectors import practitioner_account_user

logger = logging.getLogger(__name__)

TEMPLATE = "exchanges/questions/new_message"


def message_notify(*, message_id: int) -> bool:
    """E-mail the recipient of one message; False when there is no one to tell."""
    message = (
        Message.objects.select_related("thread__practitioner__page", "thread__user")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        logger.warning("Message %s vanished before its notice was sent.", message_id)
        return False
    thread = message.thread
    for_practitioner = message.author_role == MessageAuthor.USER
    if for_practitioner:
        recipient = practitioner_account_user(thread.practitioner)
        thread_url = absolute_reverse("questions:practitioner_thread", thread.pk)
    else:
        recipient = thread.user if thread.user.is_active else None
        thread_url = absolute_reverse("questions:my_thread", thread.pk)
    if recipient is None or not recipient.email:
        logger.info("Thread %s: no one to tell of message %s.", thread.pk, message_id)
        return False
    language = settings.LANGUAGE_CODE  # no stored language preference yet (as booking)
    email_send(
        to=recipient.email,
        template=TEMPLATE,
        context={
            "user": recipient,
            "for_practitioner": for_practitioner,
            "new_thread": for_practitioner and thread.messages.count() == 1,
            "practitioner_name": practitioner_name(thread.practitioner),
            "thread_url": thread_url,
        },
        language=language,
    )
    return True
