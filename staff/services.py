"""Writes about staff accounts: linking a practitioner's account to their page."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
)

from accounts.models import User
from cms.models import PractitionerPage
from staff.groups import (
    PRACTITIONER_WORKFLOW,
    PRACTITIONERS,
    PRACTITIONERS_COLLECTION,
    practitioner_page_group_name,
)
from staff.models import PractitionerAccount, PractitionerCollection

# What a practitioner may do in their own collection: upload, and choose what is there (their
# uploads, and what an editor put there for them). Not "change": an image an editor uploaded
# into it stays the editor's to edit.
OWN_COLLECTION_PERMISSIONS = ("add_image", "choose_image")


class PageAlreadyLinked(Exception):
    """The page already belongs to another account."""


def practitioner_account_link(*, user: User, page: PractitionerPage) -> PractitionerAccount:
    """Lets `user` edit `page`, and only it, with every change going through moderation.

    The user joins the Practitioners group (admin access, the shared images) and the page's own
    group, which holds the "change" permission on that page alone and the image permissions on
    the page's own collection. Re-linking the same pair changes nothing; linking the account to
    another page takes the previous page (and its images) away from it.
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
        collection = practitioner_collection_ensure(page=page)
        for codename in OWN_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=page_group,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailimages", codename=codename
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


def practitioner_collection_ensure(*, page: PractitionerPage) -> Collection:
    """The page's own image collection, under "Praticiens", created the first time it is asked.

    Named after the page's title, for the editors who browse the collections.
    """
    with transaction.atomic():
        link = (
            PractitionerCollection.objects.select_for_update()
            .filter(page=page)
            .select_related("collection")
            .first()
        )
        if link is not None:
            return link.collection
        parent = _practitioners_collection()
        collection = parent.add_child(instance=Collection(name=page.title))
        PractitionerCollection.objects.create(page=page, collection=collection)
    return collection


def practitioner_account_unlink(*, user: User) -> None:
    """The account can no longer edit its page nor reach the admin as a practitioner.

    The page's collection and its images stay: they belong to the profile, and the next account
    linked to the page finds them there.
    """
    with transaction.atomic():
        account = PractitionerAccount.objects.filter(user=user).first()
        if account is not None:
            _page_group_leave(user, account.page_id)
            account.delete()
        user.groups.remove(*Group.objects.filter(name=PRACTITIONERS))


def _practitioners_collection() -> Collection:
    # Found by its name under the root (the migration created it); re-created if an editor
    # renamed or deleted it, so that a link never fails for want of a parent.
    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=PRACTITIONERS_COLLECTION).first()
    if parent is None:
        parent = root.add_child(instance=Collection(name=PRACTITIONERS_COLLECTION))
    return parent


def _page_group_leave(user: User, page_id: int) -> None:
    # The per-page group exists for one account: removing it removes its page and collection
    # permissions too.
    Group.objects.filter(name=practitioner_page_group_name(page_id)).delete()
