"""Reads about staff accounts."""

from django.contrib.auth.base_user import AbstractBaseUser

from staff.groups import EDITORS, MODERATORS
from staff.models import PractitionerAccount


def practitioner_scope_page_id(user: AbstractBaseUser) -> int | None:
    """The one page a practitioner-only account works on, or None for anyone else.

    Editors, moderators and superusers who also have a profile keep their wider view.
    """
    if not user.is_authenticated or user.is_superuser:
        return None
    if user.groups.filter(name__in=[EDITORS, MODERATORS]).exists():
        return None
    return PractitionerAccount.objects.filter(user=user).values_list("page_id", flat=True).first()
