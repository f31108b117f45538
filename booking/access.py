"""Who may enter the practitioner area (/espace-praticien/): the rule, in one decorator.

A practitioner's agenda holds their clients' names, e-mails and phone numbers: the same bar as
the admin applies (a linked practitioner account AND a session verified with a second factor).
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from booking.services import practitioner_for_page
from staff.models import PractitionerAccount
from twofactor.services import user_is_enrolled


def practitioner_required(view):
    """Serves the view to a practitioner with a verified session; sets request.practitioner.

    Anonymous visitors go to the login page; signed-in users without a practitioner account get
    a 403; a practitioner whose session was opened with the password alone is sent to enrol an
    authenticator app, or, if they have one, signed out and asked for the password and the code
    (the front-end login asks for the code of every enrolled account, so that session is stale).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        account = PractitionerAccount.objects.select_related("page").filter(user=user).first()
        if account is None:
            raise PermissionDenied(_("Cet espace est réservé aux praticiens."))
        if not user.is_verified():
            return _second_factor_redirect(request)
        # The booking side of a page is created on the practitioner's first visit.
        request.practitioner = practitioner_for_page(account.page)
        return view(request, *args, **kwargs)

    return wrapper


def _second_factor_redirect(request):
    # After a POST, come back to the agenda: the form's data is gone with the redirect.
    if request.method == "GET":
        next_url = request.get_full_path()
    else:
        next_url = reverse("practitioner:agenda")
    if user_is_enrolled(request.user):
        logout(request)
        messages.info(
            request,
            _("Reconnectez-vous avec votre mot de passe et le code de votre application."),
        )
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
    messages.info(
        request,
        _("L'espace praticien exige la double authentification : activez-la pour continuer."),
    )
    return redirect(f"{reverse('twofactor:totp_add')}?{urlencode({'next': next_url})}")
