"""Helpers of the review tests: a review in a given state, the e-mails stored for sending."""

from emails.models import OutgoingEmail
from exchanges.reviews import services


def review_published(appointment, author, moderator, *, rating=5, body="Une séance apaisante."):
    review = services.review_submit(
        appointment=appointment, author=author, rating=rating, body=body
    )
    return services.review_publish(review=review, by=moderator)


def emails_of(template: str) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(template=template).order_by("pk"))
