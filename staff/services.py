"""Writes about staff accounts: linking a practitioner's account to their page."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage

from cms.models import PractitionerPage
from staff.groups import PRACTITIONER_WORKFLOW, PRACTITIONERS, practitioner_page_group_name
from staff.models import PractitionerAccount


class PageAlreadyLinked(Exception):
    """The page already belongs to another account."""


def practitioner_account_link(
    *, user: AbstractBaseUser, page: PractitionerPage
) -> PractitionerAccount:
    """Lets `user` edit `page`, and only it, with every change going through moderation.

    The user joins the Practitioners group (admin access, images) and the page's own group,
    which holds the "change" permission on that page alone. Re-linking the same pair changes
    nothing; linking the account to another page takes the previous page away from it.
    """
    with transaction.atomic():
        taken = PractitionerAccount.objects.filter(page=page).exclude(user=user)
        if taken.exists():
            raise PageAlreadyLinked(page.pk)
        previous = PractitionerAccount.objects.filter(user=user).exclude(page=page).first()
        if previous is not None:
            _page_group_leave(user, previous.page_id)
            previous.delete()
        account, _ = PractitionerAccount.objects.get_or_create(user=user, page=page)

        page_group, _ = Group.objects.get_or_create(name=practitioner_page_group_name(page.pk))
        GroupPagePermission.objects.get_or_create(
            group=page_group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename="change_page"
            ),
        )
        user.groups.add(Group.objects.get(name=PRACTITIONERS), page_group)

        if page.get_workflow() is None:
            # The migration assigns the workflow to the root page; if someone detached it, the
            # profile must still not be publishable by its practitioner without approval.
            WorkflowPage.objects.update_or_create(
                page=page.get_parent(),
                defaults={"workflow": Workflow.objects.get(name=PRACTITIONER_WORKFLOW)},
            )
    return account


def practitioner_account_unlink(*, user: AbstractBaseUser) -> None:
    """The account can no longer edit its page nor reach the admin as a practitioner."""
    with transaction.atomic():
        account = PractitionerAccount.objects.filter(user=user).first()
        if account is not None:
            _page_group_leave(user, account.page_id)
            account.delete()
        user.groups.remove(*Group.objects.filter(name=PRACTITIONERS))


def _page_group_leave(user: AbstractBaseUser, page_id: int) -> None:
    # The per-page group exists for one account: removing it removes its page permission too.
    Group.objects.filter(name=practitioner_page_group_name(page_id)).delete()
