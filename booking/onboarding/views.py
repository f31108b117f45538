"""The practitioner's side of an invitation: /espace-praticien/invitation/<token>/."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.models import User
from accounts.services import user_login_complete
from booking.onboarding import services
from booking.onboarding.exceptions import InvitationInvalid, OnboardingError
from booking.onboarding.forms import InvitationAcceptForm

TEMPLATE = "booking/onboarding/invitation.html"


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Create the account (or use the signed-in one), link it to the page, go to the area.

    The area itself then asks for two factors (booking.practitioner.access), as for every
    practitioner: the invitation does not skip that step.
    """
    try:
        invitation = services.invitation_for_token(token)
    except InvitationInvalid as error:
        return render(request, TEMPLATE, {"invalid": error.message}, status=410)
    user = request.user if request.user.is_authenticated else None
    page_title = invitation.practitioner.page.title if invitation.practitioner.page else ""
    context: dict[str, object] = {"invitation": invitation, "page_title": page_title}

    if user is not None:
        if user.get_username().lower() != invitation.email:
            return render(request, TEMPLATE, {**context, "other_account": user}, status=403)
        if request.method == "POST":
            return _accept(request, token, context, user=user)
        return render(request, TEMPLATE, {**context, "confirm": True})

    if User.objects.filter(email__iexact=invitation.email).exists():
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, TEMPLATE, {**context, "sign_in": True})

    form = InvitationAcceptForm(
        request.POST if request.method == "POST" else None, email=invitation.email
    )
    if request.method == "POST" and form.is_valid():
        return _accept(
            request,
            token,
            {**context, "form": form},
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
        )
    status = 400 if request.method == "POST" else 200
    return render(request, TEMPLATE, {**context, "form": form}, status=status)


def _accept(
    request: HttpRequest,
    token: str,
    context: dict[str, object],
    *,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> HttpResponse:
    signed_in = user is not None
    try:
        user = services.invitation_accept(
            token=token, user=user, first_name=first_name, last_name=last_name, password=password
        )
    except InvitationInvalid as error:
        return render(request, TEMPLATE, {"invalid": error.message}, status=410)
    except OnboardingError as error:
        return render(request, TEMPLATE, {**context, "error": error.message}, status=409)
    if not signed_in:
        user_login_complete(request=request, user=user, remember=False)
    return redirect("practitioner:agenda")
