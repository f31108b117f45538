"""Sign-up and the verification of the address."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from accounts.models import SecurityEvent, User
from accounts.services.common import (
    SignupClosed,
    _language,
    _mail_quota_take,
    security_event_record,
    signup_is_open,
)
from accounts.services.signup_browser import signup_browser_mark, signup_browser_remark
from compliance.services import policy_versions_accept_in_force
from core.links import absolute_url
from emails.services import email_send


def _verification_email_send(user: User, *, next_url: str = "", language: str | None = None) -> str:
    # Where the visitor was going (a booking, say) travels inside the token, so that the
    # choice survives the detour whichever browser opens the link, and the mail shows no text
    # the visitor typed.
    token = tokens.verification_token_make(user, next_url=next_url)
    verify_url = absolute_url(reverse("accounts:verify", args=[token]))
    email_send(
        to=user.email,
        template="accounts/verification",
        context={
            # No name: the address is not verified, and the name is whatever the visitor typed.
            "verify_url": verify_url,
            "expires_hours": tokens.LINK_MAX_AGE_HOURS,
        },
        language=language or _language(),
    )
    return token


def user_signup(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    phone: str = "",
    request: HttpRequest | None = None,
    next_url: str = "",
) -> User | None:
    """Create an inactive account, record its acceptances, e-mail the verification link.

    Returns the new account, or None when the address already has one: the visitor is told the
    same thing either way (no enumeration) and the owner of the address gets an e-mail instead,
    a new verification link if their account was never verified. With a request, its session
    is marked as the browser that signed up (accounts.services.signup_browser), written in
    every case alike. Raises SignupClosed when no terms or privacy policy is in force,
    MailLimitReached when this address or this network asked for too many e-mails (counted
    before the look-up, so it tells nothing either).
    """
    email = User.objects.normalize_email(email).strip().lower()
    _mail_quota_take(to=email, request=request)
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
                token = _verification_email_send(user, next_url=next_url)
                signup_browser_mark(request, user=user, token=token)
                return user

        # Hash the unused password all the same, so that the answer takes as long as for a new
        # account and its timing does not tell that the address is known.
        make_password(password)
        token = ""
        if not existing.is_active and existing.email_verified_at is None:
            token = _verification_email_send(existing, next_url=next_url)
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
        signup_browser_remark(request, user=existing, token=token)
        return None


def user_verify(*, user: User, request: HttpRequest | None = None) -> User:
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
