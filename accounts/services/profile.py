"""The profile: names and phone, and the change of address (same work for any address)."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from accounts.models import SecurityEvent, User
from accounts.services.common import (
    EmailTaken,
    _language,
    _mail_quota_take,
    _task_enqueue_on_commit,
    security_event_record,
)
from core.links import absolute_url
from emails.services import email_send


def user_profile_update(*, user: User, first_name: str, last_name: str, phone: str) -> None:
    with transaction.atomic():
        user.first_name = first_name
        user.last_name = last_name
        user.phone = phone
        user.save(update_fields=["first_name", "last_name", "phone"])


def user_email_change_request(*, request: HttpRequest, user: User, new_email: str) -> None:
    """Ask for a confirmation link to the new address; the account keeps the old one until then.

    If the new address already belongs to an account, nothing is sent: the member is told the
    same thing, and this request does the same work either way (the quota, the security log,
    one task enqueued), so neither the page nor its timing tells who has an account. Raises
    MailLimitReached when the address, the network or the account asked for too many e-mails.
    """
    new_email = User.objects.normalize_email(new_email).strip().lower()
    if new_email == user.email.lower():
        return
    _mail_quota_take(to=new_email, request=request, account=user)
    with transaction.atomic():
        security_event_record(
            kind=SecurityEvent.Kind.EMAIL_CHANGE_REQUESTED, request=request, user=user
        )
        _task_enqueue_on_commit(
            "email_change_link_send",
            user_id=user.pk,
            new_email=new_email,
            language=_language() or settings.LANGUAGE_CODE,
        )


def email_change_link_send(*, user_id: int, new_email: str, language: str) -> bool:
    """E-mail the confirmation link to the new address unless an account has it (run by a
    task). True if the link was sent."""
    with transaction.atomic():
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None or user.email.lower() == new_email:
            return False
        if User.objects.filter(email__iexact=new_email).exists():
            return False
        token = tokens.email_change_token_make(user, new_email)
        email_send(
            to=new_email,
            template="accounts/email_change",
            context={
                # No name, nor the address typed: this inbox has not proved it is the member's.
                "confirm_url": absolute_url(reverse("accounts:email_confirm", args=[token])),
                "expires_hours": tokens.LINK_MAX_AGE_HOURS,
            },
            language=language,
        )
        return True


def user_email_change_confirm(*, request: HttpRequest, user: User, new_email: str) -> None:
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
