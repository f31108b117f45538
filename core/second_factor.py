"""The second-factor steps that the login, the admin and the practitioner area share.

Kept here rather than in `twofactor` so that `accounts` (the login's first step) and `staff`
can use them without importing the app that imports them: the arrows point one way
(twofactor -> accounts -> core). Devices are django-otp's; nothing here writes to the database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

# The login's first step (password) leaves this in the session; the second step (code) reads it.
PENDING_LOGIN_SESSION_KEY = "twofactor_pending_login"
# Long enough to open an authenticator app, short enough that an abandoned session goes stale.
PENDING_LOGIN_SECONDS = 5 * 60
# Wrong codes allowed per password entry: after that the password must be typed again.
PENDING_LOGIN_MAX_FAILURES = 5


def user_is_enrolled(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the account has a confirmed device (authenticator app or backup codes).

    Always False for an anonymous visitor (django_otp finds no device for them).
    """
    return user_has_device(user, confirmed=True)


@dataclass(frozen=True)
class PendingLogin:
    user_id: int
    remember: bool
    next_url: str


def login_pending_start(
    *, request: HttpRequest, user: AbstractBaseUser, remember: bool, next_url: str = ""
) -> None:
    """The password was right and the account has a device: remember who is half logged in.

    The login view calls this, then redirects to twofactor:login_verify. Nothing is logged in
    yet: the session only holds the account id until the code is given.
    """
    request.session[PENDING_LOGIN_SESSION_KEY] = {
        "user_id": user.pk,
        "remember": bool(remember),
        "next": next_url,
        "started": int(time.time()),
        "failures": 0,
    }


def login_pending_get(request: HttpRequest) -> PendingLogin | None:
    data = request.session.get(PENDING_LOGIN_SESSION_KEY)
    if not isinstance(data, dict) or time.time() - data.get("started", 0) > PENDING_LOGIN_SECONDS:
        return None
    return PendingLogin(
        user_id=data["user_id"], remember=data["remember"], next_url=data.get("next", "")
    )


def login_pending_failure(request: HttpRequest) -> bool:
    """Counts a wrong code; returns True when the password must be typed again."""
    data = request.session.get(PENDING_LOGIN_SESSION_KEY) or {}
    data["failures"] = data.get("failures", 0) + 1
    if data["failures"] >= PENDING_LOGIN_MAX_FAILURES:
        login_pending_clear(request)
        return True
    request.session[PENDING_LOGIN_SESSION_KEY] = data
    return False


def login_pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_LOGIN_SESSION_KEY, None)


def second_factor_redirect(
    request: HttpRequest,
    *,
    login_url_name: str,
    after_post_url: str,
    enrol_message: str,
) -> HttpResponseRedirect:
    """Where a session opened with the password alone goes before a two-factor-only area.

    An account with a device whose session was not verified is stale (every login of such an
    account asks for the code): it is signed out and sent to `login_url_name`. An account
    without a device is sent to enrol one. Both come back to the page they asked for; after a
    POST, to `after_post_url` (the form's data is gone with the redirect).
    """
    next_url = request.get_full_path() if request.method == "GET" else after_post_url
    if user_is_enrolled(request.user):
        logout(request)
        messages.info(
            request,
            _("Reconnectez-vous avec votre mot de passe et le code de votre application."),
        )
        return HttpResponseRedirect(f"{reverse(login_url_name)}?{urlencode({'next': next_url})}")
    messages.info(request, enrol_message)
    return HttpResponseRedirect(f"{reverse('twofactor:totp_add')}?{urlencode({'next': next_url})}")
