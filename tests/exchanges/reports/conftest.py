"""Fixtures of the report tests: a published review, a thread, a moderator, a reporter."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from booking.models import AppointmentStatus
from exchanges.models import Message, MessageAuthor, Review, ReviewStatus, Thread
from staff.groups import EDITORS, MODERATORS
from tests.booking.mail_helpers import appointment_make
from tests.factories import client_create

REVIEW_BODY = "Séance très apaisante, écoute attentive."
MESSAGE_BODY = "Pouvez-vous me rappeler au 06 12 34 56 78 pour ma sciatique ?"


@pytest.fixture
def author(db):
    return client_create("auteur@example.com")


@pytest.fixture
def reporter(db):
    return client_create("lecteur@example.com")


def review_publish(practitioner, author, *, body=REVIEW_BODY, rating=4, day=2) -> Review:
    """A review of a completed appointment (on `day` March 2026), published by moderation."""
    start = datetime(2026, 3, day, 9, 0, tzinfo=UTC)
    appointment = appointment_make(practitioner, author, start, status=AppointmentStatus.DONE)
    return Review.objects.create(
        appointment=appointment,
        practitioner=practitioner,
        author=author,
        rating=rating,
        body=body,
        consultation_date=start.date(),
        status=ReviewStatus.PUBLISHED,
        published_at=start + timedelta(days=3),
    )


@pytest.fixture
def review(practitioner, author):
    return review_publish(practitioner, author)


@pytest.fixture
def thread(practitioner, author):
    thread = Thread.objects.create(
        practitioner=practitioner,
        user=author,
        subject="Sciatique",
        last_message_at=timezone.now(),
    )
    Message.objects.create(
        thread=thread, author=author, author_role=MessageAuthor.USER, body=MESSAGE_BODY
    )
    return thread


def staff_create(email: str, group: str):
    user = client_create(email)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def moderator(db):
    return staff_create("moderation@example.com", MODERATORS)


@pytest.fixture
def editor(db):
    """Staff with admin access but not the moderation permission."""
    return staff_create("redaction@example.com", EDITORS)
