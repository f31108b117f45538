"""Changing and resetting a password (the reset does the same work for any address)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import throttle
from accounts.models import SecurityEvent, User
from accounts.services.common import (
    _language,
    _mail_quota_take,
    _task_enqueue_on_commit,
    request_origin,
    security_event_record,
)
from accounts.services.signup import _verification_email_send
from core.links import absolute_url
from emails.services import email_send


def _password_changed_email_send(user: User) -> None:
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


def user_password_change(*, request: HttpRequest, user: User, password: str) -> None:
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
    """Ask for a reset link to `email`; the caller says the same thing whatever happens.

    Only the quota and the enqueueing of one task happen here, the same for every address:
    whether an account has it is found out by the task (password_reset_link_send), after the
    response. Raises MailLimitReached over the quota.
    """
    email = User.objects.normalize_email(email).strip().lower()
    _mail_quota_take(to=email, request=request)
    network, agent = request_origin(request)
    _task_enqueue_on_commit(
        "password_reset_link_send",
        email=email,
        language=_language() or settings.LANGUAGE_CODE,
        network=network,
        agent=agent,
    )


def password_reset_link_send(*, email: str, language: str, network: str, agent: str) -> str:
    """E-mail a reset link if an active account has this address (run by a task).

    A never-verified account gets a new verification link instead; an unknown address or a
    closed account gets nothing. Returns what was sent ("reset", "verification" or "").
    """
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            return ""
        if user.is_active and user.has_usable_password():
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            path = reverse("accounts:password_reset_confirm", args=[uid, token])
            security_event_record(
                kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED,
                user=user,
                network=network,
                agent=agent,
            )
            email_send(
                to=user.email,
                template="accounts/password_reset",
                context={
                    "user": user,
                    "reset_url": absolute_url(path),
                    "expires_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                },
                language=language,
            )
            return "reset"
        if not user.is_active and user.email_verified_at is None:
            _verification_email_send(user, language=language)
            return "verification"
        return ""


def user_password_reset(*, request: HttpRequest, user: User, password: str) -> None:
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
