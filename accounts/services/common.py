"""What the accounts services share: their refusals, the mail quota, the security log."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import get_language

from accounts import throttle
from accounts.models import SecurityEvent, User
from compliance.models import DocumentKind
from compliance.selectors import policy_version_in_force
from core.network import client_ip, ip_prefix, user_agent

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


def _task_enqueue_on_commit(name: str, **kwargs: str | int) -> None:
    """Enqueue accounts.tasks.<name> once the caller's transaction (if any) commits."""
    # Imported here: accounts.tasks imports this module, and creates its Tasks at import
    # time, which needs the TASKS setting.
    from accounts import tasks

    def task_enqueue() -> None:
        # Looked up when the callback runs, so a test can stand in for the task.
        getattr(tasks, name).enqueue(**kwargs)

    transaction.on_commit(task_enqueue)
