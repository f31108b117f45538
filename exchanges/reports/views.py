"""The report pages: a review (anyone signed in) and a question thread (its practitioner).

Plain forms (no JavaScript needed). After a report the page says it was sent; coming back
shows the same (one report per person per item). Refusals are 4xx pages, never a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
    existing = Report.objects.filter(review=review, reporter=user).first()
    form = ReportForm(request.POST if request.method == "POST" and existing is None else None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            review_report(
                review=review,
                reporter=user,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ReportError as error:
            form.add_error(None, error.message)
            status = _status(error)
        else:
            messages.success(
                request, _("Merci : votre signalement a été transmis à la modération.")
            )
            return redirect("reports:review_report", review_id=review.pk)
    elif form.is_bound:
        status = 400
    elif request.method == "POST":  # already reported: nothing more to send
        status = 409
    context = {
        "review": review,
        "page": review.practitioner.page,
        "form": form,
        "existing": existing,
    }
    return render(request, "exchanges/reports/review_report.html", context, status=status)


@practitioner_required
@require_http_methods(["GET", "POST"])
def thread_report_view(request: PractitionerRequest, thread_id: int) -> HttpResponse:
    user = signed_in_user(request.user)
    # Another practitioner's thread does not exist for this one.
    thread = get_object_or_404(Thread, pk=thread_id, practitioner=request.practitioner)
    existing = Report.objects.filter(thread=thread, reporter=user).first()
    form = ReportForm(request.POST if request.method == "POST" and existing is None else None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            thread_report(
                thread=thread,
                reporter=user,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ReportError as error:
            form.add_error(None, error.message)
            status = _status(error)
        else:
            messages.success(
                request, _("Merci : votre signalement a été transmis à la modération.")
            )
            return redirect("reports:thread_report", thread_id=thread.pk)
    elif form.is_bound:
        status = 400
    elif request.method == "POST":
        status = 409
    context = {
        "practitioner": request.practitioner,
        "thread": thread,
        "form": form,
        "existing": existing,
    }
    return render(request, "exchanges/reports/thread_report.html", context, status=status)
