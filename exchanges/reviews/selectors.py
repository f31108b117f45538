"""Reads of exchanges.reviews: the rules in force, who may review which appointment, the
profile's published reviews and rating summary, the moderation queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from booking.models import Appointment, AppointmentStatus, Practitioner
from booking.selectors import is_clients_appointment
from exchanges.models import Review, ReviewRulesPage, ReviewStatus
from exchanges.reviews.exceptions import ReviewError

# When no rules page is published yet: the period the issue names.
DEFAULT_REVIEW_WINDOW_DAYS = 60

# The profile's sorts (query parameter `avis`): the first is the default.
SORT_RECENT = "recents"
SORT_HIGHEST = "note-haute"
SORT_LOWEST = "note-basse"
SORTS = {
    SORT_RECENT: _("les plus récents d'abord"),
    SORT_HIGHEST: _("note la plus haute"),
    SORT_LOWEST: _("note la plus basse"),
}
ALREADY_REVIEWED_MESSAGE = _("Vous avez déjà déposé un avis sur ce rendez-vous.")
REMOVED_MESSAGE = _("Cet avis a été retiré après un signalement : il ne peut plus être modifié.")
ALREADY_MODERATED_MESSAGE = _("Une décision a déjà été prise : la page a été actualisée.")
NOT_PUBLISHED_MESSAGE = _("Vous ne pouvez répondre qu'à un avis publié.")
ALREADY_ANSWERED_MESSAGE = _("Vous avez déjà répondu à cet avis : une seule réponse est possible.")

_SORT_ORDER = {
    SORT_RECENT: ("-published_at", "-pk"),
    SORT_HIGHEST: ("-rating", "-published_at", "-pk"),
    SORT_LOWEST: ("rating", "-published_at", "-pk"),
}


def review_rules_page() -> ReviewRulesPage | None:
    """The published rules page (there is at most one)."""
    return ReviewRulesPage.objects.live().first()


def review_window_days(rules: ReviewRulesPage | None = None) -> int:
    rules = rules if rules is not None else review_rules_page()
    return rules.review_window_days if rules is not None else DEFAULT_REVIEW_WINDOW_DAYS


def appointment_completed(appointment: Appointment, *, now: datetime) -> bool:
    """Marked done, or confirmed and over (never a cancelled, no-show or unpaid one)."""
    if appointment.status == AppointmentStatus.DONE:
        return True
    return appointment.status == AppointmentStatus.CONFIRMED and appointment.end <= now


def review_submit_refusal(
    *, appointment: Appointment, author: User | None, now: datetime, window_days: int | None = None
) -> ReviewError | None:
    """Why `author` may not review `appointment` now, or None. The same rules as
    services.review_submit, so that the form page can say it before anything is typed."""
    # The account that booked it, or the verified address of a client booked by phone.
    if not is_clients_appointment(appointment, author):
        return ReviewError(
            _("Seul le client de ce rendez-vous peut déposer un avis."), code="not_the_client"
        )
    if not appointment_completed(appointment, now=now):
        return ReviewError(
            _("Vous pourrez donner votre avis une fois la consultation réalisée."),
            code="not_completed",
        )
    if Review.objects.filter(appointment=appointment).exists():
        return ReviewError(ALREADY_REVIEWED_MESSAGE, code="already_reviewed")
    days = window_days if window_days is not None else review_window_days()
    if now > appointment.end + timedelta(days=days):
        return ReviewError(
            _("Le délai pour donner votre avis est dépassé : %(days)s jours après la consultation.")
            % {"days": days},
            code="window_closed",
        )
    return None


def review_of_appointment(appointment: Appointment) -> Review | None:
    return Review.objects.filter(appointment=appointment).first()


# --- The profile -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingSummary:
    count: int
    average: float | None
    # (rating, count, percent of all), 5 down to 1.
    distribution: list[tuple[int, int, int]]


def rating_summary(practitioner: Practitioner) -> RatingSummary:
    """Average, count and distribution of the published reviews, in one query."""
    published = Review.objects.filter(practitioner=practitioner, status=ReviewStatus.PUBLISHED)
    counts = published.aggregate(
        total=Count("pk"),
        average=Avg("rating"),
        **{f"r{rating}": Count("pk", filter=Q(rating=rating)) for rating in range(1, 6)},
    )
    total = counts["total"] or 0
    distribution = [
        (
            rating,
            counts[f"r{rating}"],
            round(100 * counts[f"r{rating}"] / total) if total else 0,
        )
        for rating in range(5, 0, -1)
    ]
    average = round(float(counts["average"]), 1) if counts["average"] is not None else None
    return RatingSummary(count=total, average=average, distribution=distribution)


def sort_parse(value: str | None) -> str:
    """An unknown sort falls back to the default rather than failing."""
    return value if value in SORTS else SORT_RECENT


def published_reviews(practitioner: Practitioner, *, sort: str = SORT_RECENT) -> QuerySet[Review]:
    """The profile's list: published reviews with their authors (one query for the list)."""
    return (
        Review.objects.filter(practitioner=practitioner, status=ReviewStatus.PUBLISHED)
        .select_related("author")
        .order_by(*_SORT_ORDER[sort_parse(sort)])
    )


def author_display(review: Review) -> str:
    """First name and initial ("Claire D."): enough to tell reviews apart, no more."""
    author = review.author
    first = (author.first_name or "").strip()
    initial = (author.last_name or "").strip()[:1]
    if first and initial:
        return f"{first} {initial}."
    return first or str(_("Client vérifié"))


# --- The practitioner's area and moderation ---------------------------------------------------


def practitioner_reviews(practitioner: Practitioner) -> QuerySet[Review]:
    """Every review of the practitioner that is or was online (not those refused or pending)."""
    return (
        Review.objects.filter(
            practitioner=practitioner,
            status__in=[ReviewStatus.PUBLISHED, ReviewStatus.REMOVED],
        )
        .select_related("author")
        .order_by("-published_at", "-pk")
    )


def pending_reviews() -> QuerySet[Review]:
    """The moderation queue: oldest first (the rules page promises a maximum delay)."""
    return (
        Review.objects.filter(status=ReviewStatus.PENDING)
        .select_related("author", "practitioner__page")
        .order_by("created_at", "pk")
    )


def pending_replies() -> QuerySet[Review]:
    return (
        Review.objects.filter(reply_status=ReviewStatus.PENDING)
        .select_related("author", "practitioner__page")
        .order_by("created_at", "pk")
    )
