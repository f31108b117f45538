"""Editors' writes on practitioners: open booking, invite, link, suspend, revoke.

Each service runs in one transaction and writes one entry to Wagtail's audit log for the
practitioner (who, when, what), shown in the register's history and in the admin's site history.
E-mails leave on commit (emails.services.email_send).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from wagtail.log_actions import log

from accounts.models import User
from accounts.services import signup_is_open
from booking.models import Practitioner
from booking.onboarding.exceptions import InvitationInvalid, OnboardingError
from booking.onboarding.models import PractitionerInvitation
from booking.services.availability import next_free_refresh_on_commit
from cms.models import PractitionerPage
from compliance.models import AcceptanceContext
from compliance.services import policy_versions_accept_in_force
from core.links import absolute_url
from emails.services import email_send
from staff.models import PractitionerAccount
from staff.services import practitioner_account_link, practitioner_account_unlink

INVITATION_VALIDITY = timedelta(days=7)

# Audit-log actions (registered with their labels in booking/wagtail_hooks.py).
ACTION_BOOKING_OPEN = "booking.practitioner.booking_open"
ACTION_INVITE = "booking.practitioner.invite"
ACTION_INVITATION_ACCEPT = "booking.practitioner.invitation_accept"
ACTION_ACCOUNT_LINK = "booking.practitioner.account_link"
ACTION_SUSPEND = "booking.practitioner.suspend"
ACTION_RESUME = "booking.practitioner.resume"
ACTION_REVOKE = "booking.practitioner.revoke"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _log(practitioner: Practitioner, action: str, *, by: User | None, **data: object) -> None:
    log(instance=practitioner, action=action, user=by, data=data)


def practitioner_booking_open(*, page: PractitionerPage, by: User) -> Practitioner:
    """Give `page` its booking side (default rules, no hours yet: not bookable until set)."""
    with transaction.atomic():
        practitioner, created = Practitioner.objects.get_or_create(page=page)
        if created:
            _log(practitioner, ACTION_BOOKING_OPEN, by=by, page=page.title)
        next_free_refresh_on_commit(practitioner.pk)
    return practitioner


def _pending_invitations(practitioner: Practitioner) -> QuerySet[PractitionerInvitation]:
    return PractitionerInvitation.objects.filter(
        practitioner=practitioner, accepted_at__isnull=True, withdrawn_at__isnull=True
    )


def practitioner_invite(
    *, practitioner: Practitioner, email: str, by: User
) -> PractitionerInvitation:
    """E-mail a single-use link valid INVITATION_VALIDITY; a pending invitation is replaced.

    Re-sending is inviting again: a new token (only digests are stored, the old link cannot be
    sent twice) and the previous links stop working.
    """
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        practitioner = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
        if practitioner.page_id is None:
            raise OnboardingError(
                _("Ce praticien n'a plus de fiche : impossible de l'inviter."), code="no_page"
            )
        _one_account_one_page(
            practitioner,
            candidate=PractitionerAccount.objects.filter(user__email__iexact=email),
            page_accounts=PractitionerAccount.objects.filter(page_id=practitioner.page_id),
        )
        now = timezone.now()
        _pending_invitations(practitioner).update(withdrawn_at=now)
        token = secrets.token_urlsafe(32)
        invitation = PractitionerInvitation.objects.create(
            practitioner=practitioner,
            email=email,
            token_digest=_digest(token),
            invited_by=by,
            created_at=now,
            expires_at=now + INVITATION_VALIDITY,
        )
        _log(
            practitioner,
            ACTION_INVITE,
            by=by,
            email=email,
            expires_at=invitation.expires_at.isoformat(),
        )
        email_send(
            to=email,
            template="booking/practitioner_invitation",
            context={
                "page_title": practitioner.page.title if practitioner.page else "",
                "accept_url": absolute_url(reverse("practitioner_invitation", args=[token])),
                "expires_at": invitation.expires_at,
            },
        )
    return invitation


def invitation_for_token(token: str) -> PractitionerInvitation:
    """The pending invitation behind a link, or InvitationInvalid (whatever the reason)."""
    invitation = (
        PractitionerInvitation.objects.select_related("practitioner__page")
        .filter(token_digest=_digest(token))
        .first()
    )
    if invitation is None or not invitation.is_pending(timezone.now()):
        raise InvitationInvalid
    return invitation


def _one_account_one_page(
    practitioner: Practitioner,
    *,
    candidate: QuerySet[PractitionerAccount],
    page_accounts: QuerySet[PractitionerAccount],
) -> None:
    """Refuse what staff's practitioner_account_link would silently move: `candidate` (the
    account to link, as a query) managing another page, or another account on this page."""
    if candidate.exclude(page_id=practitioner.page_id).exists():
        raise OnboardingError(
            _("Ce compte gère déjà une autre fiche praticien."), code="account_has_page"
        )
    if page_accounts.exists():
        raise OnboardingError(_("Cette fiche a déjà un compte praticien."), code="already_linked")


def _account_link(*, practitioner: Practitioner, user: User) -> None:
    if practitioner.page is None:
        raise OnboardingError(_("Ce praticien n'a plus de fiche."), code="no_page")
    _one_account_one_page(
        practitioner,
        candidate=PractitionerAccount.objects.filter(user=user),
        page_accounts=PractitionerAccount.objects.filter(page_id=practitioner.page_id).exclude(
            user=user
        ),
    )
    practitioner_account_link(user=user, page=practitioner.page)


def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> User:
    """Use the link: link the signed-in `user` (same address), or create the account.

    The invitation reached this address, so the new account is verified at once; its holder
    accepts the documents in force as at any sign-up. The caller logs the account in; two
    factors are then required by the practitioner area itself.
    """
    with transaction.atomic():
        invitation = invitation_for_token(token)
        invitation = PractitionerInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending(timezone.now()):  # used by a concurrent request
            raise InvitationInvalid
        practitioner = invitation.practitioner
        if user is None:
            if not signup_is_open():
                raise OnboardingError(
                    _("Les inscriptions sont momentanément fermées : réessayez plus tard."),
                    code="signup_closed",
                )
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise OnboardingError(
                    _("Un compte existe déjà pour cette adresse : connectez-vous pour accepter."),
                    code="sign_in_first",
                )
            try:
                with transaction.atomic():
                    user = User.objects.create_user(
                        invitation.email,
                        password,
                        first_name=first_name,
                        last_name=last_name,
                        email_verified_at=timezone.now(),
                    )
            except IntegrityError as error:  # the same address signed up at the same instant
                raise OnboardingError(
                    _("Un compte existe déjà pour cette adresse : connectez-vous pour accepter."),
                    code="sign_in_first",
                ) from error
            policy_versions_accept_in_force(user=user, context=AcceptanceContext.SIGNUP)
        elif user.get_username().lower() != invitation.email.lower():
            raise OnboardingError(
                _("Cette invitation a été envoyée à une autre adresse que celle de votre compte."),
                code="other_account",
            )
        _account_link(practitioner=practitioner, user=user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        _log(practitioner, ACTION_INVITATION_ACCEPT, by=user, email=invitation.email)
    return user


def practitioner_account_link_existing(*, practitioner: Practitioner, email: str, by: User) -> User:
    """Link the existing, verified account with this address (no invitation needed)."""
    with transaction.atomic():
        practitioner = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
        if practitioner.page_id is None:
            raise OnboardingError(_("Ce praticien n'a plus de fiche."), code="no_page")
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None or user.email_verified_at is None:
            raise OnboardingError(
                _(
                    "Aucun compte actif et vérifié n'a cette adresse : envoyez plutôt une "
                    "invitation."
                ),
                code="no_such_account",
            )
        _account_link(practitioner=practitioner, user=user)
        _pending_invitations(practitioner).update(withdrawn_at=timezone.now())
        next_free_refresh_on_commit(practitioner.pk)
        _log(practitioner, ACTION_ACCOUNT_LINK, by=by, email=user.email)
    return user


def practitioner_booking_suspend(
    *, practitioner: Practitioner, by: User, reason: str
) -> Practitioner:
    """New bookings are refused; appointments already booked stay as they are."""
    with transaction.atomic():
        practitioner = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
        if practitioner.booking_suspended_at is None:
            practitioner.booking_suspended_at = timezone.now()
            practitioner.save(update_fields=["booking_suspended_at"])
            _log(practitioner, ACTION_SUSPEND, by=by, reason=reason)
            next_free_refresh_on_commit(practitioner.pk)
    return practitioner


def practitioner_booking_resume(*, practitioner: Practitioner, by: User) -> Practitioner:
    with transaction.atomic():
        practitioner = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
        if practitioner.booking_suspended_at is not None:
            practitioner.booking_suspended_at = None
            practitioner.save(update_fields=["booking_suspended_at"])
            _log(practitioner, ACTION_RESUME, by=by)
            next_free_refresh_on_commit(practitioner.pk)
    return practitioner


def _sessions_end(user: User) -> int:
    """Delete every stored session of `user` (sessions live in the database, see settings)."""
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def practitioner_access_revoke(*, practitioner: Practitioner, by: User) -> User | None:
    """The account loses the page and the area: sessions closed, two-factor devices removed.

    The page, the booking rules and the appointments stay (the practitioner is their
    controller: they are not the editor's to delete). Pending invitations are withdrawn.
    Returns the account that lost its access, if there was one.
    """
    with transaction.atomic():
        practitioner = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
        _pending_invitations(practitioner).update(withdrawn_at=timezone.now())
        account = (
            PractitionerAccount.objects.select_related("user")
            .filter(page_id=practitioner.page_id)
            .first()
        )
        if account is None:
            return None
        user = account.user
        practitioner_account_unlink(user=user)
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        sessions = _sessions_end(user)
        _log(
            practitioner,
            ACTION_REVOKE,
            by=by,
            email=user.email,
            devices_removed=len(devices),
            sessions_ended=sessions,
        )
    return user
