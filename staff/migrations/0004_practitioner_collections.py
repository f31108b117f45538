"""Each practitioner chooses and uploads images in their own collection, not in the whole library.

Until now the Practitioners group held "choose" and "add" on the root collection, so every
practitioner could list every image (chooser, admin API). From here on:

- "Partagé" (shared), filled by editors: practitioners may choose its images, not add to it.
- "Praticiens", the parent of one collection per practitioner page: the page's own group
  ("Practitioner page <id>") may add and choose images there, and nowhere else. New links get
  theirs from staff.services.practitioner_account_link; this creates them for the accounts
  already linked, and moves into it the images each account had uploaded to the root.
- Editors and moderators keep their permissions on the root, which covers every collection.

Names repeat staff.groups (migrations must not import code that may change later); the tree
paths are computed here because historical models have none of treebeard's methods.
"""

from django.db import migrations

PRACTITIONERS = "Practitioners"
SHARED_COLLECTION = "Partagé"
PRACTITIONERS_COLLECTION = "Praticiens"
STEP = 4  # treebeard's default path step, used by Wagtail's Collection
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _page_group_name(page_id):
    return f"Practitioner page {page_id}"


def _path_step(number):
    digits = ""
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEP, "0")


def _append_child(Collection, parent, name):
    children = Collection.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
    last = children.order_by("-path").first()
    number = int(last.path[-STEP:], len(ALPHABET)) + 1 if last else 1
    child = Collection.objects.create(
        name=name, depth=parent.depth + 1, path=parent.path + _path_step(number), numchild=0
    )
    parent.numchild = children.count()
    parent.save(update_fields=["numchild"])
    return child


def _child(Collection, parent, name):
    """The child of `parent` named `name`, added after its last child if there is none."""
    existing = Collection.objects.filter(
        depth=parent.depth + 1, path__startswith=parent.path, name=name
    ).first()
    return existing or _append_child(Collection, parent, name)


def _permission(apps, codename):
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="wagtailimages", codename=codename
    )


def forwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Image = apps.get_model("wagtailimages", "Image")
    PractitionerAccount = apps.get_model("staff", "PractitionerAccount")
    PractitionerCollection = apps.get_model("staff", "PractitionerCollection")

    root = Collection.objects.filter(depth=1).first()
    practitioners = Group.objects.filter(name=PRACTITIONERS).first()
    if root is None or practitioners is None:
        return
    choose, add = _permission(apps, "choose_image"), _permission(apps, "add_image")

    GroupCollectionPermission.objects.filter(
        group=practitioners, permission__content_type__app_label="wagtailimages"
    ).delete()
    shared = _child(Collection, root, SHARED_COLLECTION)
    GroupCollectionPermission.objects.get_or_create(
        group=practitioners, collection=shared, permission=choose
    )

    parent = _child(Collection, root, PRACTITIONERS_COLLECTION)
    for account in PractitionerAccount.objects.select_related("page", "user"):
        link = PractitionerCollection.objects.filter(page_id=account.page_id).first()
        if link is None:
            # Named after the page's title: editors find the profile's images by its name.
            collection = _append_child(Collection, parent, account.page.title)
            link = PractitionerCollection.objects.create(
                page_id=account.page_id, collection=collection
            )
        page_group, _ = Group.objects.get_or_create(name=_page_group_name(account.page_id))
        for permission in (choose, add):
            GroupCollectionPermission.objects.get_or_create(
                group=page_group, collection_id=link.collection_id, permission=permission
            )
        # Their own uploads, which they could still edit through the root's "add": without
        # this they would lose them.
        Image.objects.filter(uploaded_by_user_id=account.user_id, collection=root).update(
            collection_id=link.collection_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0003_practitionercollection"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
