"""Reports (signalements) of a review or of a question thread, and their moderation.

Every write runs in one transaction and leaves an entry in Wagtail's audit log on the report
(who, when, what; never the reported text). The reporter hears the outcome by e-mail, sent on
commit (emails.services.email_send), without a copy of what was reported.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from accounts.models import User
from core.counters import counter_key, window_counter_incr
from core.links import absolute_url
from emails.services import email_send
from exchanges.models import (
    REPORT_MAX_LENGTH,
    REVIEW_MAX_LENGTH,
    Report,
    ReportReason,
    ReportStatus,
    Review,
    ReviewRulesPage,
    ReviewStatus,
    Thread,
    ThreadStatus,
)
from staff.models import PractitionerAccount

# Audit-log actions (registered with their labels in exchanges/reports/admin.py).
ACTION_CREATE = "exchanges.report.create"
ACTION_TAKE = "exchanges.report.take"
ACTION_DECIDE = "exchanges.report.decide"

# What an upheld report does to the item.
ACTION_REMOVE = "remove"
ACTION_EDIT = "edit"

# A person reports a handful of items at most; more is a script or a campaign.
REPORT_LIMIT = 10
REPORT_WINDOW = 60 * 60


class ReportError(Exception):
    """A refused report or decision; nothing was changed. `message` is for the person."""

    def __init__(self, message: str, *, code: str) -> None:
        self.message = str(message)
        self.code = code
        super().__init__(self.message)


def _rate_limit(reporter: User) -> None:
    count = window_counter_incr(counter_key("report:user:", str(reporter.pk)), window=REPORT_WINDOW)
    if count > REPORT_LIMIT:
        raise ReportError(
            _("Vous avez envoyé beaucoup de signalements : réessayez dans une heure."),
            code="rate_limited",
        )


def _clean(reason: str, text: str) -> str:
    if reason not in ReportReason.values:
        raise ReportError(_("Choisissez un motif dans la liste."), code="bad_reason")
    text = text.strip()
    if len(text) > REPORT_MAX_LENGTH:
        raise ReportError(
            _("Les précisions sont limitées à %(max)s caractères.") % {"max": REPORT_MAX_LENGTH},
            code="too_long",
        )
    return text


def _create(**fields: object) -> Report:
    # The unique constraints are the rule (two tabs posting at once): a savepoint keeps the
    # caller's transaction usable when the second insert is refused.
    try:
        with transaction.atomic():
            report = Report.objects.create(**fields)
    except IntegrityError:
        raise ReportError(
            _("Vous avez déjà signalé ce contenu ; l'équipe de modération l'examine."),
            code="already_reported",
        ) from None
    return report


def _is_practitioner_of(user: User, page_id: int | None) -> bool:
    return (
        page_id is not None
        and PractitionerAccount.objects.filter(user=user, page_id=page_id).exists()
    )


def review_report(*, review: Review, reporter: User, reason: str, text: str = "") -> Report:
    """Anyone signed in reports a published review, once."""
    text = _clean(reason, text)
    if review.status != ReviewStatus.PUBLISHED:
        raise ReportError(_("Cet avis n'est pas en ligne."), code="not_published")
    if review.author_id == reporter.pk:
        raise ReportError(_("Vous ne pouvez pas signaler votre propre avis."), code="own_review")
    if Report.objects.filter(review=review, reporter=reporter).exists():
        raise ReportError(
            _("Vous avez déjà signalé cet avis ; l'équipe de modération l'examine."),
            code="already_reported",
        )
    _rate_limit(reporter)
    by_practitioner = _is_practitioner_of(reporter, review.practitioner.page_id)
    with transaction.atomic():
        report = _create(
            review=review,
            reporter=reporter,
            reason=reason,
            text=text,
            by_practitioner=by_practitioner,
        )
        log(
            instance=report,
            action=ACTION_CREATE,
            user=reporter,
            data={"review": review.pk, "reason": reason, "by_practitioner": by_practitioner},
        )
    return report


def thread_report(*, thread: Thread, reporter: User, reason: str, text: str = "") -> Report:
    """The thread's practitioner reports it (the client's questions go to them only)."""
    text = _clean(reason, text)
    if not _is_practitioner_of(reporter, thread.practitioner.page_id):
        raise ReportError(
            _("Seul le praticien de cet échange peut le signaler."), code="not_allowed"
        )
    if Report.objects.filter(thread=thread, reporter=reporter).exists():
        raise ReportError(
            _("Vous avez déjà signalé cet échange ; l'équipe de modération l'examine."),
            code="already_reported",
        )
    _rate_limit(reporter)
    with transaction.atomic():
        report = _create(
            thread=thread, reporter=reporter, reason=reason, text=text, by_practitioner=True
        )
        log(
            instance=report,
            action=ACTION_CREATE,
            user=reporter,
            data={"thread": thread.pk, "reason": reason},
        )
    return report


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def report_take(*, report: Report, by: User) -> Report:
    """A moderator takes a new report: under review (a report already taken stays as is)."""
    with transaction.atomic():
        report = _locked(report)
        if report.status != ReportStatus.NEW:
            raise ReportError(_("Ce signalement est déjà pris en charge."), code="not_new")
        report.status = ReportStatus.UNDER_REVIEW
        report.save(update_fields=["status"])
        log(instance=report, action=ACTION_TAKE, user=by, data={})
    return report


def report_decide(
    *,
    report: Report,
    by: User,
    upheld: bool,
    decision: str,
    action: str = ACTION_REMOVE,
    edited_body: str = "",
) -> Report:
    """Decide a report under review, once, with a reason.

    Upheld: the review is removed (status REMOVED) or its body replaced by the moderator's
    edited text (edited_at set: the public date of the update), the thread closed. Dismissed:
    the item is left as it is. The reporter hears the outcome on commit.
    """
    decision = decision.strip()
    if not decision:
        raise ReportError(_("Motivez la décision."), code="no_decision")
    with transaction.atomic():
        report = _locked(report)
        if report.status not in (ReportStatus.NEW, ReportStatus.UNDER_REVIEW):
            raise ReportError(_("Ce signalement a déjà été tranché."), code="decided")
        now = timezone.now()
        if upheld:
            _uphold(report, action=action, edited_body=edited_body, now=now)
        report.status = ReportStatus.UPHELD if upheld else ReportStatus.DISMISSED
        report.decision = decision
        report.decided_by = by
        report.decided_at = now
        report.save(update_fields=["status", "decision", "decided_by", "decided_at"])
        log(
            instance=report,
            action=ACTION_DECIDE,
            user=by,
            data={"upheld": upheld, "action": action if upheld else "", "decision": decision},
        )
        if report.reporter is not None:
            _outcome_send(report, action=action if upheld else "")
    return report


def _uphold(report: Report, *, action: str, edited_body: str, now: datetime) -> None:
    if report.review_id is not None:
        review = Review.objects.select_for_update().get(pk=report.review_id)
        if action == ACTION_EDIT:
            edited_body = edited_body.strip()
            if not edited_body or len(edited_body) > REVIEW_MAX_LENGTH:
                raise ReportError(
                    _("Le texte modifié de l'avis est vide ou trop long (%(max)s caractères).")
                    % {"max": REVIEW_MAX_LENGTH},
                    code="bad_edit",
                )
            review.body = edited_body
            review.edited_at = now
            review.save(update_fields=["body", "edited_at"])
        elif action == ACTION_REMOVE:
            review.status = ReviewStatus.REMOVED
            review.save(update_fields=["status"])
        else:
            raise ReportError(_("Choisissez une suite à donner."), code="bad_action")
    elif report.thread_id is not None:
        if action != ACTION_REMOVE:
            raise ReportError(_("Un échange ne peut qu'être clos."), code="bad_action")
        Thread.objects.filter(pk=report.thread_id).update(status=ThreadStatus.CLOSED, closed_at=now)
    # A report whose item is gone (deleted by its own retention) is decided without effect.


OUTCOMES = {
    (True, ACTION_REMOVE): gettext_lazy("Le contenu signalé a été retiré."),
    (True, ACTION_EDIT): gettext_lazy("Le contenu signalé a été modifié."),
    (False, ""): gettext_lazy("Le contenu signalé reste en ligne."),
}


def _outcome_send(report: Report, *, action: str) -> None:
    # Never the reported text: the reporter knows what they reported, and an e-mail travels.
    assert report.reporter is not None
    upheld = report.status == ReportStatus.UPHELD
    rules = ReviewRulesPage.objects.live().first()
    email_send(
        to=report.reporter.email,
        template="exchanges/reports/outcome",
        context={
            "user": report.reporter,
            "report": report,
            "upheld": upheld,
            "is_review": report.review_id is not None,
            "outcome": OUTCOMES[(upheld, action)],
            "rules_url": rules.get_full_url() if rules else absolute_url("/"),
        },
    )
