"""The signed-in account of a request, typed as such (for views behind login_required)."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

# Generic, so that core names no app: the caller gets back the project's user model, which is
# what django-stubs says `request.user` is besides AnonymousUser.
UserT = TypeVar("UserT", bound=AbstractBaseUser)


def signed_in_user(user: UserT | AnonymousUser) -> UserT:
    """`request.user` in a view that only signed-in users reach, narrowed to the account.

    login_required has already sent anonymous visitors to the login page. Should a view ever
    be reached without it (a decorator forgotten, a new URL), this refuses with a 403 instead
    of letting the view act for AnonymousUser.
    """
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise PermissionDenied
    return user
