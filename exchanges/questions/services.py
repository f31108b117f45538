"""Writes of the questions: start a thread, reply, close.

The e-mail to the other side is queued on commit (exchanges.questions.notifications) and never
carries the subject nor the text: both may hold health details. Messages are stored as the
person typed them (plain text, escaped when shown); a per-user rate limit keeps a flood out of
a practitioner's inbox.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.models import Appointment, Practitioner
from core.counters import counter_key, window_counter_incr
from exchanges.models import MESSAGE_MAX_LENGTH, Message, MessageAuthor, Thread, ThreadStatus
from exchanges.questions import notifications
from exchanges.questions.selectors import is_thread_practitioner, practitioner_account_user

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as AuthUser

SUBJECT_MAX_LENGTH = Thread._meta.get_field("subject").max_length or 120
MESSAGES_PER_HOUR = 10
THREADS_PER_DAY = 20
HOUR = 3600
DAY = 24 * HOUR


class QuestionError(Exception):
    """A refused write; the message is French, meant for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QuestionsNotOffered(QuestionError):
    """The practitioner has no account to answer: the profile offers no form."""


class NotAParticipant(QuestionError):
    """Neither the thread's user nor its practitioner's account."""


class ThreadClosedError(QuestionError):
    pass


class RateLimited(QuestionError):
    """Too many messages or new threads from one account (a 429 for the pages)."""


def _plain(text: str, *, max_length: int, label: str) -> str:
    """The text as typed, trimmed, without control characters other than line breaks and tabs
    (they would only hide content); refused empty or too long."""
    cleaned = "".join(
        char
        for char in text.replace("\r\n", "\n").replace("\r", "\n")
        if char in "\n\t" or unicodedata.category(char) != "Cc"
    ).strip()
    if not cleaned:
        raise QuestionError(_("%(label)s est vide.") % {"label": label})
    if len(cleaned) > max_length:
        raise QuestionError(
            _("%(label)s dépasse %(max)d caractères.") % {"label": label, "max": max_length}
        )
    return cleaned


def _rate_limit(user: AuthUser, *, new_thread: bool) -> None:
    """Counted per account in the cache, in fixed windows (core.counters)."""
    if new_thread:
        key = counter_key("questions:threads:", str(user.pk))
        if window_counter_incr(key, window=DAY) > THREADS_PER_DAY:
            raise RateLimited(
                _("Vous avez ouvert beaucoup d'échanges aujourd'hui. Réessayez demain.")
            )
    key = counter_key("questions:messages:", str(user.pk))
    if window_counter_incr(key, window=HOUR) > MESSAGES_PER_HOUR:
        raise RateLimited(_("Vous avez envoyé beaucoup de messages. Réessayez dans une heure."))


def thread_start(
    *,
    user: AuthUser,
    practitioner: Practitioner,
    subject: str,
    body: str,
    appointment: Appointment | None = None,
) -> Thread:
    """A user's question to a practitioner; the practitioner is told by e-mail (a link)."""
    if not user.is_authenticated or not user.is_active:
        raise NotAParticipant(_("Connectez-vous pour poser une question."))
    answerer = practitioner_account_user(practitioner)
    if answerer is None:
        raise QuestionsNotOffered(_("Ce praticien ne reçoit pas de questions sur la plateforme."))
    if answerer.pk == user.pk:
        raise NotAParticipant(_("Vous ne pouvez pas vous poser une question à vous-même."))
    if appointment is not None and (
        appointment.client_id != user.pk or appointment.practitioner_id != practitioner.pk
    ):
        raise NotAParticipant(_("Ce rendez-vous n'est pas le vôtre."))
    subject = _plain(subject, max_length=SUBJECT_MAX_LENGTH, label=_("L'objet"))
    body = _plain(body, max_length=MESSAGE_MAX_LENGTH, label=_("Le message"))
    _rate_limit(user, new_thread=True)
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            practitioner=practitioner,
            user=user,
            appointment=appointment,
            subject=subject,
            last_message_at=now,
        )
        message = Message.objects.create(
            thread=thread, author=user, author_role=MessageAuthor.USER, body=body
        )
        message_id = message.pk
        transaction.on_commit(lambda: notifications.message_notify(message_id=message_id))
    return thread


def _role(thread: Thread, by: AuthUser) -> str:
    if by.is_authenticated and by.pk == thread.user_id:
        return MessageAuthor.USER
    if is_thread_practitioner(by, thread):
        return MessageAuthor.PRACTITIONER
    raise NotAParticipant(_("Cet échange n'est pas le vôtre."))


def thread_reply(*, thread: Thread, by: AuthUser, body: str) -> Message:
    """A reply by the thread's user or its practitioner; the other side is told by e-mail."""
    role = _role(thread, by)
    body = _plain(body, max_length=MESSAGE_MAX_LENGTH, label=_("Le message"))
    with transaction.atomic():
        # The row locked (PostgreSQL): a close and a reply at once cannot both succeed.
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        if current.status == ThreadStatus.CLOSED:
            raise ThreadClosedError(_("Cet échange est clos : il n'accepte plus de réponse."))
        if role == MessageAuthor.USER:
            # The practitioner only answers threads opened to them: their replies are not a
            # flood risk, and a busy day must not lock them out of answering.
            _rate_limit(by, new_thread=False)
        message = Message.objects.create(thread=current, author=by, author_role=role, body=body)
        current.last_message_at = message.created_at
        current.save(update_fields=["last_message_at"])
        thread.last_message_at = current.last_message_at
        message_id = message.pk
        transaction.on_commit(lambda: notifications.message_notify(message_id=message_id))
    return message


def thread_close(*, thread: Thread, by: AuthUser) -> Thread:
    """Either side closes the thread: no more replies. Closing twice changes nothing."""
    _role(thread, by)
    with transaction.atomic():
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        if current.status != ThreadStatus.CLOSED:
            current.status = ThreadStatus.CLOSED
            current.closed_at = timezone.now()
            current.save(update_fields=["status", "closed_at"])
    thread.status, thread.closed_at = current.status, current.closed_at
    return thread
