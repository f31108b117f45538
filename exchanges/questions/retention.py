"""Retention of the questions (privacy rules P4): a thread is kept 5 years after its last
message, then deleted with its messages. Run daily (exchanges_threads_purge) until the rights
issue's retention job takes it over.

Deleted in bulk: each relation pointing at a thread is handled with one statement over a
subquery (cascade: delete; SET_NULL: update, e.g. a report keeps its record, P7), then the
threads themselves, so the number of queries does not grow with the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models, router, transaction

from core.dates import years_before
from exchanges.models import ExchangeAccessLog, Message, Report, Thread

RETENTION_YEARS = 5


@dataclass(frozen=True)
class PurgeResult:
    threads: int
    messages: int
    oldest: datetime | None  # the last message of the oldest thread concerned
    cutoff: datetime


def retention_cutoff(now: datetime) -> datetime:
    """`now` minus 5 calendar years (29 February falls back to the 28th)."""
    return years_before(now, RETENTION_YEARS)


def threads_expired_delete(*, now: datetime, dry_run: bool) -> PurgeResult:
    """Delete the threads whose last message is more than 5 years before `now`."""
    cutoff = retention_cutoff(now)
    expired = Thread.objects.filter(last_message_at__lt=cutoff)
    with transaction.atomic():
        summary = expired.aggregate(count=models.Count("pk"), oldest=models.Min("last_message_at"))
        messages = Message.objects.filter(thread__in=expired).count()
        result = PurgeResult(
            threads=summary["count"], messages=messages, oldest=summary["oldest"], cutoff=cutoff
        )
        if dry_run or not result.threads:
            return result
        ids = expired.values("pk")
        # Every link to a thread (Thread._meta.related_objects): messages and staff read logs
        # go with it, reports keep their record without it.
        Message.objects.filter(thread__in=ids).delete()
        ExchangeAccessLog.objects.filter(thread__in=ids).delete()
        Report.objects.filter(thread__in=ids).update(thread=None)
        # Nothing points at these rows any more: one DELETE, without Django's collector
        # fetching every row first.
        expired._raw_delete(using=router.db_for_write(Thread))
    return result
