"""Writes of the accounts app: sign-up, verification, login, passwords, profile, security log.

Every e-mail goes through emails.services.email_send inside the service's transaction: the
message is stored with the change and sent only once the transaction commits.

E-mails to an address a visitor typed are capped (accounts.throttle.mail_quota_take). The two
requests whose answer must not tell whether an account has the address (password reset, change
of address) do the same work either way: count the request, enqueue one task
(accounts.tasks); the look-up, the token and the rendering happen in that task, after the
response.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import login, logout, update_session_auth_hash
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
from accounts.models import SecurityEvent, User
from accounts.sessions import session_login_stamp
from compliance.models import DocumentKind
from compliance.selectors import policy_version_in_force
from compliance.services import policy_versions_accept_in_force
from core.links import absolute_url
from core.network import client_ip, ip_prefix, user_agent
from emails.services import email_send

# Remembered sessions last this long (see accounts.sessions for the timeouts).
REMEMBER_ME_SECONDS = 30 * 24 * 3600
# The new-device check looks this far back: the security log keeps a month at most.
KNOWN_DEVICE_LOOKBACK = timedelta(days=30)


class SignupClosed(Exception):
    """No terms or privacy policy is in force: there is nothing a new member could accept."""


class EmailTaken(Exception):
    """Another account uses the address a member wants to move to."""


class MailLimitReached(Exception):
    """Too many e-mails were asked for: to this address, from this network, or by this account.

    `code` is the throttle.MailLimit reached; nothing was sent and nothing was changed.
    """

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _mail_quota_take(*, to: str, request: HttpRequest | None, account: User | None = None) -> None:
    """Count one e-mail asked for, or raise MailLimitReached (before any look-up)."""
    limit = throttle.mail_quota_take(
        to=to,
        ip=client_ip(request) if request is not None else "",
        account=account.pk if account is not None else None,
    )
    if limit is not None:
        raise MailLimitReached(limit)


def _language() -> str | None:
    language = (get_language() or "").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else None


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user: User | None = None,
    network: str = "",
    agent: str = "",
) -> SecurityEvent:
    """Append one entry to the security log (truncated IP, short user-agent, maybe an account).

    Without a request (in a task), `network` and `agent` are what request_origin() read from
    the request that asked for the work. Public: the two-factor login step records OTP
    failures here too.
    """
    if request is not None:
        network, agent = request_origin(request)
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        ip_prefix=network,
        user_agent=agent,
    )


def request_origin(request: HttpRequest | None) -> tuple[str, str]:
    """(IP prefix, user-agent) of a request, as the security log keeps them: a task gets these
    strings rather than the request."""
    if request is None:
        return "", ""
    return ip_prefix(client_ip(request)), user_agent(request)


def signup_is_open() -> bool:
    """Sign-up needs a version in force of both documents the new member accepts."""
    return all(policy_version_in_force(kind) is not None for kind in DocumentKind.values)


def _verification_email_send(
    user: User, *, next_url: str = "", language: str | None = None
) -> None:
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
    a new verification link if their account was never verified. Raises SignupClosed when no
    terms or privacy policy is in force, MailLimitReached when this address or this network
    asked for too many e-mails (counted before the look-up, so it tells nothing either).
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


def _task_enqueue_on_commit(name: str, **kwargs: str | int) -> None:
    """Enqueue accounts.tasks.<name> once the caller's transaction (if any) commits."""
    # Imported here: accounts.tasks imports this module, and creates its Tasks at import
    # time, which needs the TASKS setting.
    from accounts import tasks

    def task_enqueue() -> None:
        # Looked up when the callback runs, so a test can stand in for the task.
        getattr(tasks, name).enqueue(**kwargs)

    transaction.on_commit(task_enqueue)


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
