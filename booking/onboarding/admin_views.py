"""The editors' register of practitioners in the Wagtail admin (/admin/praticiens/).

Editors (booking.change_practitioner) see every profile with its state and act on one: open
booking, invite or link an account, suspend or resume online booking, revoke access. The views
only read the request and call booking.onboarding.services.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from booking.onboarding import selectors, services
from booking.onboarding.exceptions import OnboardingError
from booking.onboarding.forms import InviteForm, LinkExistingForm, SuspendForm
from cms.models import PractitionerPage
from core.users import signed_in_user

PERMISSION = "booking.change_practitioner"


def _editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_editor_required
def register(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    rows = selectors.practitioner_register_rows(search=search)
    return render(request, "booking/onboarding/register.html", {"rows": rows, "search": search})


def _detail(request: HttpRequest, page: PractitionerPage, *, status: int = 200, **forms: object):
    row = selectors.practitioner_register_row(page=page)
    history = (
        selectors.practitioner_history(practitioner=row.practitioner)[:50]
        if row.practitioner
        else []
    )
    context = {
        "row": row,
        "history": history,
        "invite_form": InviteForm(),
        "link_form": LinkExistingForm(),
        "suspend_form": SuspendForm(),
        **forms,
    }
    return render(request, "booking/onboarding/detail.html", context, status=status)


@_editor_required
def detail(request: HttpRequest, page_id: int) -> HttpResponse:
    return _detail(request, get_object_or_404(PractitionerPage, pk=page_id))


def _done(request: HttpRequest, page: PractitionerPage, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("booking_onboarding_detail", page_id=page.pk)


def _practitioner_or_409(request: HttpRequest, page: PractitionerPage):
    practitioner = getattr(page, "bookable", None)
    if practitioner is None:
        messages.error(request, _("Ouvrez d'abord la réservation pour cette fiche."))
    return practitioner


@require_POST
@_editor_required
def booking_open(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(PractitionerPage, pk=page_id)
    services.practitioner_booking_open(page=page, by=signed_in_user(request.user))
    return _done(request, page, _("La réservation est ouverte pour cette fiche."))


def _by_email(
    request: HttpRequest,
    page_id: int,
    *,
    form_class: type[InviteForm] | type[LinkExistingForm],
    form_name: str,
    act: Callable[..., str],
    done: str,
) -> HttpResponse:
    """The two actions that take an address (invite, link an account): one form, one refusal
    path; `act(practitioner=, email=, by=)` returns the address the message names."""
    page = get_object_or_404(PractitionerPage, pk=page_id)
    form = form_class(request.POST)
    practitioner = _practitioner_or_409(request, page)
    if practitioner is None or not form.is_valid():
        return _detail(request, page, status=400, **{form_name: form})
    try:
        email = act(
            practitioner=practitioner,
            email=form.cleaned_data["email"],
            by=signed_in_user(request.user),
        )
    except OnboardingError as error:
        form.add_error(None, error.message)
        return _detail(request, page, status=409, **{form_name: form})
    return _done(request, page, done % {"email": email})


@require_POST
@_editor_required
def invite(request: HttpRequest, page_id: int) -> HttpResponse:
    return _by_email(
        request,
        page_id,
        form_class=InviteForm,
        form_name="invite_form",
        act=lambda **kwargs: services.practitioner_invite(**kwargs).email,
        done=_("Invitation envoyée à %(email)s."),
    )


@require_POST
@_editor_required
def account_link(request: HttpRequest, page_id: int) -> HttpResponse:
    return _by_email(
        request,
        page_id,
        form_class=LinkExistingForm,
        form_name="link_form",
        act=lambda **kwargs: services.practitioner_account_link_existing(**kwargs).email,
        done=_("Le compte %(email)s gère désormais cette fiche."),
    )


@require_POST
@_editor_required
def suspend(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(PractitionerPage, pk=page_id)
    form = SuspendForm(request.POST)
    practitioner = _practitioner_or_409(request, page)
    if practitioner is None or not form.is_valid():
        return _detail(request, page, status=400, suspend_form=form)
    services.practitioner_booking_suspend(
        practitioner=practitioner,
        by=signed_in_user(request.user),
        reason=form.cleaned_data["reason"],
    )
    return _done(
        request, page, _("Réservation en ligne suspendue : les rendez-vous pris sont conservés.")
    )


@require_POST
@_editor_required
def resume(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(PractitionerPage, pk=page_id)
    practitioner = _practitioner_or_409(request, page)
    if practitioner is None:
        return _detail(request, page, status=400)
    services.practitioner_booking_resume(practitioner=practitioner, by=signed_in_user(request.user))
    return _done(request, page, _("La réservation en ligne a repris."))


@require_POST
@_editor_required
def revoke(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(PractitionerPage, pk=page_id)
    practitioner = _practitioner_or_409(request, page)
    if practitioner is None:
        return _detail(request, page, status=400)
    user = services.practitioner_access_revoke(
        practitioner=practitioner, by=signed_in_user(request.user)
    )
    if user is None:
        return _done(request, page, _("Cette fiche n'avait pas de compte : invitations retirées."))
    return _done(
        request,
        page,
        _("Accès retiré à %(email)s : sessions fermées, double authentification supprimée.")
        % {"email": user.email},
    )
