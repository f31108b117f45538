"""The report pages: signed-in only, a reason from the list, one report per person per item,
threads reported from the practitioner area by their own practitioner."""

from django.urls import reverse

from exchanges.models import Report, ReportReason
from tests.booking.practitioner_helpers import practitioner_user_create
from tests.exchanges.reports.conftest import REVIEW_BODY
from tests.factories import bookable_practitioner_create, otp_login
from tests.html import assert_valid_accessible_html


def _review_url(review) -> str:
    return reverse("reports:review_report", kwargs={"review_id": review.pk})


def _thread_url(thread) -> str:
    return reverse("reports:thread_report", kwargs={"thread_id": thread.pk})


def test_anonymous_visitors_are_sent_to_the_login_page(client, review, thread):
    for url in (_review_url(review), _thread_url(thread)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(_review_url(review), {"reason": "spam"}).status_code == 302
    assert not Report.objects.exists()


def test_a_signed_in_reader_reports_a_review_once_without_javascript(client, review, reporter):
    client.force_login(reporter)
    form = client.get(_review_url(review))
    assert form.status_code == 200
    assert REVIEW_BODY in form.text and 'value="offensive"' in form.text
    assert_valid_accessible_html(form.content)

    sent = client.post(_review_url(review), {"reason": "offensive", "text": "Insultes"})
    assert (sent.status_code, sent["Location"]) == (302, _review_url(review))
    report = Report.objects.get()
    assert (report.review, report.reporter, report.reason, report.text) == (
        review,
        reporter,
        ReportReason.OFFENSIVE,
        "Insultes",
    )
    after = client.get(_review_url(review))
    assert "Envoyé le" in after.text and 'name="reason"' not in after.text
    assert_valid_accessible_html(after.content)
    again = client.post(_review_url(review), {"reason": "spam"})
    assert again.status_code == 409
    assert Report.objects.count() == 1


def test_a_bad_reason_is_a_400_and_nothing_is_stored(client, review, reporter):
    client.force_login(reporter)
    refused = client.post(_review_url(review), {"reason": "pas-un-motif"})
    assert refused.status_code == 400
    assert_valid_accessible_html(refused.content)
    assert client.post(_review_url(review), {}).status_code == 400
    assert client.post(_review_url(review), {"reason": "spam", "text": "x" * 1001}).status_code == (
        400
    )
    assert not Report.objects.exists()


def test_unpublished_or_unknown_reviews_and_ones_own_are_refused(client, review, author, reporter):
    client.force_login(author)
    assert client.get(_review_url(review)).status_code == 403
    client.force_login(reporter)
    assert client.get(reverse("reports:review_report", kwargs={"review_id": 999})).status_code == (
        404
    )
    review.status = "pending"
    review.save()
    assert client.post(_review_url(review), {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_the_practitioner_reports_their_thread(client, thread, practitioner_user):
    otp_login(client, practitioner_user)
    form = client.get(_thread_url(thread))
    assert form.status_code == 200
    assert_valid_accessible_html(form.content)

    sent = client.post(_thread_url(thread), {"reason": "offensive"})
    assert sent.status_code == 302
    report = Report.objects.get()
    assert (report.thread, report.reporter) == (thread, practitioner_user)
    assert client.post(_thread_url(thread), {"reason": "spam"}).status_code == 409


def test_a_client_or_another_practitioner_cannot_report_a_thread(client, thread, author, directory):
    client.force_login(author)
    assert client.post(_thread_url(thread), {"reason": "spam"}).status_code == 403
    other = bookable_practitioner_create(directory, title="Inès Garnier")
    otp_login(client, practitioner_user_create(other, "ines@praticien.example"))
    assert client.post(_thread_url(thread), {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()
