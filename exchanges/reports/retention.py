"""Retention of reports (privacy rules P7): 5 years from the report, then deleted.

The item a report concerns follows its own rule (a thread 5 years after its last message, a
review as long as the rules page says); deleting the report leaves it alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from core.dates import years_before
from exchanges.models import ExchangeAccessLog, Report

RETENTION_YEARS = 5


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    reports: int
    oldest: datetime | None  # created_at of the oldest report concerned


def retention_cutoff(now: datetime) -> datetime:
    """The same instant RETENTION_YEARS years earlier (29 February becomes 28 February)."""
    return years_before(now, RETENTION_YEARS)


def reports_expired_delete(*, now: datetime, dry_run: bool = False) -> PurgeResult:
    """Delete every report made before the cutoff, in a constant number of queries.

    Django's collector would load every expired report to set the access logs' link to null,
    then delete in batches; here the one relation (ExchangeAccessLog.report, SET_NULL) is
    cleared in one UPDATE and the reports go in one DELETE. Report has no delete signals, and
    nothing else points at it. The staff read logs themselves are kept: they follow the thread.
    """
    cutoff = retention_cutoff(now)
    expired = Report.objects.filter(created_at__lt=cutoff)
    oldest = expired.order_by("created_at").values_list("created_at", flat=True).first()
    if dry_run:
        return PurgeResult(cutoff=cutoff, reports=expired.count(), oldest=oldest)
    with transaction.atomic():
        ExchangeAccessLog.objects.filter(report__in=expired).update(report=None)
        deleted = expired._raw_delete(expired.db)
    return PurgeResult(cutoff=cutoff, reports=deleted, oldest=oldest)
