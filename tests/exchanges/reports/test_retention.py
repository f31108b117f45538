"""Reports are kept 5 years from the report (P7), then deleted in bulk; the item stays."""

import itertools
from datetime import UTC, datetime

import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchanges.models import ExchangeAccessLog, Report, Review, Thread
from exchanges.reports.retention import reports_expired_delete, retention_cutoff
from exchanges.reports.services import review_report, thread_report
from tests.factories import client_create

REPORTED_AT = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
_people = itertools.count()


def _reports_at(when: datetime, review, count: int) -> list[Report]:
    with time_machine.travel(when, tick=False):
        return [
            review_report(
                review=review,
                reporter=client_create(f"lecteur{next(_people)}@example.com"),
                reason="spam",
            )
            for _ in range(count)
        ]


def test_a_report_is_kept_until_five_years_after_it_was_made(review, reporter):
    with time_machine.travel(REPORTED_AT, tick=False):
        report = review_report(review=review, reporter=reporter, reason="offensive")

    day_before = datetime(2032, 1, 9, 12, 0, tzinfo=UTC)
    assert reports_expired_delete(now=day_before).reports == 0
    assert Report.objects.filter(pk=report.pk).exists()

    day_after = datetime(2032, 1, 11, 12, 0, tzinfo=UTC)
    result = reports_expired_delete(now=day_after)
    assert (result.reports, result.oldest) == (1, REPORTED_AT)
    assert not Report.objects.filter(pk=report.pk).exists()
    assert Review.objects.filter(pk=review.pk).exists()  # the item follows its own rule


def test_a_dry_run_counts_and_deletes_nothing(review, reporter):
    _reports_at(REPORTED_AT, review, 2)
    result = reports_expired_delete(now=datetime(2033, 1, 1, tzinfo=UTC), dry_run=True)
    assert (result.reports, result.oldest) == (2, REPORTED_AT)
    assert Report.objects.count() == 2


def test_the_purge_takes_the_same_queries_for_few_or_many_reports(
    review, thread, practitioner_user
):
    later = datetime(2040, 1, 1, tzinfo=UTC)

    def purge_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            reports_expired_delete(now=later)
        return len(queries)

    _reports_at(REPORTED_AT, review, 2)
    few = purge_queries()
    _reports_at(REPORTED_AT, review, 25)
    with time_machine.travel(REPORTED_AT, tick=False):
        report = thread_report(thread=thread, reporter=practitioner_user, reason="offensive")
    ExchangeAccessLog.objects.create(thread=thread, user=None, report=report)
    assert Report.objects.count() == 26
    many = purge_queries()

    assert many == few
    assert not Report.objects.exists()
    # The staff read log stays with its thread; only its link to the report goes.
    log = ExchangeAccessLog.objects.get()
    assert (log.report, log.thread) == (None, Thread.objects.get())


def test_the_command_reports_what_it_would_delete_then_deletes(review, reporter, capsys):
    _reports_at(REPORTED_AT, review, 1)
    with time_machine.travel(datetime(2033, 1, 1, tzinfo=UTC), tick=False):
        call_command("exchanges_reports_purge", "--dry-run")
        assert "1 report(s)" in capsys.readouterr().out and Report.objects.count() == 1
        call_command("exchanges_reports_purge")
    assert "deleted" in capsys.readouterr().out
    assert not Report.objects.exists()


def test_the_cutoff_of_29_february_is_28_february():
    assert retention_cutoff(datetime(2028, 2, 29, 8, 0, tzinfo=UTC)) == datetime(
        2023, 2, 28, 8, 0, tzinfo=UTC
    )
