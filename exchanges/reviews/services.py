"""Writes of exchanges.reviews: a client reviews a completed appointment (or edits their
review), the practitioner answers it once, moderators publish or refuse either.

Every write runs in one transaction with the review row locked, so two moderators (or a
moderator and the author) never both decide; each decision is logged in Wagtail's log (the
review's history) with who took it. The e-mails are stored in the same transaction and sent
once it commits (emails.services.email_send).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from accounts.models import User
from booking.models import Appointment, Practitioner
from core.links import absolute_reverse
from emails.services import email_send
from exchanges.models import Review, ReviewRefusalReason, ReviewStatus
from exchanges.reviews import selectors
from exchanges.reviews.exceptions import ReviewError
from staff.models import PractitionerAccount

ACTION_SUBMIT = "exchanges.review.submit"
ACTION_EDIT = "exchanges.review.edit"
ACTION_PUBLISH = "exchanges.review.publish"
ACTION_REFUSE = "exchanges.review.refuse"
ACTION_REPLY = "exchanges.review.reply"
ACTION_REPLY_PUBLISH = "exchanges.review.reply_publish"
ACTION_REPLY_REFUSE = "exchanges.review.reply_refuse"


def _locked(review: Review) -> Review:
    return (
        Review.objects.select_for_update()
        .select_related("author", "practitioner")
        .get(pk=review.pk)
    )


def _profile_url(review: Review) -> str:
    page = review.practitioner.page
    return page.get_full_url() if page is not None and page.live else ""


def _author_email(review: Review, template: str, **context: object) -> None:
    author = review.author
    if not author.email:
        return
    email_send(
        to=author.email,
        template=template,
        context={"user": author, "review": review, "profile_url": _profile_url(review), **context},
    )


def _practitioner_email(review: Review, template: str, **context: object) -> None:
    account = (
        PractitionerAccount.objects.select_related("user")
        .filter(page_id=review.practitioner.page_id)
        .first()
    )
    if account is None or not account.user.email:
        return
    email_send(
        to=account.user.email,
        template=template,
        context={
            "user": account.user,
            "review": review,
            "reviews_url": absolute_reverse("reviews:practitioner_reviews"),
            **context,
        },
    )


def review_submit(*, appointment: Appointment, author: User, rating: int, body: str) -> Review:
    """The client's review of their completed appointment, pending moderation."""
    now = timezone.now()
    with transaction.atomic():
        # Locks the appointment: a double submission waits, then meets the first review.
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        refusal = selectors.review_submit_refusal(appointment=appointment, author=author, now=now)
        if refusal is not None:
            raise refusal
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    appointment=appointment,
                    practitioner_id=appointment.practitioner_id,
                    author=author,
                    rating=rating,
                    body=body.strip(),
                    consultation_date=timezone.localdate(
                        appointment.start, appointment.practitioner.tz
                    ),
                )
        except IntegrityError:
            # The one-to-one: a concurrent submission on a database without row locks.
            raise ReviewError(selectors.ALREADY_REVIEWED_MESSAGE, code="already_reviewed") from None
        log(instance=review, action=ACTION_SUBMIT, user=author, data={"rating": rating})
    return review


def review_edit(*, review: Review, author: User, rating: int, body: str) -> Review:
    """Its author rewrites a review: back to moderation, the update dated (shown on the
    profile as "modifié le" once published again)."""
    with transaction.atomic():
        review = _locked(review)
        if review.author_id != author.pk:
            raise ReviewError(code="not_the_author")
        if review.status == ReviewStatus.REMOVED:
            raise ReviewError(selectors.REMOVED_MESSAGE, code="removed")
        review.rating = rating
        review.body = body.strip()
        review.status = ReviewStatus.PENDING
        review.edited_at = timezone.now()
        review.refusal_reason = None
        review.refusal_reason_text = ""
        review.save()
        log(instance=review, action=ACTION_EDIT, user=author, data={"rating": rating})
    return review


def _pending_or_refuse(review: Review) -> None:
    if review.status != ReviewStatus.PENDING:
        raise ReviewError(selectors.ALREADY_MODERATED_MESSAGE, code="already_moderated")


def review_publish(*, review: Review, by: User) -> Review:
    """A moderator publishes a pending review; its author is told."""
    with transaction.atomic():
        review = _locked(review)
        _pending_or_refuse(review)
        review.status = ReviewStatus.PUBLISHED
        # The first publication date stays: an edit is dated by edited_at.
        review.published_at = review.published_at or timezone.now()
        review.moderated_by = by
        review.save()
        log(instance=review, action=ACTION_PUBLISH, user=by)
        _author_email(review, "exchanges/reviews/published")
    return review


def review_refuse(*, review: Review, by: User, reason: ReviewRefusalReason) -> Review:
    """A moderator refuses a pending review for a reason of the published rules; the author
    is told which, in the words they were shown (copied: the rules page may change later)."""
    with transaction.atomic():
        review = _locked(review)
        _pending_or_refuse(review)
        review.status = ReviewStatus.REFUSED
        review.refusal_reason = reason
        review.refusal_reason_text = reason.label
        review.moderated_by = by
        review.save()
        log(instance=review, action=ACTION_REFUSE, user=by, data={"reason": reason.label})
        _author_email(
            review,
            "exchanges/reviews/refused",
            reason=reason.label,
            explanation=reason.explanation,
            edit_url=absolute_reverse("reviews:review_form", review.appointment.reference),
        )
    return review


def review_reply_submit(
    *, review: Review, practitioner: Practitioner, body: str, by: User
) -> Review:
    """The practitioner's one public answer to a published review, pending moderation. A
    refused answer may be rewritten; a pending or published one may not be replaced."""
    with transaction.atomic():
        review = _locked(review)
        if review.practitioner_id != practitioner.pk:
            raise ReviewError(code="not_the_practitioner")
        if review.status != ReviewStatus.PUBLISHED:
            raise ReviewError(selectors.NOT_PUBLISHED_MESSAGE, code="not_published")
        if review.reply_status in (ReviewStatus.PENDING, ReviewStatus.PUBLISHED):
            raise ReviewError(selectors.ALREADY_ANSWERED_MESSAGE, code="already_answered")
        review.reply = body.strip()
        review.reply_status = ReviewStatus.PENDING
        review.reply_published_at = None
        review.save()
        log(instance=review, action=ACTION_REPLY, user=by)
    return review


def _reply_pending_or_refuse(review: Review) -> None:
    if review.reply_status != ReviewStatus.PENDING:
        raise ReviewError(selectors.ALREADY_MODERATED_MESSAGE, code="already_moderated")


def review_reply_publish(*, review: Review, by: User) -> Review:
    with transaction.atomic():
        review = _locked(review)
        _reply_pending_or_refuse(review)
        review.reply_status = ReviewStatus.PUBLISHED
        review.reply_published_at = timezone.now()
        review.save()
        log(instance=review, action=ACTION_REPLY_PUBLISH, user=by)
        _practitioner_email(review, "exchanges/reviews/reply_published")
    return review


def review_reply_refuse(*, review: Review, by: User, reason: ReviewRefusalReason) -> Review:
    """The answer is refused for a reason of the rules (kept in the log, the review's own
    refusal fields being the review's); the practitioner is told why and may rewrite it."""
    with transaction.atomic():
        review = _locked(review)
        _reply_pending_or_refuse(review)
        review.reply_status = ReviewStatus.REFUSED
        review.save()
        log(instance=review, action=ACTION_REPLY_REFUSE, user=by, data={"reason": reason.label})
        _practitioner_email(
            review,
            "exchanges/reviews/reply_refused",
            reason=reason.label,
            explanation=reason.explanation,
        )
    return review
