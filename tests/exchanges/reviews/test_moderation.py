"""Moderation in the Wagtail admin: publish, or refuse with a reason of the published rules
(the author told why by e-mail); the practitioner's one answer, moderated too; the access
matrix (a moderator without the permission, another practitioner)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from exchanges.models import ReviewStatus
from exchanges.reviews import services
from exchanges.reviews.exceptions import ReviewError
from tests.booking.practitioner_helpers import practitioner_user_create
from tests.exchanges.reviews.review_helpers import emails_of, review_published
from tests.factories import bookable_practitioner_create, otp_login


@pytest.fixture
def pending(done_appointment, client_user):
    return services.review_submit(
        appointment=done_appointment, author=client_user, rating=2, body="Retard de 40 minutes."
    )


def test_the_queue_lists_pending_reviews_for_a_moderator(client, moderator, pending, rules):
    otp_login(client, moderator)

    response = client.get(reverse("exchanges_reviews_queue"))

    assert response.status_code == 200
    assert "Retard de 40 minutes." in response.content.decode()
    detail = client.get(reverse("exchanges_reviews_detail", args=[pending.pk]))
    assert detail.status_code == 200
    # The refusal reasons offered are the published rules page's, nothing else.
    for reason in rules.refusal_reasons.all():
        assert escape(reason.label) in detail.content.decode()


def test_publishing_puts_it_online_audited_and_tells_the_author(client, moderator, pending, rules):
    otp_login(client, moderator)

    response = client.post(reverse("exchanges_reviews_publish", args=[pending.pk]))

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ReviewStatus.PUBLISHED
    assert pending.published_at is not None
    assert pending.moderated_by == moderator
    entry = ModelLogEntry.objects.for_instance(pending).get(action=services.ACTION_PUBLISH)
    assert entry.user == moderator
    [email] = emails_of("exchanges/reviews/published")
    assert email.to == [pending.author.email]


def test_refusing_needs_a_reason_of_the_rules_and_mails_it_to_the_author(
    client, moderator, pending, rules
):
    otp_login(client, moderator)
    url = reverse("exchanges_reviews_refuse", args=[pending.pk])

    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"review-reason": "999999"}).status_code == 400
    pending.refresh_from_db()
    assert pending.status == ReviewStatus.PENDING

    reason = rules.refusal_reasons.first()
    assert client.post(url, {"review-reason": reason.pk}).status_code == 302

    pending.refresh_from_db()
    assert pending.status == ReviewStatus.REFUSED
    assert pending.refusal_reason == reason
    assert pending.refusal_reason_text == reason.label
    assert pending.moderated_by == moderator
    [email] = emails_of("exchanges/reviews/refused")
    assert email.to == ["client@example.com"]
    assert reason.label in email.body_text
    assert reason.explanation in email.body_text
    assert reverse("reviews:review_form", args=[pending.appointment.reference]) in email.body_text
    entry = ModelLogEntry.objects.for_instance(pending).get(action=services.ACTION_REFUSE)
    assert entry.data["reason"] == reason.label


def test_a_decision_is_taken_once(moderator, pending, rules):
    services.review_publish(review=pending, by=moderator)

    with pytest.raises(ReviewError) as refusal:
        services.review_refuse(review=pending, by=moderator, reason=rules.refusal_reasons.first())
    assert refusal.value.code == "already_moderated"
    assert len(emails_of("exchanges/reviews/published")) == 1
    assert emails_of("exchanges/reviews/refused") == []


def test_a_staff_member_without_the_permission_cannot_moderate(client, pending, rules):
    staff = get_user_model().objects.create_user(
        email="editeur@example.com", password="une phrase de passe", is_staff=True
    )
    staff.groups.add(*Group.objects.filter(name="Editors"))
    otp_login(client, staff)

    for name in ("exchanges_reviews_queue", "exchanges_reviews_detail"):
        args = [pending.pk] if name.endswith("detail") else []
        assert client.get(reverse(name, args=args)).status_code in (302, 403)
    response = client.post(reverse("exchanges_reviews_publish", args=[pending.pk]))
    assert response.status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.status == ReviewStatus.PENDING


# --- The practitioner's answer -----------------------------------------------------------------


def test_the_practitioner_answers_once_after_moderation(
    client, practitioner, done_appointment, client_user, moderator, rules
):
    review = review_published(done_appointment, client_user, moderator)
    user = practitioner_user_create(practitioner, "camille@praticien.example")
    otp_login(client, user)
    url = reverse("reviews:practitioner_reply", args=[review.pk])
    field = f"r{review.pk}-reply"

    listing = client.get(reverse("reviews:practitioner_reviews"))
    assert listing.status_code == 200
    assert "Une séance apaisante." in listing.content.decode()

    assert client.post(url, {field: "Merci pour votre retour."}).status_code == 302
    review.refresh_from_db()
    assert review.reply_status == ReviewStatus.PENDING
    # A second answer while the first waits is refused, nothing changes.
    assert client.post(url, {field: "Autre réponse."}).status_code == 409
    review.refresh_from_db()
    assert review.reply == "Merci pour votre retour."

    services.review_reply_publish(review=review, by=moderator)
    review.refresh_from_db()
    assert review.reply_status == ReviewStatus.PUBLISHED
    assert review.reply_published_at is not None
    assert [email.to for email in emails_of("exchanges/reviews/reply_published")] == [[user.email]]
    with pytest.raises(ReviewError) as refusal:
        services.review_reply_submit(
            review=review, practitioner=practitioner, body="Encore.", by=user
        )
    assert refusal.value.code == "already_answered"


def test_a_refused_answer_is_mailed_with_its_reason_and_may_be_rewritten(
    practitioner, done_appointment, client_user, moderator, rules
):
    review = review_published(done_appointment, client_user, moderator)
    user = practitioner_user_create(practitioner, "camille@praticien.example")
    services.review_reply_submit(
        review=review, practitioner=practitioner, body="Hors sujet", by=user
    )
    reason = rules.refusal_reasons.last()

    services.review_reply_refuse(review=review, by=moderator, reason=reason)

    review.refresh_from_db()
    assert review.reply_status == ReviewStatus.REFUSED
    [email] = emails_of("exchanges/reviews/reply_refused")
    assert reason.label in email.body_text
    services.review_reply_submit(review=review, practitioner=practitioner, body="Merci.", by=user)
    review.refresh_from_db()
    assert review.reply_status == ReviewStatus.PENDING


def test_another_practitioner_cannot_answer_nor_see_the_review(
    client, directory, done_appointment, client_user, moderator, rules
):
    review = review_published(done_appointment, client_user, moderator)
    other = bookable_practitioner_create(directory, title="Nora Petit")
    otp_login(client, practitioner_user_create(other, "nora@praticien.example"))

    listing = client.get(reverse("reviews:practitioner_reviews"))
    assert "Une séance apaisante." not in listing.content.decode()
    response = client.post(
        reverse("reviews:practitioner_reply", args=[review.pk]), {f"r{review.pk}-reply": "Moi"}
    )
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.reply == ""


def test_a_pending_review_cannot_be_answered(practitioner, pending):
    user = practitioner_user_create(practitioner, "camille@praticien.example")
    with pytest.raises(ReviewError) as refusal:
        services.review_reply_submit(review=pending, practitioner=practitioner, body="Hé", by=user)
    assert refusal.value.code == "not_published"
