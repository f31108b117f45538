"""The moderators' report queue in the Wagtail admin (/admin/signalements/).

Only users holding exchanges.change_report (the Moderators group) get in; other staff get a
403 page. Opening a report about a thread shows its messages: each such read writes an
ExchangeAccessLog row naming the report, since the exchange belongs to the user and the
practitioner. The views read the request and call exchanges.reports.services.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.users import signed_in_user
from exchanges.models import ExchangeAccessLog, Report, ReportStatus
from exchanges.reports import selectors, services
from exchanges.reports.forms import DISMISS, DecisionForm

PERMISSION = "exchanges.change_report"


def moderator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        # A plain 403 page: Wagtail would turn PermissionDenied into a redirect to the
        # dashboard, which tells neither the moderator nor an auditor what was refused.
        if not request.user.has_perm(PERMISSION):
            return render(request, "exchanges/reports/admin/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut", ReportStatus.NEW)
    if status not in ReportStatus.values and status != "tous":
        status = ReportStatus.NEW
    reports = selectors.reports_queue(status=None if status == "tous" else status)[:200]
    counts = selectors.report_status_counts()
    tabs = [(value, label, counts[value]) for value, label in ReportStatus.choices]
    context = {"reports": reports, "status": status, "tabs": tabs, "total": sum(counts.values())}
    return render(request, "exchanges/reports/admin/queue.html", context)


def _report_or_404(report_id: int) -> Report:
    report = selectors.report_get(report_id=report_id)
    if report is None:
        raise Http404
    return report


def _detail(request: HttpRequest, report: Report, form: DecisionForm, *, status: int = 200):
    thread_messages = None
    if report.thread_id is not None:
        # Reading a user's exchange is logged, with the report that justifies it.
        ExchangeAccessLog.objects.create(
            thread_id=report.thread_id, user=signed_in_user(request.user), report=report
        )
        thread_messages = list(selectors.thread_messages(thread_id=report.thread_id))
    context = {
        "report": report,
        "form": form,
        "thread_messages": thread_messages,
        "is_open": report.status in (ReportStatus.NEW, ReportStatus.UNDER_REVIEW),
    }
    return render(request, "exchanges/reports/admin/detail.html", context, status=status)


@moderator_required
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(report_id)
    return _detail(request, report, DecisionForm(is_review=report.thread_id is None))


@require_POST
@moderator_required
def take(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(report_id)
    try:
        services.report_take(report=report, by=signed_in_user(request.user))
    except services.ReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Signalement pris en charge."))
    return redirect("exchanges_report_detail", report_id=report.pk)


@require_POST
@moderator_required
def decide(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(report_id)
    form = DecisionForm(request.POST, is_review=report.thread_id is None)
    if not form.is_valid():
        return _detail(request, report, form, status=400)
    outcome = form.cleaned_data["outcome"]
    try:
        services.report_decide(
            report=report,
            by=signed_in_user(request.user),
            upheld=outcome != DISMISS,
            decision=form.cleaned_data["decision"],
            action="" if outcome == DISMISS else outcome,
            edited_body=form.cleaned_data.get("edited_body", ""),
        )
    except services.ReportError as error:
        form.add_error(None, error.message)
        return _detail(request, report, form, status=409 if error.code == "decided" else 400)
    messages.success(request, _("Décision enregistrée ; l'auteur du signalement est informé."))
    return redirect("exchanges_report_detail", report_id=report.pk)
