"""Who may review which appointment (French consumer code D111-16 to D111-19): only its
client, only once it took place, once, within the rules page's period."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from booking.models import AppointmentStatus
from exchanges.models import Review, ReviewStatus
from exchanges.reviews import services
from exchanges.reviews.exceptions import ReviewError
from tests.booking.mail_helpers import appointment_make
from tests.factories import client_create


def _submit(appointment, author, rating=5, body="Très à l'écoute, je recommande."):
    return services.review_submit(appointment=appointment, author=author, rating=rating, body=body)


def _refused_code(appointment, author) -> str:
    with pytest.raises(ReviewError) as refusal:
        _submit(appointment, author)
    assert refusal.value.message
    return refusal.value.code


def test_the_client_of_a_done_appointment_reviews_it_pending_moderation(
    done_appointment, client_user
):
    review = _submit(done_appointment, client_user, rating=4)

    assert review.status == ReviewStatus.PENDING
    assert review.published_at is None
    assert review.practitioner_id == done_appointment.practitioner_id
    assert review.consultation_date == timezone.localdate(
        done_appointment.start, done_appointment.practitioner.tz
    )


def test_a_confirmed_appointment_that_is_over_counts_as_completed(practitioner, client_user):
    start = timezone.now() - timedelta(days=1)
    appointment = appointment_make(practitioner, client_user, start)
    assert appointment.status == AppointmentStatus.CONFIRMED

    assert _submit(appointment, client_user).status == ReviewStatus.PENDING


@pytest.mark.parametrize(
    "status", [AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW, AppointmentStatus.HELD]
)
def test_a_cancelled_or_missed_consultation_cannot_be_reviewed(practitioner, client_user, status):
    start = timezone.now() - timedelta(days=2)
    appointment = appointment_make(practitioner, client_user, start, status=status)

    assert _refused_code(appointment, client_user) == "not_completed"
    assert not Review.objects.exists()


def test_an_appointment_still_to_come_cannot_be_reviewed(practitioner, client_user):
    appointment = appointment_make(practitioner, client_user, timezone.now() + timedelta(days=2))

    assert _refused_code(appointment, client_user) == "not_completed"


def test_another_client_cannot_review_someone_elses_appointment(done_appointment):
    other = client_create("autre@example.com")

    assert _refused_code(done_appointment, other) == "not_the_client"
    assert not Review.objects.exists()


def test_an_appointment_is_reviewed_once(done_appointment, client_user):
    _submit(done_appointment, client_user)

    assert _refused_code(done_appointment, client_user) == "already_reviewed"
    assert Review.objects.count() == 1


def test_the_period_of_the_published_rules_page_applies(rules, done_appointment, client_user):
    rules.review_window_days = 10
    rules.save_revision().publish()
    end = done_appointment.end

    with time_machine.travel(end + timedelta(days=10, minutes=-1)):
        assert _submit(done_appointment, client_user).pk
    Review.objects.all().delete()
    with time_machine.travel(end + timedelta(days=10, minutes=1)):
        assert _refused_code(done_appointment, client_user) == "window_closed"


def test_without_a_rules_page_the_period_is_60_days(done_appointment, client_user):
    with time_machine.travel(done_appointment.end + timedelta(days=61)):
        assert _refused_code(done_appointment, client_user) == "window_closed"
    with time_machine.travel(done_appointment.end + timedelta(days=59)):
        assert _submit(done_appointment, client_user).pk


def test_the_author_edits_a_published_review_back_to_moderation_dated(
    done_appointment, client_user, moderator
):
    review = services.review_publish(review=_submit(done_appointment, client_user), by=moderator)
    published_at = review.published_at

    edited = services.review_edit(review=review, author=client_user, rating=3, body="Finalement.")

    assert edited.status == ReviewStatus.PENDING
    assert edited.edited_at is not None
    assert edited.published_at == published_at  # the first publication date stays
    assert edited.rating == 3


def test_only_the_author_edits_a_review(done_appointment, client_user):
    review = _submit(done_appointment, client_user)
    other = client_create("autre@example.com")

    with pytest.raises(ReviewError) as refusal:
        services.review_edit(review=review, author=other, rating=1, body="Pas moi.")
    assert refusal.value.code == "not_the_author"
    review.refresh_from_db()
    assert review.rating == 5
