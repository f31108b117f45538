"""The account type, and the signed-in account of a request (for views behind login_required)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    # django-stubs expands this alias to settings.AUTH_USER_MODEL (accounts.User): the way for
    # core and the apps below accounts (compliance) to name the account type without
    # importing accounts, which imports them. It exists for the type checker only.
    from django.contrib.auth.models import _User as AuthUser


def signed_in_user(user: AuthUser | AnonymousUser) -> AuthUser:
    """`request.user` in a view that only signed-in users reach, narrowed to the account.

    login_required has already sent anonymous visitors to the login page. Should a view be
    reached without it (a decorator forgotten, a new URL), this refuses with a 403 instead of
    letting the view act for AnonymousUser.
    """
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise PermissionDenied
    return user
