"""Reads about staff accounts."""

from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from staff.groups import EDITORS, MODERATORS
from staff.models import PractitionerAccount


def practitioner_scope_page_id(user: User | AnonymousUser) -> int | None:
    """The one page a practitioner-only account works on, or None for anyone else.

    Editors, moderators and superusers who also have a profile keep their wider view.
    """
    if isinstance(user, AnonymousUser) or not user.is_authenticated or user.is_superuser:
        return None
    if user.groups.filter(name__in=[EDITORS, MODERATORS]).exists():
        return None
    return PractitionerAccount.objects.filter(user=user).values_list("page_id", flat=True).first()


def user_may_use_admin(user: User | AnonymousUser) -> bool:
    """Whether a signed-in account is staff or a practitioner (Wagtail's admin access right).

    A client has an account but no business in the admin: it is refused there plainly, never
    sent into the admin's two-factor enrolment.
    """
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")
