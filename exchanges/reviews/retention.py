"""Reviews stay online as long as the published rules page says (online_duration_years, 3
years by default), counted from their publication; then they are taken offline (status
ARCHIVED). The record itself follows its appointment's retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.dates import years_before
from exchanges.models import Review, ReviewStatus
from exchanges.reviews.selectors import review_rules_page

DEFAULT_ONLINE_YEARS = 3


@dataclass(frozen=True)
class ArchiveResult:
    cutoff: datetime
    reviews: int
    oldest: datetime | None  # publication date of the oldest review concerned


def reviews_online_cutoff(now: datetime) -> datetime:
    rules = review_rules_page()
    years = rules.online_duration_years if rules is not None else DEFAULT_ONLINE_YEARS
    return years_before(now, years)


def reviews_expired_archive(*, now: datetime, dry_run: bool = False) -> ArchiveResult:
    """Take offline, in one UPDATE, the published reviews older than the online duration."""
    cutoff = reviews_online_cutoff(now)
    expired = Review.objects.filter(status=ReviewStatus.PUBLISHED, published_at__lt=cutoff)
    oldest = expired.order_by("published_at").values_list("published_at", flat=True).first()
    if dry_run:
        return ArchiveResult(cutoff=cutoff, reviews=expired.count(), oldest=oldest)
    return ArchiveResult(
        cutoff=cutoff, reviews=expired.update(status=ReviewStatus.ARCHIVED), oldest=oldest
    )
