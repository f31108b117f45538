"""The report pages: a review (anyone signed in) and a question thread (its practitioner).

Plain forms (no JavaScript needed). After a report the page says it was sent; coming back
shows the same (one report per person per item). Refusals are 4xx pages, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from booking.practitioner.access import PractitionerRequest, practitioner_required
from core.users import signed_in_user
from exchanges.models import Report, Review, ReviewStatus, Thread
from exchanges.reports.forms import ReportForm
from exchanges.reports.services import ReportError, review_report, thread_report

SENT = gettext_lazy("Merci : votre signalement a été transmis à la modération.")
STATUS_BY_CODE = {"already_reported": 409, "rate_limited": 429, "own_review": 403}


def _status(error: ReportError) -> int:
    return STATUS_BY_CODE.get(error.code, 400)


def _report_page(
    request: HttpRequest,
    *,
    existing: Report | None,
    send: Callable[[dict[str, Any]], object],
    sent_url: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The form, its refusals as 4xx, and after a report a redirect to the same page, which
    then says it was sent (one report per person per item: a second POST is a 409)."""
    form = ReportForm(request.POST if request.method == "POST" and existing is None else None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            send(form.cleaned_data)
        except ReportError as error:
            form.add_error(None, error.message)
            status = _status(error)
        else:
            messages.success(request, SENT)
            return redirect(sent_url)
    elif form.is_bound:
        status = 400
    elif request.method == "POST":  # already reported: nothing more to send
        status = 409
    return render(request, template, {**context, "form": form, "existing": existing}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_report_view(request: HttpRequest, review_id: int) -> HttpResponse:
    user = signed_in_user(request.user)
    review = get_object_or_404(
        Review.objects.select_related("practitioner__page"),
        pk=review_id,
        status=ReviewStatus.PUBLISHED,
    )
    if review.practitioner.page is None or not review.practitioner.page.live:
        raise Http404
    if review.author_id == user.pk:
        raise PermissionDenied(_("Vous ne pouvez pas signaler votre propre avis."))
    return _report_page(
        request,
        existing=Report.objects.filter(review=review, reporter=user).first(),
        send=lambda data: review_report(
            review=review, reporter=user, reason=data["reason"], text=data["text"]
        ),
        sent_url=reverse("reports:review_report", kwargs={"review_id": review.pk}),
        template="exchanges/reports/review_report.html",
        context={"review": review, "page": review.practitioner.page},
    )


@practitioner_required
@require_http_methods(["GET", "POST"])
def thread_report_view(request: PractitionerRequest, thread_id: int) -> HttpResponse:
    user = signed_in_user(request.user)
    # Another practitioner's thread does not exist for this one.
    thread = get_object_or_404(Thread, pk=thread_id, practitioner=request.practitioner)
    return _report_page(
        request,
        existing=Report.objects.filter(thread=thread, reporter=user).first(),
        send=lambda data: thread_report(
            thread=thread, reporter=user, reason=data["reason"], text=data["text"]
        ),
        sent_url=reverse("reports:thread_report", kwargs={"thread_id": thread.pk}),
        template="exchanges/reports/thread_report.html",
        context={"practitioner": request.practitioner, "thread": thread},
    )
