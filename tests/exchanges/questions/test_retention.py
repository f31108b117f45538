"""The 5-year purge of threads: the boundary, the dry run, the links kept (reports), the bulk
delete whose query count does not grow with the rows, and the command."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchanges.models import (
    ExchangeAccessLog,
    Message,
    MessageAuthor,
    Report,
    ReportReason,
    Thread,
)
from exchanges.questions.retention import threads_expired_delete
from exchanges.questions.services import thread_start
from tests.exchanges.questions.conftest import BODY, SUBJECT

pytestmark = pytest.mark.django_db

ASKED = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
FIVE_YEARS_LATER = datetime(2032, 3, 10, 9, 0, tzinfo=UTC)


def _threads(practitioner, user, count: int, *, last: datetime) -> list[Thread]:
    """`count` threads with two messages, a staff read and a report each, last written `last`."""
    threads = Thread.objects.bulk_create(
        Thread(practitioner=practitioner, user=user, subject=f"Q{n}", last_message_at=last)
        for n in range(count)
    )
    Message.objects.bulk_create(
        Message(thread=thread, author=user, author_role=MessageAuthor.USER, body="Bonjour")
        for thread in threads
        for _ in range(2)
    )
    ExchangeAccessLog.objects.bulk_create(ExchangeAccessLog(thread=t, user=user) for t in threads)
    Report.objects.bulk_create(
        Report(thread=t, reporter=user, reason=ReportReason.SPAM) for t in threads
    )
    return threads


def test_a_thread_is_kept_a_day_before_five_years_and_gone_a_day_after(practitioner, asker):
    with time_machine.travel(ASKED, tick=False):
        thread = thread_start(user=asker, practitioner=practitioner, subject=SUBJECT, body=BODY)
    with time_machine.travel(FIVE_YEARS_LATER - timedelta(days=1), tick=False):
        call_command("exchanges_threads_purge", stdout=StringIO())
    assert Thread.objects.filter(pk=thread.pk).exists()
    with time_machine.travel(FIVE_YEARS_LATER + timedelta(days=1), tick=False):
        out = StringIO()
        call_command("exchanges_threads_purge", stdout=out)
    assert not Thread.objects.filter(pk=thread.pk).exists()
    assert not Message.objects.exists()
    assert "1 thread(s) and 1 message(s)" in out.getvalue()
    assert "oldest last message: 2027-03-10" in out.getvalue()


def test_a_reply_restarts_the_clock(practitioner, asker, practitioner_user):
    from exchanges.questions.services import thread_reply

    with time_machine.travel(ASKED, tick=False):
        thread = thread_start(user=asker, practitioner=practitioner, subject=SUBJECT, body=BODY)
    with time_machine.travel(ASKED + timedelta(days=400), tick=False):
        thread_reply(thread=thread, by=practitioner_user, body="Réponse tardive")
    result = threads_expired_delete(now=FIVE_YEARS_LATER + timedelta(days=1), dry_run=False)
    assert result.threads == 0
    assert Thread.objects.filter(pk=thread.pk).exists()


def test_the_dry_run_counts_and_changes_nothing(practitioner, asker):
    old = ASKED - timedelta(days=30)
    _threads(practitioner, asker, 3, last=old)
    _threads(practitioner, asker, 2, last=FIVE_YEARS_LATER - timedelta(days=10))
    out = StringIO()
    with time_machine.travel(FIVE_YEARS_LATER, tick=False):
        call_command("exchanges_threads_purge", "--dry-run", stdout=out)
    assert "3 thread(s) and 6 message(s)" in out.getvalue()
    assert "would be deleted" in out.getvalue()
    assert (Thread.objects.count(), Message.objects.count()) == (5, 10)
    assert Report.objects.filter(thread__isnull=False).count() == 5
    result = threads_expired_delete(now=FIVE_YEARS_LATER, dry_run=True)
    assert (result.threads, result.messages, result.oldest) == (3, 6, old)
    assert Thread.objects.count() == 5


def test_the_purge_removes_messages_and_reads_and_keeps_the_reports(practitioner, asker):
    expired = _threads(practitioner, asker, 2, last=ASKED)
    kept = _threads(practitioner, asker, 1, last=FIVE_YEARS_LATER)
    result = threads_expired_delete(now=FIVE_YEARS_LATER + timedelta(days=1), dry_run=False)
    assert (result.threads, result.messages, result.oldest) == (2, 4, ASKED)
    assert list(Thread.objects.all()) == kept
    assert Message.objects.filter(thread__in=expired).count() == 0
    assert Message.objects.count() == 2
    assert ExchangeAccessLog.objects.count() == 1
    # A report keeps its own 5-year clock (P7): it loses its thread, not its record.
    assert Report.objects.count() == 3
    assert Report.objects.filter(thread__isnull=True).count() == 2


def _purge_queries(practitioner, user, count: int) -> int:
    Thread.objects.all().delete()
    _threads(practitioner, user, count, last=ASKED)
    with CaptureQueriesContext(connection) as queries:
        result = threads_expired_delete(now=FIVE_YEARS_LATER + timedelta(days=1), dry_run=False)
    assert result.threads == count and not Thread.objects.exists()
    return len(queries)


def test_the_query_count_does_not_grow_with_the_rows(practitioner, asker):
    few = _purge_queries(practitioner, asker, 2)
    many = _purge_queries(practitioner, asker, 40)
    assert few == many
    assert few <= 10
