"""The moderators' report queue: who gets in, what a report's page shows (each read of a thread
logged), and the decision taken from the admin."""

import pytest
from django.core import mail
from django.urls import reverse

from exchanges.models import ExchangeAccessLog, ReportStatus, ReviewStatus
from exchanges.reports.services import review_report, thread_report
from tests.exchanges.reports.conftest import MESSAGE_BODY, REVIEW_BODY
from tests.factories import otp_login

QUEUE = reverse("exchanges_report_queue")


@pytest.fixture
def report(review, reporter):
    return review_report(review=review, reporter=reporter, reason="offensive")


def _detail(report) -> str:
    return reverse("exchanges_report_detail", kwargs={"report_id": report.pk})


def test_the_queue_is_for_moderators_with_the_permission(
    client, report, reporter, practitioner_user, editor, moderator
):
    detail = _detail(report)
    # Anonymous: the admin's login page.
    assert client.get(QUEUE)["Location"].startswith(reverse("wagtailadmin_login"))
    # A client and a practitioner (no moderation permission) are refused.
    client.force_login(reporter)
    assert client.get(QUEUE).status_code == 403
    for user in (practitioner_user, editor):
        assert not user.has_perm("exchanges.change_report")
        otp_login(client, user)
        for url in (QUEUE, detail):
            assert client.get(url).status_code == 403
        assert client.post(reverse("exchanges_report_take", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW

    otp_login(client, moderator)
    queue = client.get(QUEUE)
    assert queue.status_code == 200
    assert f'data-report="{report.pk}"' in queue.text
    assert client.get(detail).status_code == 200


def test_the_menu_item_shows_only_to_moderators(client, editor, moderator):
    otp_login(client, editor)
    assert QUEUE not in client.get(reverse("wagtailadmin_home")).text
    otp_login(client, moderator)
    assert QUEUE in client.get(reverse("wagtailadmin_home")).text


def test_reviews_reported_by_their_practitioner_are_flagged(
    client, review, report, practitioner_user, moderator
):
    flagged = review_report(review=review, reporter=practitioner_user, reason="fake")
    otp_login(client, moderator)
    queue = client.get(QUEUE).text
    assert queue.count('data-flag="by-practitioner"') == 1
    assert 'data-flag="by-practitioner"' in client.get(_detail(flagged)).text
    assert 'data-flag="by-practitioner"' not in client.get(_detail(report)).text


def test_each_read_of_a_reported_thread_is_logged_with_the_report(
    client, thread, practitioner_user, moderator
):
    report = thread_report(thread=thread, reporter=practitioner_user, reason="offensive")
    otp_login(client, moderator)
    assert ExchangeAccessLog.objects.count() == 0

    for _ in range(2):
        page = client.get(_detail(report))
        assert MESSAGE_BODY in page.text

    logs = list(ExchangeAccessLog.objects.all())
    assert len(logs) == 2
    assert {(log.thread, log.user, log.report) for log in logs} == {(thread, moderator, report)}
    # The queue itself shows no message: reading it is not reading the thread.
    assert MESSAGE_BODY not in client.get(QUEUE).text
    assert ExchangeAccessLog.objects.count() == 2


def test_a_moderator_takes_then_dismisses_a_report_from_the_admin(
    client, review, report, reporter, moderator, django_capture_on_commit_callbacks
):
    otp_login(client, moderator)
    assert REVIEW_BODY in client.get(_detail(report)).text
    client.post(reverse("exchanges_report_take", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.UNDER_REVIEW

    decide = reverse("exchanges_report_decide", args=[report.pk])
    assert client.post(decide, {"outcome": "dismiss", "decision": ""}).status_code == 400
    assert client.post(decide, {"outcome": "edit", "decision": "x"}).status_code == 400
    assert client.get(decide).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(decide, {"outcome": "dismiss", "decision": "Conforme aux règles."})

    assert done.status_code == 302
    report.refresh_from_db()
    review.refresh_from_db()
    assert (report.status, report.decided_by) == (ReportStatus.DISMISSED, moderator)
    assert review.status == ReviewStatus.PUBLISHED
    assert [message.to for message in mail.outbox] == [[reporter.email]]
    again = client.post(decide, {"outcome": "remove", "decision": "Finalement non."})
    assert again.status_code == 409  # decided once: the page says so, nothing changes
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED


def test_an_unknown_report_is_a_404(client, moderator):
    otp_login(client, moderator)
    assert client.get(reverse("exchanges_report_detail", args=[999])).status_code == 404
