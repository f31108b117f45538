"""Reads of the questions: who answers for a practitioner, whose threads are whose.

Every thread query starts from its owner (the user, or the practitioner of the area): another
person's thread is simply not found, and the views answer 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from booking.models import Practitioner
from exchanges.models import Message, Thread
from staff.models import PractitionerAccount

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import _User as AuthUser


def practitioner_account_user(practitioner: Practitioner) -> AuthUser | None:
    """The account that answers for the practitioner (staff.PractitionerAccount of their page),
    when it can: active, with an address. None means the practitioner takes no questions."""
    if practitioner.page_id is None:
        return None
    account = (
        PractitionerAccount.objects.select_related("user")
        .filter(page_id=practitioner.page_id, user__is_active=True)
        .exclude(user__email="")
        .first()
    )
    return account.user if account is not None else None


def questions_practitioner(page_id: int) -> Practitioner | None:
    """The practitioner of a live page who takes questions (has an account), else None."""
    practitioner = (
        Practitioner.objects.select_related("page").filter(page_id=page_id, page__live=True).first()
    )
    if practitioner is None or practitioner_account_user(practitioner) is None:
        return None
    return practitioner


def is_thread_practitioner(user: AuthUser | AnonymousUser | None, thread: Thread) -> bool:
    """Whether `user` is the account of the thread's practitioner."""
    if user is None or not user.is_authenticated:
        return False
    page_id = thread.practitioner.page_id
    return (
        page_id is not None
        and PractitionerAccount.objects.filter(user_id=user.pk, page_id=page_id).exists()
    )


def user_threads(user: AuthUser) -> QuerySet[Thread]:
    """The user's own threads, most recent exchange first, with the practitioner's page."""
    return Thread.objects.filter(user=user).select_related("practitioner__page")


def user_thread(user: AuthUser, pk: int) -> Thread | None:
    return user_threads(user).filter(pk=pk).first()


def practitioner_threads(practitioner: Practitioner) -> QuerySet[Thread]:
    """The threads of one practitioner, with their user, most recent exchange first."""
    return Thread.objects.filter(practitioner=practitioner).select_related(
        "user", "practitioner__page"
    )


def practitioner_thread(practitioner: Practitioner, pk: int) -> Thread | None:
    return practitioner_threads(practitioner).filter(pk=pk).first()


def thread_messages(thread: Thread) -> QuerySet[Message]:
    return Message.objects.filter(thread=thread).order_by("created_at", "pk")
