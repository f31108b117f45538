"""Signed links sent by e-mail: account verification and change of e-mail address.

Each token is signed with SECRET_KEY (django.core.signing, with its own salt), carries its date
of issue and is refused after LINK_MAX_AGE. It also carries a digest of the account's state
(for verification: whether and when the address was verified; for a change of address: the
current address), so it works once: using it changes that state. Password reset links use
Django's PasswordResetTokenGenerator (single-use through the password hash), valid for
settings.PASSWORD_RESET_TIMEOUT.
"""

from dataclasses import dataclass

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User

LINK_MAX_AGE_HOURS = 48
LINK_MAX_AGE = LINK_MAX_AGE_HOURS * 3600

_VERIFY_SALT = "accounts.verification"
_EMAIL_CHANGE_SALT = "accounts.email-change"


def _state(user: User, purpose: str, *extra: str) -> str:
    verified = user.email_verified_at.isoformat() if user.email_verified_at else ""
    value = "|".join([str(user.pk), user.email, verified, str(user.is_active), *extra])
    return salted_hmac(purpose, value, algorithm="sha256").hexdigest()[:32]


def verification_token_make(user: User, *, next_url: str = "") -> str:
    """A verification token; `next_url` (where the visitor was going) travels inside it.

    Inside the signed token rather than in a query string: the link then shows no text the
    visitor typed, in a mail to an address that has not proved to be theirs.
    """
    data = {"u": user.pk, "s": _state(user, _VERIFY_SALT)}
    if next_url:
        data["n"] = next_url
    return signing.dumps(data, salt=_VERIFY_SALT, compress=True)


@dataclass(frozen=True)
class Verification:
    user: User
    next_url: str


def verification_token_read(token: str) -> Verification | None:
    """The account a valid, unexpired, unused verification token is for, and where its visitor
    was going ("" if nowhere); None otherwise. The caller still checks next_url is local."""
    data = _loads(token, _VERIFY_SALT)
    if data is None or not isinstance(data.get("u"), int):
        return None
    user = User.objects.filter(pk=data["u"]).first()
    if user is None or user.email_verified_at is not None:
        return None
    if not constant_time_compare(str(data.get("s")), _state(user, _VERIFY_SALT)):
        return None
    next_url = data.get("n")
    return Verification(user=user, next_url=next_url if isinstance(next_url, str) else "")


@dataclass(frozen=True)
class EmailChange:
    user: User
    new_email: str


def email_change_token_make(user: User, new_email: str) -> str:
    state = _state(user, _EMAIL_CHANGE_SALT, new_email)
    return signing.dumps({"u": user.pk, "e": new_email, "s": state}, salt=_EMAIL_CHANGE_SALT)


def email_change_token_read(token: str) -> EmailChange | None:
    data = _loads(token, _EMAIL_CHANGE_SALT)
    if data is None or not isinstance(data.get("e"), str) or not isinstance(data.get("u"), int):
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None:
        return None
    expected = _state(user, _EMAIL_CHANGE_SALT, data["e"])
    if not constant_time_compare(str(data.get("s")), expected):
        return None
    return EmailChange(user=user, new_email=data["e"])


def _loads(token: str, salt: str) -> dict | None:
    try:
        data = signing.loads(token, salt=salt, max_age=LINK_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return data if isinstance(data, dict) else None
