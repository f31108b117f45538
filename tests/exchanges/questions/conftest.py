"""Fixtures of the questions tests: a practitioner with an account, a client, a thread."""

import pytest

from exchanges.questions.services import thread_start
from tests.factories import client_create

SUBJECT = "Douleurs lombaires chroniques"
BODY = "J'ai une hernie discale L5-S1 : la séance est-elle possible ?"


@pytest.fixture
def asker(db):
    return client_create("claire@example.com")


@pytest.fixture
def thread(practitioner, asker):
    return thread_start(user=asker, practitioner=practitioner, subject=SUBJECT, body=BODY)
