"""The client's review page (from "Mes rendez-vous") and the practitioner's reviews page (their
area): thin views over exchanges.reviews.selectors and services."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from booking import selectors as booking_selectors
from booking.practitioner.access import PractitionerRequest, practitioner_required
from core.users import signed_in_user
from exchanges.models import Review, ReviewStatus
from exchanges.reviews import selectors, services
from exchanges.reviews.exceptions import ReviewError
from exchanges.reviews.forms import ReplyForm, ReviewForm


def _rules_context() -> dict:
    rules = selectors.review_rules_page()
    return {
        "rules": rules,
        "window_days": selectors.review_window_days(rules),
        "max_delay_days": rules.max_publication_delay_days if rules is not None else None,
    }


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def review_form(request: HttpRequest, reference: UUID) -> HttpResponse:
    """Review a completed appointment, or rewrite one's review of it (back to moderation).
    The rules are shown above the form, before anything is submitted."""
    user = signed_in_user(request.user)
    appointment = booking_selectors.client_appointment(client=user, reference=reference)
    if appointment is None:
        # Another client's reference and an unknown one look the same.
        raise Http404(_("Rendez-vous introuvable."))
    review = selectors.review_of_appointment(appointment)
    context = {"appointment": appointment, "review": review, **_rules_context()}
    if review is None:
        refusal = selectors.review_submit_refusal(
            appointment=appointment,
            author=user,
            now=timezone.now(),
            window_days=context["window_days"],
        )
    elif review.status == ReviewStatus.REMOVED:
        refusal = ReviewError(selectors.REMOVED_MESSAGE, code="removed")
    else:
        refusal = None
    if refusal is not None:
        context["refusal"] = refusal.message
        return render(request, "exchanges/reviews/review_form.html", context, status=403)

    initial = {"rating": review.rating, "body": review.body} if review else None
    form = ReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if review is None:
                services.review_submit(
                    appointment=appointment,
                    author=user,
                    rating=form.cleaned_data["rating"],
                    body=form.cleaned_data["body"],
                )
            else:
                services.review_edit(
                    review=review,
                    author=user,
                    rating=form.cleaned_data["rating"],
                    body=form.cleaned_data["body"],
                )
        except ReviewError as error:
            context.update(form=form, refusal=error.message)
            return render(request, "exchanges/reviews/review_form.html", context, status=409)
        messages.success(
            request,
            _("Merci ! Votre avis sera publié après modération, et vous serez prévenu par e-mail."),
        )
        return redirect("booking:my_appointments")
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "exchanges/reviews/review_form.html", context, status=status)


def _practitioner_page(
    request: PractitionerRequest, *, forms: dict[int, ReplyForm] | None = None, status: int = 200
) -> HttpResponse:
    reviews = list(selectors.practitioner_reviews(request.practitioner)[:200])
    forms = forms or {}
    rows = [
        {
            "review": review,
            "author": selectors.author_display(review),
            "can_reply": review.status == ReviewStatus.PUBLISHED
            and review.reply_status not in (ReviewStatus.PENDING, ReviewStatus.PUBLISHED),
            "form": forms.get(review.pk) or ReplyForm(prefix=f"r{review.pk}"),
        }
        for review in reviews
    ]
    context = {
        "practitioner": request.practitioner,
        "rows": rows,
        "summary": selectors.rating_summary(request.practitioner),
        **_rules_context(),
    }
    return render(request, "exchanges/reviews/practitioner_reviews.html", context, status=status)


@never_cache
@require_GET
@practitioner_required
def practitioner_reviews(request: PractitionerRequest) -> HttpResponse:
    return _practitioner_page(request)


@never_cache
@require_POST
@practitioner_required
def practitioner_reply(request: PractitionerRequest, review_id: int) -> HttpResponse:
    review = Review.objects.filter(pk=review_id, practitioner=request.practitioner).first()
    if review is None:
        # Another practitioner's review and an unknown one look the same.
        raise Http404
    form = ReplyForm(request.POST, prefix=f"r{review.pk}")
    if not form.is_valid():
        return _practitioner_page(request, forms={review.pk: form}, status=400)
    try:
        services.review_reply_submit(
            review=review,
            practitioner=request.practitioner,
            body=form.cleaned_data["reply"],
            by=signed_in_user(request.user),
        )
    except ReviewError as error:
        messages.error(request, error.message)
        return _practitioner_page(request, status=409)
    messages.success(request, _("Votre réponse sera publiée après modération."))
    return redirect("reviews:practitioner_reviews")
