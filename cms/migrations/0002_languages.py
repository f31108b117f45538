from django.db import migrations

LANGUAGES = [
    ("fr", "Français"),
    ("en", "Anglais"),
    ("es", "Espagnol"),
    ("de", "Allemand"),
    ("it", "Italien"),
    ("pt", "Portugais"),
    ("ar", "Arabe"),
    ("nl", "Néerlandais"),
    ("zh", "Chinois"),
    ("lsf", "Langue des signes française"),
]


def add_languages(apps, schema_editor):
    Language = apps.get_model("cms", "Language")
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial")]

    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
