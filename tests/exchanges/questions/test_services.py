"""The question services: who may write, what is refused, the rate limit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exchanges.models import MESSAGE_MAX_LENGTH, Message, MessageAuthor, Thread, ThreadStatus
from exchanges.questions import services
from exchanges.questions.services import (
    MESSAGES_PER_HOUR,
    THREADS_PER_DAY,
    NotAParticipant,
    QuestionError,
    QuestionsNotOffered,
    RateLimited,
    ThreadClosedError,
    thread_close,
    thread_reply,
    thread_start,
)
from tests.booking.practitioner_helpers import practitioner_user_create
from tests.exchanges.questions.conftest import BODY, SUBJECT
from tests.factories import bookable_practitioner_create, client_create

pytestmark = pytest.mark.django_db


def test_a_question_opens_a_thread_with_the_users_first_message(thread, asker, practitioner):
    assert (thread.user, thread.practitioner, thread.subject) == (asker, practitioner, SUBJECT)
    assert thread.status == ThreadStatus.OPEN
    (message,) = thread.messages.all()
    assert (message.author, message.author_role, message.body) == (asker, MessageAuthor.USER, BODY)
    assert timedelta(0) <= message.created_at - thread.last_message_at < timedelta(seconds=1)


def test_both_sides_reply_and_the_retention_clock_moves(thread, asker, practitioner_user):
    before = thread.last_message_at
    answer = thread_reply(thread=thread, by=practitioner_user, body="Oui, avec un avis médical.")
    again = thread_reply(thread=thread, by=asker, body="Merci !")
    assert answer.author_role == MessageAuthor.PRACTITIONER
    assert again.author_role == MessageAuthor.USER
    thread.refresh_from_db()
    assert thread.last_message_at == again.created_at > before


def test_no_one_else_writes_in_a_thread(thread, directory):
    stranger = client_create("autre@example.com")
    other = bookable_practitioner_create(directory, title="Luc Bernard")
    other_user = practitioner_user_create(other, "luc@praticien.example")
    for intruder in (stranger, other_user):
        with pytest.raises(NotAParticipant):
            thread_reply(thread=thread, by=intruder, body="Bonjour")
        with pytest.raises(NotAParticipant):
            thread_close(thread=thread, by=intruder)
    assert thread.messages.count() == 1
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.OPEN


@pytest.mark.parametrize("side", ["asker", "practitioner_user"])
def test_either_side_closes_and_a_closed_thread_refuses_replies(thread, side, request, asker):
    thread_close(thread=thread, by=request.getfixturevalue(side))
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.CLOSED and thread.closed_at is not None
    with pytest.raises(ThreadClosedError):
        thread_reply(thread=Thread.objects.get(pk=thread.pk), by=asker, body="Encore une question")
    assert thread.messages.count() == 1


@pytest.mark.parametrize("body", ["", "   \n\t ", "\x00\x07"])
def test_an_empty_message_is_refused(thread, asker, body):
    with pytest.raises(QuestionError):
        thread_reply(thread=thread, by=asker, body=body)
    assert thread.messages.count() == 1


def test_a_message_over_the_limit_is_refused_and_one_at_the_limit_is_kept(thread, asker):
    with pytest.raises(QuestionError):
        thread_reply(thread=thread, by=asker, body="a" * (MESSAGE_MAX_LENGTH + 1))
    kept = thread_reply(thread=thread, by=asker, body="a" * MESSAGE_MAX_LENGTH)
    assert len(kept.body) == MESSAGE_MAX_LENGTH


def test_text_is_kept_as_typed_without_control_characters(thread, asker):
    message = thread_reply(thread=thread, by=asker, body="  <b>Bonjour</b>\r\nligne 2\x1b[31m  ")
    assert message.body == "<b>Bonjour</b>\nligne 2[31m"


def test_an_empty_subject_is_refused(practitioner, asker):
    with pytest.raises(QuestionError):
        thread_start(user=asker, practitioner=practitioner, subject=" ", body=BODY)
    assert not Thread.objects.exists()


def test_a_practitioner_without_an_account_takes_no_questions(directory, asker):
    lonely = bookable_practitioner_create(directory, title="Sans Compte")
    with pytest.raises(QuestionsNotOffered):
        thread_start(user=asker, practitioner=lonely, subject=SUBJECT, body=BODY)
    assert not Thread.objects.exists()


def test_a_practitioner_does_not_question_themselves(practitioner, practitioner_user):
    with pytest.raises(NotAParticipant):
        thread_start(user=practitioner_user, practitioner=practitioner, subject="x", body="y")


def test_an_appointment_of_someone_else_is_refused(practitioner, asker):
    from tests.booking.mail_helpers import appointment_make

    other = client_create("autre@example.com")
    appointment = appointment_make(practitioner, other, timezone.now())
    with pytest.raises(NotAParticipant):
        thread_start(
            user=asker, practitioner=practitioner, subject="x", body="y", appointment=appointment
        )
    # Another day: two appointments of one practitioner never overlap (PostgreSQL's constraint).
    own = appointment_make(practitioner, asker, timezone.now() + timedelta(days=1))
    thread = thread_start(
        user=asker, practitioner=practitioner, subject="x", body="y", appointment=own
    )
    assert thread.appointment == own


def test_messages_per_hour_are_limited_per_account(thread, asker, practitioner_user):
    # The question itself was the first message of the hour.
    for _ in range(MESSAGES_PER_HOUR - 1):
        thread_reply(thread=thread, by=asker, body="Encore")
    with pytest.raises(RateLimited):
        thread_reply(thread=thread, by=asker, body="Une de trop")
    assert thread.messages.filter(author=asker).count() == MESSAGES_PER_HOUR
    # The practitioner answers as often as needed: the limit is on those who ask.
    for _ in range(MESSAGES_PER_HOUR + 2):
        thread_reply(thread=thread, by=practitioner_user, body="Je vous réponds")


def test_new_threads_per_day_are_limited(practitioner, asker, monkeypatch):
    monkeypatch.setattr(services, "MESSAGES_PER_HOUR", THREADS_PER_DAY + 5)
    for number in range(THREADS_PER_DAY):
        thread_start(user=asker, practitioner=practitioner, subject=f"Q{number}", body=BODY)
    with pytest.raises(RateLimited):
        thread_start(user=asker, practitioner=practitioner, subject="Une de trop", body=BODY)
    assert Thread.objects.count() == THREADS_PER_DAY
    assert Message.objects.count() == THREADS_PER_DAY
