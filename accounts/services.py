"""Writes of the accounts app: sign-up, verification, login, passwords, profile, security log.

Every e-mail goes through emails.services.email_send inside the service's transaction: the
message is stored with the change and sent only once the transaction commits.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_language

from accounts import throttle, tokens
from accounts.models import SecurityEvent
from accounts.sessions import session_login_stamp
from compliance.models import DocumentKind
from compliance.selectors import policy_version_in_force
from compliance.services import policy_versions_accept_in_force
from core.links import absolute_url
from core.network import client_ip, ip_prefix, user_agent
from emails.services import email_send

User = get_user_model()

# Remembered sessions last this long (see accounts.sessions for the timeouts).
REMEMBER_ME_SECONDS = 30 * 24 * 3600
# The new-device check looks this far back: the security log keeps a month at most.
KNOWN_DEVICE_LOOKBACK = timedelta(days=30)
# Reset e-mails sent per address within throttle.WINDOW, so the form cannot flood a mailbox.
MAX_RESET_EMAILS = 3


class SignupClosed(Exception):
    """No terms or privacy policy is in force: there is nothing a new member could accept."""


class EmailTaken(Exception):
    """Another account uses the address a member wants to move to."""


def _language() -> str | None:
    language = (get_language() or "").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else None


def security_event_record(
    *, kind: str, request: HttpRequest | None = None, user=None
) -> SecurityEvent:
    """Append one entry to the security log (truncated IP, short user-agent, maybe an account).

    Public: the two-factor login step records OTP failures here too.
    """
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        ip_prefix=ip_prefix(client_ip(request)) if request is not None else "",
        user_agent=user_agent(request) if request is not None else "",
    )


def signup_is_open() -> bool:
    """Sign-up needs a version in force of both documents the new member accepts."""
    return all(policy_version_in_force(kind) is not None for kind in DocumentKind.values)


def _verification_email_send(user, *, next_url: str = "") -> None:
    token = tokens.verification_token_make(user)
    verify_url = absolute_url(reverse("accounts:verify", args=[token]))
    if next_url:
        # Where the visitor was going (a booking, say): kept through the e-mail so that the
        # choice survives the detour, whichever browser opens the link.
        verify_url = f"{verify_url}?{urlencode({'next': next_url})}"
    email_send(
        to=user.email,
        template="accounts/verification",
        context={
            "user": user,
            "verify_url": verify_url,
            "expires_hours": tokens.LINK_MAX_AGE_HOURS,
        },
        language=_language(),
    )


def user_signup(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    phone: str = "",
    request: HttpRequest | None = None,
    next_url: str = "",
):
    """Create an inactive account, record its acceptances, e-mail the verification link.

    Returns the new account, or None when the address already has one: the visitor is told the
    same thing either way (no enumeration) and the owner of the address gets an e-mail instead,
    a new verification link if their account was never verified. Raises SignupClosed when no
    terms or privacy policy is in force.
    """
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        if not signup_is_open():
            raise SignupClosed
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None:
            try:
                with transaction.atomic():
                    user = User.objects.create_user(
                        email,
                        password,
                        first_name=first_name,
                        last_name=last_name,
                        phone=phone,
                        is_active=False,
                    )
            except IntegrityError:  # the same address signed up at the same instant
                existing = User.objects.get(email__iexact=email)
            else:
                policy_versions_accept_in_force(user=user, context="signup")
                security_event_record(kind=SecurityEvent.Kind.SIGNED_UP, request=request, user=user)
                _verification_email_send(user, next_url=next_url)
                return user

        # Hash the unused password all the same, so that the answer takes as long as for a new
        # account and its timing does not tell that the address is known.
        make_password(password)
        if not existing.is_active and existing.email_verified_at is None:
            _verification_email_send(existing, next_url=next_url)
        elif existing.is_active:
            email_send(
                to=existing.email,
                template="accounts/signup_existing",
                context={
                    "user": existing,
                    "login_url": absolute_url(reverse("accounts:login")),
                    "reset_url": absolute_url(reverse("accounts:password_reset")),
                },
                language=_language(),
            )
        # An account deactivated by staff gets nothing: it stays closed.
        return None


def user_verify(*, user, request: HttpRequest | None = None):
    """Activate the account whose verification link was followed (the token is checked before)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.email_verified_at is not None:  # the link was used in the meantime
            return user
        user.email_verified_at = timezone.now()
        user.is_active = True
        user.save(update_fields=["email_verified_at", "is_active"])
        security_event_record(kind=SecurityEvent.Kind.EMAIL_VERIFIED, request=request, user=user)
    return user


def user_login_complete(*, request: HttpRequest, user, remember: bool) -> None:
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


def login_success_record(*, request: HttpRequest, user, first_login: bool) -> None:
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


def _device_is_known(request: HttpRequest, user, *, first_login: bool) -> bool:
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


def _password_changed_email_send(user) -> None:
    email_send(
        to=user.email,
        template="accounts/password_changed",
        context={
            "user": user,
            "when": timezone.now(),
            "reset_url": absolute_url(reverse("accounts:password_reset")),
        },
        language=_language(),
    )


def user_password_change(*, request: HttpRequest, user, password: str) -> None:
    """Set a new password: this session stays, every other session of the account ends.

    Other sessions end because each stores a hash derived from the password hash
    (get_session_auth_hash), which no longer matches; update_session_auth_hash re-stamps only
    this one.
    """
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        update_session_auth_hash(request, user)
        security_event_record(kind=SecurityEvent.Kind.PASSWORD_CHANGED, request=request, user=user)
        _password_changed_email_send(user)


def user_password_reset_request(*, email: str, request: HttpRequest | None = None) -> None:
    """E-mail a reset link if an active account has this address; the caller says the same
    thing whatever happens. A never-verified account gets a new verification link instead.
    """
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return
    if not throttle.reset_email_allowed(email=email, limit=MAX_RESET_EMAILS):
        return
    with transaction.atomic():
        if user.is_active and user.has_usable_password():
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            path = reverse("accounts:password_reset_confirm", args=[uid, token])
            security_event_record(
                kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED, request=request, user=user
            )
            email_send(
                to=user.email,
                template="accounts/password_reset",
                context={
                    "user": user,
                    "reset_url": absolute_url(path),
                    "expires_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                },
                language=_language(),
            )
        elif not user.is_active and user.email_verified_at is None:
            _verification_email_send(user)


def user_password_reset(*, request: HttpRequest, user, password: str) -> None:
    """Set the password chosen through a reset link (the link stops working: its token hashes
    the old password). Every session of the account ends, and the account's lockout is lifted:
    whoever holds the mailbox is the owner.
    """
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        throttle.login_failures_clear(email=user.email)
        security_event_record(kind=SecurityEvent.Kind.PASSWORD_RESET, request=request, user=user)
        _password_changed_email_send(user)


def user_profile_update(*, user, first_name: str, last_name: str, phone: str) -> None:
    with transaction.atomic():
        user.first_name = first_name
        user.last_name = last_name
        user.phone = phone
        user.save(update_fields=["first_name", "last_name", "phone"])


def user_email_change_request(*, request: HttpRequest, user, new_email: str) -> None:
    """Send a confirmation link to the new address; the account keeps the old one until then.

    If the new address already belongs to an account, nothing is sent: the member is told the
    same thing, so the profile page cannot be used to find out who has an account.
    """
    new_email = User.objects.normalize_email(new_email).strip().lower()
    if new_email == user.email.lower():
        return
    with transaction.atomic():
        security_event_record(
            kind=SecurityEvent.Kind.EMAIL_CHANGE_REQUESTED, request=request, user=user
        )
        if User.objects.filter(email__iexact=new_email).exists():
            return
        token = tokens.email_change_token_make(user, new_email)
        email_send(
            to=new_email,
            template="accounts/email_change",
            context={
                "user": user,
                "new_email": new_email,
                "confirm_url": absolute_url(reverse("accounts:email_confirm", args=[token])),
                "expires_hours": tokens.LINK_MAX_AGE_HOURS,
            },
            language=_language(),
        )


def user_email_change_confirm(*, request: HttpRequest, user, new_email: str) -> None:
    """Replace the address (the token was checked by the view). The old address is told.

    Raises EmailTaken if another account took the address since the link was sent.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
            raise EmailTaken
        old_email = user.email
        user.email = new_email
        try:
            with transaction.atomic():
                user.save(update_fields=["email"])
        except IntegrityError as error:
            raise EmailTaken from error
        security_event_record(kind=SecurityEvent.Kind.EMAIL_CHANGED, request=request, user=user)
        email_send(
            to=old_email,
            template="accounts/email_changed",
            context={"user": user, "old_email": old_email, "when": timezone.now()},
            language=_language(),
        )
