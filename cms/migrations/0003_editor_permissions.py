"""Editors publish pages and manage disciplines, languages and the operator's identity.

Wagtail's default "Editors" group may only draft; on this platform editors are the people who
publish profiles and legal pages, so they get the publish permission on the whole tree.
"""

from django.db import migrations

SNIPPET_PERMISSIONS = {
    "discipline": ["add", "change", "delete"],
    "language": ["add", "change", "delete"],
    "operatorsettings": ["change"],
}


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    editors, _ = Group.objects.get_or_create(name="Editors")

    admin_access = _permission(
        apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"
    )
    editors.permissions.add(admin_access)
    for model, actions in SNIPPET_PERMISSIONS.items():
        for action in actions:
            editors.permissions.add(
                _permission(apps, "cms", model, f"{action}_{model}", f"Can {action} {model}")
            )

    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    for codename in ["add_page", "change_page", "publish_page"]:
        permission = _permission(apps, "wagtailcore", "page", codename, codename.replace("_", " "))
        GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_languages"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
