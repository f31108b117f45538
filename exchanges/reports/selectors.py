"""Reads of the report queue: reports by status, one report with its item."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from exchanges.models import Message, Report, ReportStatus


def _with_item(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.select_related(
        "reporter", "decided_by", "review__practitioner__page", "thread__practitioner__page"
    )


def reports_queue(*, status: str | None = None) -> QuerySet[Report]:
    """The queue, oldest first among open reports (first come, first handled)."""
    reports = _with_item(Report.objects.all())
    if status:
        reports = reports.filter(status=status)
    if status in (None, ReportStatus.NEW, ReportStatus.UNDER_REVIEW):
        return reports.order_by("created_at")
    return reports.order_by("-decided_at", "-created_at")


def report_status_counts() -> dict[str, int]:
    """How many reports each status holds (every status named, zero included)."""
    counts = dict(
        Report.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in ReportStatus.values}


def report_get(*, report_id: int) -> Report | None:
    return _with_item(Report.objects.filter(pk=report_id)).first()


def thread_messages(*, thread_id: int) -> QuerySet[Message]:
    return Message.objects.filter(thread_id=thread_id).order_by("created_at")
