"""The moderators' review queue in the Wagtail admin (/admin/moderation-avis/).

Moderators (exchanges.change_review, the Moderators group) see the pending reviews and the
pending practitioner answers, oldest first, and publish or refuse each with a reason of the
published rules page. The views only read the request and call exchanges.reviews.services.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import ModelLogEntry

from core.users import signed_in_user
from exchanges.models import Review
from exchanges.reviews import selectors, services
from exchanges.reviews.exceptions import ReviewError
from exchanges.reviews.forms import RefuseForm

PERMISSION = "exchanges.change_review"
QUEUE_LIMIT = 200


def moderator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_GET
@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    context = {
        "reviews": list(selectors.pending_reviews()[:QUEUE_LIMIT]),
        "replies": list(selectors.pending_replies()[:QUEUE_LIMIT]),
        "rules": selectors.review_rules_page(),
    }
    return render(request, "exchanges/reviews/admin/queue.html", context)


def _detail(request: HttpRequest, review: Review, *, status: int = 200, **forms: object):
    rules = selectors.review_rules_page()
    context = {
        "review": review,
        "author": selectors.author_display(review),
        "rules": rules,
        "refuse_form": RefuseForm(rules=rules, prefix="review"),
        "reply_refuse_form": RefuseForm(rules=rules, prefix="reply"),
        "history": ModelLogEntry.objects.for_instance(review).select_related("user")[:50],
        **forms,
    }
    return render(request, "exchanges/reviews/admin/detail.html", context, status=status)


def _review_or_404(review_id: int) -> Review:
    return get_object_or_404(
        Review.objects.select_related("author", "practitioner__page", "appointment"), pk=review_id
    )


@require_GET
@moderator_required
def detail(request: HttpRequest, review_id: int) -> HttpResponse:
    return _detail(request, _review_or_404(review_id))


def _decided(request: HttpRequest, review: Review, decide: Callable[[], object], done: str):
    try:
        decide()
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect("exchanges_reviews_detail", review.pk)
    messages.success(request, done)
    return redirect("exchanges_reviews_queue")


@require_POST
@moderator_required
def publish(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review_or_404(review_id)
    by = signed_in_user(request.user)
    return _decided(
        request,
        review,
        lambda: services.review_publish(review=review, by=by),
        _("Avis publié ; son auteur en est informé."),
    )


@require_POST
@moderator_required
def refuse(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review_or_404(review_id)
    form = RefuseForm(request.POST, rules=selectors.review_rules_page(), prefix="review")
    if not form.is_valid():
        return _detail(request, review, status=400, refuse_form=form)
    by = signed_in_user(request.user)
    reason = form.cleaned_data["reason"]
    return _decided(
        request,
        review,
        lambda: services.review_refuse(review=review, by=by, reason=reason),
        _("Avis refusé ; son auteur reçoit le motif par e-mail."),
    )


@require_POST
@moderator_required
def reply_publish(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review_or_404(review_id)
    by = signed_in_user(request.user)
    return _decided(
        request,
        review,
        lambda: services.review_reply_publish(review=review, by=by),
        _("Réponse publiée ; le praticien en est informé."),
    )


@require_POST
@moderator_required
def reply_refuse(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review_or_404(review_id)
    form = RefuseForm(request.POST, rules=selectors.review_rules_page(), prefix="reply")
    if not form.is_valid():
        return _detail(request, review, status=400, reply_refuse_form=form)
    by = signed_in_user(request.user)
    reason = form.cleaned_data["reason"]
    return _decided(
        request,
        review,
        lambda: services.review_reply_refuse(review=review, by=by, reason=reason),
        _("Réponse refusée ; le praticien reçoit le motif par e-mail."),
    )
