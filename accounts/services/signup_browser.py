"""The browser that signed up is signed in by its verification link, and no other browser is.

Sign-up writes a mark in the session (server-side data: the cookie holds only the session key):
the account's pk and a keyed digest of that pk with the verification token just e-mailed, and
the link's expiry. The verification POST made in that browser, with that token, for that
account, signs it in through user_login_complete (session key cycled, session data such as a
held slot kept, login stamps, security log), so the visitor lands where they were going without
typing the password again. Anywhere else (another browser, another link, a mark for another
account) the verification page says "log in", as before.

Never for an account that needs a second factor (staff, practitioners, anyone with a device:
they give the password and the code), an inactive or locked account, a browser where someone
else is signed in, an account that existed before this sign-up (its password was not typed in
this browser), or once the link has expired. The mark is removed when read, used or not, and
only ever opens an account's first session.
"""

from __future__ import annotations

import time

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts import throttle, tokens
from accounts.models import User
from accounts.services.login import user_login_complete
from core.network import client_ip
from core.second_factor import user_is_enrolled

SIGNUP_BROWSER_SESSION_KEY = "accounts_signup_browser"
_SALT = "accounts.signup-browser"


def _digest(user_pk: int, token: str) -> str:
    return salted_hmac(_SALT, f"{user_pk}|{token}", algorithm="sha256").hexdigest()


def _mark_write(request: HttpRequest, *, user_pk: int | None, token: str) -> None:
    request.session[SIGNUP_BROWSER_SESSION_KEY] = {
        "u": user_pk,
        "d": _digest(user_pk, token) if user_pk is not None else "",
        "until": int(time.time()) + tokens.LINK_MAX_AGE,
    }


def _mark_is_for(mark: object, *, user_pk: int, token: str | None = None) -> bool:
    """Whether `mark` (read from the session) is an unexpired mark for this account, and for
    this token when one is given."""
    if not isinstance(mark, dict) or mark.get("u") != user_pk or not isinstance(user_pk, int):
        return False
    until = mark.get("until")
    if not isinstance(until, int) or time.time() > until:
        return False
    return token is None or constant_time_compare(str(mark.get("d")), _digest(user_pk, token))


def signup_browser_mark(request: HttpRequest | None, *, user: User, token: str) -> None:
    """This browser has just created `user`, whose verification link carries `token`."""
    if request is not None:
        _mark_write(request, user_pk=user.pk, token=token)


def signup_browser_remark(request: HttpRequest | None, *, user: User, token: str) -> None:
    """Sign-up with an address that already has an account.

    The session is written all the same, so that its cookie does not tell a known address from
    a new one. The mark signs in only if this browser created that account (a new link, `token`,
    then replaces the previous one); otherwise the mark this browser had is kept as it was, or
    one that matches no account is written.
    """
    if request is None:
        return
    previous = request.session.get(SIGNUP_BROWSER_SESSION_KEY)
    if token and _mark_is_for(previous, user_pk=user.pk):
        _mark_write(request, user_pk=user.pk, token=token)
    elif isinstance(previous, dict):
        request.session[SIGNUP_BROWSER_SESSION_KEY] = previous
    else:
        _mark_write(request, user_pk=None, token="")


def _needs_second_factor(user: User) -> bool:
    # Practitioners and staff reach the admin (a group grants the right); anyone with a device
    # is asked for its code at every login.
    return (
        user.is_staff
        or user.is_superuser
        or user.has_perm("wagtailadmin.access_admin")
        or user_is_enrolled(user)
    )


def signup_browser_login(*, request: HttpRequest, user: User, token: str) -> bool:
    """After the verification POST with `token`: sign `user` in if this browser signed them up.

    Returns whether it did; the caller shows the "log in" page otherwise. `user` is the account
    as user_verify left it (active once verified).
    """
    mark = request.session.pop(SIGNUP_BROWSER_SESSION_KEY, None)
    if not _mark_is_for(mark, user_pk=user.pk, token=token):
        return False
    if request.user.is_authenticated:  # another account is signed in here: not switched silently
        return False
    if user.last_login is not None:  # only a new account's first login: a copied mark is spent
        return False
    if not ModelBackend().user_can_authenticate(user):  # inactive
        return False
    if throttle.login_is_locked(email=user.email, ip=client_ip(request)):
        return False
    if _needs_second_factor(user):
        return False
    user_login_complete(request=request, user=user, remember=False)
    return True
