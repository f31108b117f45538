"""Staff groups, their permissions and the practitioners' moderation workflow.

- Editors keep what cms.0003 gave them (publish on the whole tree, snippets).
- Moderators (created by Wagtail with publish rights) approve the practitioners' changes too.
- Practitioners reach the admin and choose or upload images; they get no page permission here:
  each account receives "change" on its own page only, through its per-page group
  (staff.services.practitioner_account_link), and never "publish", so "Submit for moderation"
  is their only way to publication.
- Data protection officers reach the admin and read the consent ledger (policy versions and
  acceptances, shown read-only by compliance's modeladmin). The permissions are created here by
  codename if the compliance migration has not run yet, as Django would create them after it.
- One workflow, "Validation des fiches praticiens", approved by Moderators or Editors, assigned
  to the root page so that it applies to every page, including profiles created later by
  seed_demo or by editors. Whoever holds the publish permission (editors, moderators) still
  publishes directly: the workflow only stands between a practitioner and publication.
"""

from django.db import migrations

EDITORS = "Editors"
MODERATORS = "Moderators"
PRACTITIONERS = "Practitioners"
DATA_PROTECTION_OFFICERS = "Data protection officers"
WORKFLOW = "Validation des fiches praticiens"
TASK = "Validation par l'équipe éditoriale"


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    access_admin = _permission(
        apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"
    )
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    practitioners, _ = Group.objects.get_or_create(name=PRACTITIONERS)
    officers, _ = Group.objects.get_or_create(name=DATA_PROTECTION_OFFICERS)
    for group in (editors, moderators, practitioners, officers):
        group.permissions.add(access_admin)
    for model, verbose in [("policyversion", "policy version"), ("acceptance", "acceptance")]:
        officers.permissions.add(
            _permission(apps, "compliance", model, f"view_{model}", f"Can view {verbose}")
        )

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for codename, name in [("choose_image", "Can choose image"), ("add_image", "Can add image")]:
            GroupCollectionPermission.objects.get_or_create(
                group=practitioners,
                collection=root_collection,
                permission=_permission(apps, "wagtailimages", "image", codename, name),
            )

    GroupCollectionPermission.objects.filter(
        group=practitioners, permission__content_type__app_label="wagtaildocs"
    ).delete()
    practitioners.permissions.remove(
        *practitioners.permissions.filter(content_type__app_label="wagtaildocs")
    )

    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    for codename in ["add_page", "change_page", "publish_page"]:
        permission = _permission(apps, "wagtailcore", "page", codename, codename.replace("_", " "))
        GroupPagePermission.objects.get_or_create(group=moderators, page=root, permission=permission)

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.set([moderators, editors])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # Replaces Wagtail's default "Moderators approval" on the root, which editors cannot approve.
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("cms", "0003_editor_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        # After Wagtail's own data migrations, which hand "choose" permissions to every group
        # with admin access: practitioners must not browse documents.
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
