"""Telling accounts about a material version, by e-mail, once per account and version.

Sent by a task (compliance.tasks.policy_version_notices_send) in batches. Each batch runs in one
transaction that writes, for every recipient, the PolicyVersionNotice row and the e-mail's row in
the outbox (emails.services.email_send delivers it after the commit): a crash anywhere in a batch
rolls both back, so the next run sends that batch again and nobody twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from compliance.models import PolicyVersion, PolicyVersionNotice
from core.links import absolute_url
from emails.services import email_send

if TYPE_CHECKING:
    from core.users import AuthUser

TEMPLATE = "compliance/policy_version"


def _recipient_language(user: AuthUser) -> str:
    # Accounts store no language preference yet: the site's language, unless one appears.
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def notice_context(version: PolicyVersion) -> dict:
    """What the e-mail says of `version`: its address, and its differences with the previous one."""
    diff_url = ""
    if version.number > 1:
        diff_url = absolute_url(
            reverse(
                f"compliance:{version.kind}_version_diff",
                kwargs={"old": version.number - 1, "new": version.number},
            )
        )
    return {
        "version": version,
        "upcoming": version.effective_at > timezone.now(),
        "version_url": absolute_url(version.get_absolute_url()),
        "diff_url": diff_url,
    }


def policy_version_notices_batch_send(
    *, version: PolicyVersion, users: list[AuthUser], context: dict | None = None
) -> int:
    """Record and queue the notice of `version` for each of `users`; how many were queued.

    A user already told (by a concurrent run) is skipped by the unique constraint.
    """
    context = context or notice_context(version)
    now = timezone.now()
    queued = 0
    with transaction.atomic():
        for user in users:
            try:
                with transaction.atomic():
                    PolicyVersionNotice.objects.create(version=version, user=user, sent_at=now)
            except IntegrityError:
                continue
            email_send(
                to=user.email,
                template=TEMPLATE,
                context={**context, "user": user},
                language=_recipient_language(user),
            )
            queued += 1
    return queued
