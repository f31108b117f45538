"""The profile's reviews: `{% profile_reviews page as reviews %}` (rating summary, the published
reviews in the chosen order, one page of them) and `{% reviews_structured_data data reviews %}`,
which adds schema.org `aggregateRating` and `review` to the profile's JSON-LD dict (cms builds
that dict and must not import exchanges, hence a tag of ours).

A fixed number of queries whatever the number of reviews (the practitioner, the rules page,
the summary, the count and the page of reviews with their authors), computed once per request
even though the page's head and body both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.utils import timezone

from booking.models import Practitioner
from exchanges.models import Review, ReviewRulesPage
from exchanges.reviews import selectors

register = template.Library()

REVIEWS_PER_PAGE = 20
SORT_PARAMETER = "avis"
PAGE_PARAMETER = "avis-page"
# Reviews in the JSON-LD: the most recent ones are enough for search engines.
STRUCTURED_REVIEWS = 10


@dataclass(frozen=True)
class ReviewRow:
    review: Review
    author: str


@dataclass(frozen=True)
class SortLink:
    key: str
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class ProfileReviews:
    summary: selectors.RatingSummary
    rows: list[ReviewRow]
    page: PaginatorPage
    sort: str
    sort_label: str
    sorts: list[SortLink]
    rules: ReviewRulesPage | None

    def page_url(self, number: int) -> str:
        return _query(sort=self.sort, page=number)


def _query(*, sort: str, page: int = 1) -> str:
    params: dict[str, str | int] = {}
    if sort != selectors.SORT_RECENT:
        params[SORT_PARAMETER] = sort
    if page > 1:
        params[PAGE_PARAMETER] = page
    return f"?{urlencode(params)}#avis" if params else "?#avis"


def profile_reviews_build(practitioner: Practitioner, *, sort: str, page_number) -> ProfileReviews:
    sort = selectors.sort_parse(sort)
    paginator = Paginator(
        selectors.published_reviews(practitioner, sort=sort),
        REVIEWS_PER_PAGE,
        allow_empty_first_page=True,
    )
    page = paginator.get_page(page_number)
    return ProfileReviews(
        summary=selectors.rating_summary(practitioner),
        rows=[ReviewRow(review=review, author=selectors.author_display(review)) for review in page],
        page=page,
        sort=sort,
        sort_label=str(selectors.SORTS[sort]),
        sorts=[
            SortLink(key=key, label=str(label), url=_query(sort=key), current=key == sort)
            for key, label in selectors.SORTS.items()
        ],
        rules=selectors.review_rules_page(),
    )


@register.simple_tag(takes_context=True)
def profile_reviews(context, page) -> ProfileReviews | None:
    """The reviews part of a practitioner profile, or None for a page that takes no bookings
    (no appointment, hence no review, can exist for it)."""
    request = context.get("request")
    sort = request.GET.get(SORT_PARAMETER, "") if request is not None else ""
    number = request.GET.get(PAGE_PARAMETER, 1) if request is not None else 1
    memo: dict = getattr(request, "_profile_reviews", {}) if request is not None else {}
    key = (page.pk, sort, str(number))
    if key not in memo:
        practitioner = Practitioner.objects.filter(page_id=page.pk).first()
        memo[key] = (
            profile_reviews_build(practitioner, sort=sort, page_number=number)
            if practitioner is not None
            else None
        )
        if request is not None:
            request._profile_reviews = memo
    return memo[key]


def review_structured(review: Review, author: str) -> dict:
    published = review.published_at
    return {
        "@type": "Review",
        "author": {"@type": "Person", "name": author},
        "datePublished": timezone.localdate(published).isoformat() if published else None,
        "reviewBody": review.body,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": review.rating,
            "bestRating": 5,
            "worstRating": 1,
        },
    }


def _published(row: ReviewRow):
    # Published reviews always have the date; created_at only satisfies the type.
    return row.review.published_at or row.review.created_at


@register.simple_tag
def reviews_structured_data(data: dict | None, reviews: ProfileReviews | None) -> str:
    """Adds the rating and the most recent reviews to the profile's JSON-LD, when there are
    published reviews; renders nothing."""
    if not data or reviews is None or not reviews.summary.count:
        return ""
    data["aggregateRating"] = {
        "@type": "AggregateRating",
        "ratingValue": reviews.summary.average,
        "ratingCount": reviews.summary.count,
        "reviewCount": reviews.summary.count,
        "bestRating": 5,
        "worstRating": 1,
    }
    # The reviews of the page shown, most recent first whatever the visitor's sort.
    rows = sorted(reviews.rows, key=_published, reverse=True)
    data["review"] = [
        review_structured(row.review, row.author) for row in rows[:STRUCTURED_REVIEWS]
    ]
    return ""


@register.filter
def stars(rating: int) -> str:
    """★★★★☆ for 4: shown next to the number, which is what assistive technologies read."""
    rating = max(0, min(5, int(rating)))
    return "★" * rating + "☆" * (5 - rating)


@register.simple_tag
def url_reviews_page(reviews: ProfileReviews, number: int) -> str:
    """The query string of another page of reviews, in the same order."""
    return reviews.page_url(number)
