"""Writes for two-factor authentication: authenticator apps, backup codes, the login's second step.

Devices are django-otp's: TOTPDevice for authenticator apps (it remembers the last time step it
accepted, so a code works once, and slows down guessing with an exponential delay), StaticDevice
holding the single-use backup codes.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from emails.services import email_send

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
BACKUP_DEVICE_NAME = "Codes de secours"

# Backup codes are handed to the next page through the session, and shown there once.
NEW_BACKUP_CODES_SESSION_KEY = "twofactor_new_backup_codes"


class CodeRefused(Exception):
    """A code that does not open the account: wrong, already used, or tried too fast.

    `code` says which (INVALID or THROTTLED), for callers and tests that must tell them apart
    without reading the translated message.
    """

    INVALID = "invalid"
    THROTTLED = "throttled"

    def __init__(self, message: str, *, code: str, locked_until: datetime | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.locked_until = locked_until


def code_normalise(code: str) -> str:
    # People copy codes with spaces ("123 456") or the hyphen of our backup codes ("abcd-efgh").
    return "".join(code.split()).replace("-", "").lower()


def code_verify(*, user: User, code: str) -> Device:
    """The confirmed device that accepts `code` (and consumes it), or CodeRefused.

    Six digits are an authenticator code, anything else a backup code: trying a code only on the
    devices it can belong to keeps a typo from throttling the other kind of device.
    """
    token = code_normalise(code)
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    locked_until = None
    with transaction.atomic():
        # The throttling counters are written even when the code is wrong: nothing in this
        # block raises, so a refusal is recorded and not rolled back.
        devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
        for device in devices:
            # A device still waiting out the delay of earlier failures refuses any code, even
            # the right one: say so, rather than calling a good code wrong.
            allowed, details = device.verify_is_allowed()
            if not allowed:
                if details and details.get("locked_until"):
                    locked_until = max(filter(None, [locked_until, details["locked_until"]]))
                continue
            if token and device.verify_token(token):
                return device
    if locked_until is not None and locked_until > timezone.now():
        seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
        raise CodeRefused(
            _("Trop d'essais : patientez %(seconds)s secondes avant de réessayer.")
            % {"seconds": seconds},
            code=CodeRefused.THROTTLED,
            locked_until=locked_until,
        )
    raise CodeRefused(_("Ce code n'est pas valide, ou il a déjà servi."), code=CodeRefused.INVALID)


def totp_device_start(*, user: User) -> TOTPDevice:
    """The user's authenticator waiting for its first code, created once.

    The secret lives in the unconfirmed device rather than in the session, so reloading the page
    shows the same QR code and the secret is never written to the session store.
    """
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Turns the pending authenticator on with its first code.

    Returns the new backup codes when the user had none (to be shown once), else an empty list.
    Raises CodeRefused if the code is wrong; the device then stays unconfirmed.
    """
    token = code_normalise(code)
    with transaction.atomic():
        pending = TOTPDevice.objects.select_for_update().get(
            pk=device.pk, user=user, confirmed=False
        )
        accepted = bool(token) and pending.verify_token(token)
        if accepted:
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = [] if _backup_codes_remaining(user) else _backup_codes_replace(user)
            # email_send stores the message in this transaction and sends it after commit.
            email_send(
                to=user.email,
                template="twofactor/enrolled",
                context={"user": user, "when": timezone.now()},
                language=_email_language(),
            )
    if not accepted:
        raise CodeRefused(
            _("Ce code n'est pas valide : vérifiez l'heure de votre téléphone."),
            code=CodeRefused.INVALID,
        )
    return codes


def backup_codes_regenerate(*, user: User) -> list[str]:
    """Ten new backup codes; the previous ones stop working."""
    with transaction.atomic():
        return _backup_codes_replace(user)


def device_remove(*, user: User, device: TOTPDevice) -> None:
    """Removes an authenticator; without any left, the backup codes go too (two-factor off)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk, user=user).delete()
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            StaticDevice.objects.filter(user=user).delete()


def devices_reset(*, user: User, by: User) -> int:
    """A superuser removes every device of `user` (lost phone and codes); returns how many.

    The user's verified sessions lose their device with it (django-otp's middleware drops a
    session's device that no longer exists), so they must enrol again to reach the admin.
    """
    with transaction.atomic():
        removed = 0
        for device in list(devices_for_user(user, confirmed=None)):
            device.delete()
            removed += 1
        log(instance=user, action="twofactor.reset", user=by, data={"devices": removed})
    logger.warning("Two-factor devices of user %s reset by user %s", user.pk, by.pk)
    return removed


def _email_language() -> str | None:
    # The language the person is using the site in, when it is one the e-mails are written in.
    language = (get_language() or "").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else None


def _backup_codes_remaining(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _backup_codes_replace(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
