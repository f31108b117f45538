"""Each side is e-mailed a link to the thread, never the subject nor the text."""

import pytest
from django.core import mail
from django.db import transaction

from exchanges.questions.services import thread_reply, thread_start
from tests.exchanges.questions.conftest import BODY, SUBJECT

pytestmark = pytest.mark.django_db

REPLY = "Une séance douce reste possible après accord de votre médecin traitant."


def _everything(message) -> str:
    """Subject, text part and HTML part of a sent e-mail."""
    html = "".join(content for content, _mimetype in getattr(message, "alternatives", []))
    return f"{message.subject}\n{message.body}\n{html}"


def _assert_no_content(message, *texts: str) -> None:
    sent = _everything(message)
    for text in texts:
        for fragment in (text, text[:20], text[-20:]):
            assert fragment not in sent


def test_the_practitioner_is_told_of_a_question_with_a_link_only(
    practitioner, practitioner_user, asker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = thread_start(user=asker, practitioner=practitioner, subject=SUBJECT, body=BODY)
    (sent,) = mail.outbox
    assert sent.to == [practitioner_user.email]
    assert f"/espace-praticien/messages/{thread.pk}/" in sent.body
    assert f"/espace-praticien/messages/{thread.pk}/" in _everything(sent)
    assert "question" in sent.subject.lower()
    _assert_no_content(sent, SUBJECT, BODY)


def test_the_user_is_told_of_the_answer_with_a_link_only(
    thread, asker, practitioner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread_reply(thread=thread, by=practitioner_user, body=REPLY)
    (sent,) = mail.outbox
    assert sent.to == [asker.email]
    assert f"/compte/messages/{thread.pk}/" in sent.body
    assert "Camille Martin" in sent.subject
    _assert_no_content(sent, SUBJECT, BODY, REPLY)


def test_a_users_follow_up_goes_to_the_practitioner(
    thread, asker, practitioner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread_reply(thread=thread, by=asker, body=REPLY)
    (sent,) = mail.outbox
    assert sent.to == [practitioner_user.email]
    assert "Nouveau message" in sent.subject
    _assert_no_content(sent, SUBJECT, BODY, REPLY)


class _Boom(Exception):
    pass


def test_nothing_is_sent_when_the_write_rolls_back(
    practitioner, asker, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(_Boom),
        transaction.atomic(),
    ):
        thread_start(user=asker, practitioner=practitioner, subject=SUBJECT, body=BODY)
        raise _Boom
    assert callbacks == []
    assert mail.outbox == []
