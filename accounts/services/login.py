"""Logging in and out: session lifetime, security log, new-device e-mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent, User
from accounts.services.common import (
    KNOWN_DEVICE_LOOKBACK,
    REMEMBER_ME_SECONDS,
    _language,
    security_event_record,
)
from accounts.sessions import session_login_stamp
from core.links import absolute_url
from core.network import client_ip, ip_prefix, user_agent
from emails.services import email_send


def user_login_complete(*, request: HttpRequest, user: User, remember: bool) -> None:
    """Log `user` in once every factor was checked: password, then the code if they have one.

    New session key (django.contrib.auth.login cycles it), session lifetime ("remember me" or
    until the browser closes), the stamps the timeout middleware reads, the security log and
    the new-device e-mail. The two-factor step calls it after the code is accepted (setting
    `user.otp_device` first lets django-otp mark the session as verified).
    Accounts that reach the Wagtail admin are never remembered: their sessions end with the
    browser.
    """
    backend = getattr(user, "backend", None) or settings.AUTHENTICATION_BACKENDS[0]
    # Read before login(), which stamps last_login.
    first_login = user.last_login is None
    with transaction.atomic():
        login(request, user, backend=backend)
        remembered = remember and not user.has_perm("wagtailadmin.access_admin")
        request.session.set_expiry(REMEMBER_ME_SECONDS if remembered else 0)
        session_login_stamp(request, remembered=remembered)
        login_success_record(request=request, user=user, first_login=first_login)


def login_success_record(*, request: HttpRequest, user: User, first_login: bool) -> None:
    """Write the successful login to the security log; e-mail the owner if the device is new.

    Public: the Wagtail admin's login form (staff.forms) logs people in through Django's own
    view, and records its successes here too.
    """
    known = _device_is_known(request, user, first_login=first_login)
    security_event_record(kind=SecurityEvent.Kind.LOGIN_SUCCEEDED, request=request, user=user)
    if not known:
        email_send(
            to=user.email,
            template="accounts/new_login",
            context={
                "user": user,
                "when": timezone.now(),
                "ip_prefix": ip_prefix(client_ip(request)),
                "user_agent": user_agent(request),
                "reset_url": absolute_url(reverse("accounts:password_reset")),
            },
            language=_language(),
        )


def _device_is_known(request: HttpRequest, user: User, *, first_login: bool) -> bool:
    """True when this browser (user-agent) on this network (IP prefix) logged in recently.

    The very first login of an account alerts nobody: the owner has just verified the address.
    """
    if first_login:
        return True
    return SecurityEvent.objects.filter(
        user=user,
        kind=SecurityEvent.Kind.LOGIN_SUCCEEDED,
        created_at__gte=timezone.now() - KNOWN_DEVICE_LOOKBACK,
        ip_prefix=ip_prefix(client_ip(request)),
        user_agent=user_agent(request),
    ).exists()


def user_logout(*, request: HttpRequest) -> None:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        security_event_record(kind=SecurityEvent.Kind.LOGGED_OUT, request=request, user=user)
    logout(request)
