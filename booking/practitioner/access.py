"""Who may enter the practitioner area (/espace-praticien/): the rule, in one decorator.

A practitioner's agenda holds their clients' names, e-mails and phone numbers: the same bar as
the admin applies (a linked practitioner account AND a session verified with a second factor).
"""

from collections.abc import Callable
from functools import wraps
from typing import cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from booking.models import Practitioner
from core.second_factor import second_factor_redirect
from staff.models import PractitionerAccount


class PractitionerRequest(HttpRequest):
    """A request let through by practitioner_required: it carries the bookable practitioner."""

    practitioner: Practitioner


def practitioner_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serves the view to a practitioner with a verified session; sets request.practitioner.

    Anonymous visitors go to the login page; signed-in users without a practitioner account get
    a 403; a practitioner whose session was opened with the password alone is sent to enrol an
    authenticator app, or, if they have one, signed out and asked for the password and the code
    (the front-end login asks for the code of every enrolled account, so that session is stale).
    It only reads: a page whose booking side was never opened gets a page that says so.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        account = PractitionerAccount.objects.select_related("page").filter(user=user).first()
        if account is None:
            raise PermissionDenied(_("Cet espace est réservé aux praticiens."))
        # is_verified() is installed on the user by django_otp's OTPMiddleware.
        if not user.is_verified():  # type: ignore[attr-defined]
            return second_factor_redirect(
                request,
                login_url_name="accounts:login",
                after_post_url=reverse("practitioner:agenda"),
                enrol_message=_(
                    "L'espace praticien exige la double authentification : activez-la pour "
                    "continuer."
                ),
            )
        practitioner = Practitioner.objects.filter(page_id=account.page_id).first()
        if practitioner is None:
            return render(
                request,
                "booking/practitioner/not_open.html",
                {"page": account.page},
                status=409 if request.method == "POST" else 200,
            )
        let_in = cast(PractitionerRequest, request)
        let_in.practitioner = practitioner
        return view(let_in, *args, **kwargs)

    return wrapper
