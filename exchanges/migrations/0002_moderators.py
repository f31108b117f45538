"""The Moderators group (created by Wagtail, given admin access by staff.0002) moderates
reviews and handles reports; reading a thread is theirs only through a report (each read
logged). Permissions are created here by codename if Django has not created them yet."""

from django.db import migrations

MODERATORS = "Moderators"
PERMISSIONS = [
    ("review", "view_review", "Can view avis"),
    ("review", "change_review", "Can change avis"),
    ("report", "view_report", "Can view signalement"),
    ("report", "change_report", "Can change signalement"),
    ("thread", "view_thread", "Can view échange"),
]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    for model, codename, name in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label="exchanges", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        moderators.permissions.add(permission)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators = Group.objects.filter(name=MODERATORS).first()
    if moderators is not None:
        moderators.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="exchanges",
                codename__in=[codename for _model, codename, _name in PERMISSIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0001_initial"),
        ("staff", "0002_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
