"""Open the booking side of every page that already has a practitioner account.

Until now the practitioner area created it on the first visit (a write on a GET); the area now
only reads, so pages linked before this change get their row here, with the default rules.
"""

import secrets

from django.db import migrations


def open_linked_pages(apps, schema_editor):
    Practitioner = apps.get_model("booking", "Practitioner")
    PractitionerAccount = apps.get_model("staff", "PractitionerAccount")
    opened = set(Practitioner.objects.values_list("page_id", flat=True))
    for page_id in PractitionerAccount.objects.values_list("page_id", flat=True):
        if page_id not in opened:
            # A fresh secret, as the model's default gives.
            Practitioner.objects.create(page_id=page_id, calendar_token=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0002_appointment_no_overlap"),
        ("staff", "0002_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(open_linked_pages, migrations.RunPython.noop)]
