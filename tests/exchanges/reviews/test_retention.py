"""Published reviews go offline once the rules page's online duration has passed since their
publication (kept one day before, archived one day after); a dry run changes nothing."""

from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.utils import timezone

from exchanges.models import Review, ReviewStatus
from exchanges.reviews.retention import reviews_expired_archive
from tests.exchanges.reviews.review_helpers import review_published


def test_a_review_goes_offline_after_the_published_online_duration(
    rules, done_appointment, client_user, moderator
):
    review = review_published(done_appointment, client_user, moderator)
    published = Review.objects.get(pk=review.pk).published_at
    assert rules.online_duration_years == 3

    day_before = published.replace(year=published.year + 3) - timedelta(days=1)
    with time_machine.travel(day_before, tick=False):
        assert reviews_expired_archive(now=timezone.now()).reviews == 0
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PUBLISHED

    day_after = published.replace(year=published.year + 3) + timedelta(days=1)
    with time_machine.travel(day_after, tick=False):
        dry = reviews_expired_archive(now=timezone.now(), dry_run=True)
        assert (dry.reviews, dry.oldest) == (1, published)
        assert Review.objects.get(pk=review.pk).status == ReviewStatus.PUBLISHED
        call_command("exchanges_reviews_archive")
        assert reviews_expired_archive(now=timezone.now()).reviews == 0
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.ARCHIVED


def test_the_duration_follows_the_rules_page(rules, done_appointment, client_user, moderator):
    review = review_published(done_appointment, client_user, moderator)
    rules.online_duration_years = 1
    rules.save_revision().publish()
    published = Review.objects.get(pk=review.pk).published_at

    with time_machine.travel(published.replace(year=published.year + 1) + timedelta(days=1)):
        assert reviews_expired_archive(now=timezone.now()).reviews == 1
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.ARCHIVED
