"""Reports: one per person per item, threads by their practitioner only, the lifecycle of a
report to its decision and the reporter's e-mail, audited."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from wagtail.models import ModelLogEntry

from exchanges.models import Report, ReportReason, ReportStatus, ReviewStatus, ThreadStatus
from exchanges.reports import services
from exchanges.reports.services import ReportError, report_decide, report_take, review_report
from tests.booking.practitioner_helpers import practitioner_user_create
from tests.exchanges.reports.conftest import MESSAGE_BODY, REVIEW_BODY, review_publish
from tests.factories import bookable_practitioner_create, client_create


def _refusal(callable_, **kwargs) -> str:
    with pytest.raises(ReportError) as refused:
        callable_(**kwargs)
    return refused.value.code


def test_a_person_reports_a_review_once_and_others_still_can(review, reporter):
    review_report(review=review, reporter=reporter, reason=ReportReason.OFFENSIVE)

    code = _refusal(review_report, review=review, reporter=reporter, reason=ReportReason.SPAM)
    assert code == "already_reported"
    other = client_create("autre@example.com")
    review_report(review=review, reporter=other, reason=ReportReason.SPAM, text="Publicité")
    assert Report.objects.filter(review=review).count() == 2


def test_the_database_refuses_a_second_report_of_the_same_item(review, reporter):
    review_report(review=review, reporter=reporter, reason=ReportReason.OFFENSIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(review=review, reporter=reporter, reason=ReportReason.SPAM)


def test_a_review_reported_by_its_practitioner_is_flagged(review, reporter, practitioner_user):
    by_page = review_report(review=review, reporter=practitioner_user, reason=ReportReason.FAKE)
    by_reader = review_report(review=review, reporter=reporter, reason=ReportReason.FAKE)

    assert (by_page.by_practitioner, by_reader.by_practitioner) == (True, False)


def test_only_published_reviews_of_others_can_be_reported(review, author, reporter):
    assert _refusal(review_report, review=review, reporter=author, reason="spam") == "own_review"
    assert _refusal(review_report, review=review, reporter=reporter, reason="nope") == "bad_reason"
    too_long = "x" * 1001
    assert (
        _refusal(review_report, review=review, reporter=reporter, reason="spam", text=too_long)
        == "too_long"
    )
    review.status = ReviewStatus.PENDING
    review.save()
    code = _refusal(review_report, review=review, reporter=reporter, reason="spam")
    assert code == "not_published"
    assert not Report.objects.exists()


def test_only_the_threads_practitioner_reports_it(thread, author, practitioner_user, directory):
    other = bookable_practitioner_create(directory, title="Inès Garnier")
    other_user = practitioner_user_create(other, "ines@praticien.example")
    for user in (author, other_user):
        code = _refusal(services.thread_report, thread=thread, reporter=user, reason="offensive")
        assert code == "not_allowed"

    report = services.thread_report(thread=thread, reporter=practitioner_user, reason="offensive")
    assert (report.thread, report.review) == (thread, None)
    again = _refusal(
        services.thread_report, thread=thread, reporter=practitioner_user, reason="spam"
    )
    assert again == "already_reported"


def test_reports_are_rate_limited_per_person(practitioner, reporter):
    for index in range(services.REPORT_LIMIT + 1):
        author = client_create(f"auteur{index}@example.com")
        review = review_publish(practitioner, author, day=index + 1)
        if index < services.REPORT_LIMIT:
            review_report(review=review, reporter=reporter, reason=ReportReason.SPAM)
    assert (
        _refusal(review_report, review=review, reporter=reporter, reason="spam") == "rate_limited"
    )
    assert Report.objects.count() == services.REPORT_LIMIT


def _actions(report) -> list[tuple[str, str]]:
    entries = ModelLogEntry.objects.for_instance(report).order_by("timestamp", "pk")
    return [(entry.action, entry.user.email) for entry in entries]


def test_an_upheld_report_removes_the_review_and_tells_the_reporter(
    review, reporter, moderator, django_capture_on_commit_callbacks
):
    report = review_report(review=review, reporter=reporter, reason=ReportReason.OFFENSIVE)
    assert report.status == ReportStatus.NEW
    assert report_take(report=report, by=moderator).status == ReportStatus.UNDER_REVIEW
    assert _refusal(report_take, report=report, by=moderator) == "not_new"

    with django_capture_on_commit_callbacks(execute=True):
        report_decide(
            report=report, by=moderator, upheld=True, decision="Propos injurieux.", action="remove"
        )

    report.refresh_from_db()
    review.refresh_from_db()
    assert review.status == ReviewStatus.REMOVED
    assert (report.status, report.decided_by, report.decision) == (
        ReportStatus.UPHELD,
        moderator,
        "Propos injurieux.",
    )
    assert report.decided_at is not None
    (message,) = mail.outbox
    assert message.to == [reporter.email]
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "signalement fondé" in part and "retiré" in part and "Propos injurieux." in part
        assert REVIEW_BODY not in part
    assert _actions(report) == [
        (services.ACTION_CREATE, reporter.email),
        (services.ACTION_TAKE, moderator.email),
        (services.ACTION_DECIDE, moderator.email),
    ]
    again = _refusal(report_decide, report=report, by=moderator, upheld=False, decision="Non")
    assert again == "decided"


def test_a_dismissed_report_changes_nothing_but_the_reporter_is_told(
    review, reporter, moderator, django_capture_on_commit_callbacks
):
    report = review_report(review=review, reporter=reporter, reason=ReportReason.FAKE)
    report_take(report=report, by=moderator)
    before = (review.status, review.body, review.edited_at)

    with django_capture_on_commit_callbacks(execute=True):
        report_decide(report=report, by=moderator, upheld=False, decision="Avis vérifié.")

    review.refresh_from_db()
    assert (review.status, review.body, review.edited_at) == before
    report.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED
    (message,) = mail.outbox
    assert "signalement rejeté" in message.body and "reste en ligne" in message.body
    assert REVIEW_BODY not in message.body


def test_an_upheld_report_may_edit_the_review_instead(review, reporter, moderator):
    report = review_report(review=review, reporter=reporter, reason=ReportReason.PERSONAL_DATA)
    code = _refusal(
        report_decide, report=report, by=moderator, upheld=True, decision="x", action="edit"
    )
    assert code == "bad_edit"
    assert _refusal(report_decide, report=report, by=moderator, upheld=True, decision=" ") == (
        "no_decision"
    )

    report_decide(
        report=report,
        by=moderator,
        upheld=True,
        decision="Nom d'un tiers retiré.",
        action="edit",
        edited_body="Séance très apaisante.",
    )

    review.refresh_from_db()
    assert (review.status, review.body) == (ReviewStatus.PUBLISHED, "Séance très apaisante.")
    assert review.edited_at is not None


def test_an_upheld_thread_report_closes_the_thread(
    thread, practitioner_user, moderator, django_capture_on_commit_callbacks
):
    report = services.thread_report(thread=thread, reporter=practitioner_user, reason="offensive")
    with django_capture_on_commit_callbacks(execute=True):
        report_decide(report=report, by=moderator, upheld=True, decision="Harcèlement.")

    thread.refresh_from_db()
    assert (thread.status, thread.closed_at is not None) == (ThreadStatus.CLOSED, True)
    (message,) = mail.outbox
    assert message.to == [practitioner_user.email]
    assert "un échange" in message.body and MESSAGE_BODY not in message.body
