"""The question pages: asking from a profile, the user's threads in their account, the
practitioner's in their area. Each thread query starts from its owner: another person's
thread is a 404, never a 403 that would confirm it exists."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from booking.models import Appointment, Practitioner
from booking.practitioner.access import PractitionerRequest, practitioner_required
from booking.selectors import client_appointment
from core.users import signed_in_user
from exchanges.models import Thread, ThreadStatus
from exchanges.questions import selectors, services
from exchanges.questions.forms import QuestionForm, ReplyForm
from exchanges.questions.retention import RETENTION_YEARS

RATE_LIMITED_TEMPLATE = "exchanges/questions/rate_limited.html"


def _refused(request: HttpRequest, form, error: services.QuestionError, template: str, context):
    """A refusal from the services: 429 for the rate limit, 409 for a thread closed meanwhile,
    else the form again with a 400."""
    if isinstance(error, services.RateLimited):
        return render(request, RATE_LIMITED_TEMPLATE, {"message": error.message}, status=429)
    form.add_error(None, error.message)
    status = 409 if isinstance(error, services.ThreadClosedError) else 400
    return render(request, template, {**context, "form": form}, status=status)


APPOINTMENT_PARAM = "rendez-vous"


def _appointment(request: HttpRequest, practitioner: Practitioner) -> Appointment | None:
    """The appointment a question is about (?rendez-vous=<reference>): the user's own with
    this practitioner; any other reference, or a malformed one, is a 404."""
    raw = request.GET.get(APPOINTMENT_PARAM)
    if not raw:
        return None
    try:
        reference = UUID(raw)
    except ValueError:
        raise Http404 from None
    appointment = client_appointment(client=signed_in_user(request.user), reference=reference)
    if appointment is None or appointment.practitioner_id != practitioner.pk:
        raise Http404
    return appointment


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ask(request: HttpRequest, page_id: int) -> HttpResponse:
    """The question form; `?rendez-vous=<reference>` ties the question to an appointment."""
    user = signed_in_user(request.user)
    practitioner = selectors.questions_practitioner(page_id)
    if practitioner is None:
        raise Http404
    appointment = _appointment(request, practitioner)
    template = "exchanges/questions/ask.html"
    context = {
        "practitioner": practitioner,
        "page": practitioner.page,
        "appointment": appointment,
        "years": RETENTION_YEARS,
    }
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return render(request, template, {**context, "form": form})
    if not form.is_valid():
        return render(request, template, {**context, "form": form}, status=400)
    try:
        thread = services.thread_start(
            user=user,
            practitioner=practitioner,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            appointment=appointment,
        )
    except services.QuestionError as error:
        return _refused(request, form, error, template, context)
    messages.success(request, _("Votre question est envoyée. Vous serez prévenu par e-mail."))
    return redirect("questions:my_thread", pk=thread.pk)


def _thread_page(request: HttpRequest, thread: Thread, *, face: str, extra: dict) -> HttpResponse:
    """A thread with its reply form (GET), or a reply (POST), for either side."""
    user = signed_in_user(request.user)
    template = f"exchanges/questions/{face}_thread.html"
    context = {
        **extra,
        "thread": thread,
        "thread_messages": selectors.thread_messages(thread).select_related("author"),
        "open": thread.status == ThreadStatus.OPEN,
        "years": RETENTION_YEARS,
    }
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return render(request, template, {**context, "form": form})
    if not form.is_valid():
        return render(request, template, {**context, "form": form}, status=400)
    try:
        services.thread_reply(thread=thread, by=user, body=form.cleaned_data["body"])
    except services.QuestionError as error:
        return _refused(request, form, error, template, context)
    messages.success(request, _("Votre message est envoyé."))
    return redirect(request.path)


def _close(request: HttpRequest, thread: Thread) -> None:
    services.thread_close(thread=thread, by=signed_in_user(request.user))
    messages.success(request, _("L'échange est clos : plus personne ne peut y répondre."))


# --- The user's account -------------------------------------------------------------------------


def _own_thread(request: HttpRequest, pk: int) -> Thread:
    thread = selectors.user_thread(signed_in_user(request.user), pk)
    if thread is None:
        raise Http404
    return thread


@never_cache
@require_GET
@login_required
def my_threads(request: HttpRequest) -> HttpResponse:
    threads = selectors.user_threads(signed_in_user(request.user))
    return render(request, "exchanges/questions/my_threads.html", {"threads": threads})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def my_thread(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_page(request, _own_thread(request, pk), face="my", extra={})


@require_POST
@login_required
def my_thread_close(request: HttpRequest, pk: int) -> HttpResponse:
    _close(request, _own_thread(request, pk))
    return redirect("questions:my_thread", pk=pk)


# --- The practitioner area ----------------------------------------------------------------------


def _practitioner_thread(request: PractitionerRequest, pk: int) -> Thread:
    thread = selectors.practitioner_thread(request.practitioner, pk)
    if thread is None:
        raise Http404
    return thread


@never_cache
@require_GET
@practitioner_required
def practitioner_threads(request: PractitionerRequest) -> HttpResponse:
    return render(
        request,
        "exchanges/questions/practitioner_threads.html",
        {
            "practitioner": request.practitioner,
            "threads": selectors.practitioner_threads(request.practitioner),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@practitioner_required
def practitioner_thread(request: PractitionerRequest, pk: int) -> HttpResponse:
    thread = _practitioner_thread(request, pk)
    return _thread_page(
        request, thread, face="practitioner", extra={"practitioner": request.practitioner}
    )


@require_POST
@practitioner_required
def practitioner_thread_close(request: PractitionerRequest, pk: int) -> HttpResponse:
    _close(request, _practitioner_thread(request, pk))
    return redirect("questions:practitioner_thread", pk=pk)
