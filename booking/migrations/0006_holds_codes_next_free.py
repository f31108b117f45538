"""Slot holds (status "held", covered by the exclusion constraint while they last), the short
readable appointment code, the versions an appointment was booked under, and the cached next
free slot of each practitioner."""

from django.db import migrations, models

import booking.models.appointments

CONSTRAINT = "appointment_no_overlapping_active_span"


def _constraint(statuses: str) -> str:
    return f"""
ALTER TABLE booking_appointment DROP CONSTRAINT IF EXISTS {CONSTRAINT};
ALTER TABLE booking_appointment
    ADD CONSTRAINT {CONSTRAINT}
    EXCLUDE USING gist (
        practitioner_id WITH =,
        tstzrange(blocked_start, blocked_end, '[)') WITH &&
    )
    WHERE (status IN ({statuses}));
"""


# A hold is in the constraint like an appointment: two holds, or a hold and an appointment,
# never overlap. An expired hold is removed by the booking service inside its lock before it
# writes (a constraint's condition cannot depend on the clock).
WITH_HOLDS = _constraint("'held', 'confirmed', 'done', 'no_show'")
WITHOUT_HOLDS = _constraint("'confirmed', 'done', 'no_show'")


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def codes_fill(apps, schema_editor):
    Appointment = apps.get_model("booking", "Appointment")
    seen: set[str] = set()
    for appointment in Appointment.objects.only("pk").iterator():
        code = booking.models.appointments.appointment_code_new()
        while code in seen:
            code = booking.models.appointments.appointment_code_new()
        seen.add(code)
        Appointment.objects.filter(pk=appointment.pk).update(code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0005_client_records"),
        ("compliance", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="accepted_versions",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                to="compliance.policyversion",
                verbose_name="versions acceptées",
            ),
        ),
        migrations.AddField(
            model_name="appointment",
            name="code",
            field=models.CharField(
                default="", editable=False, max_length=9, verbose_name="numéro de réservation"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(codes_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="appointment",
            name="code",
            field=models.CharField(
                default=booking.models.appointments.appointment_code_new,
                editable=False,
                max_length=9,
                unique=True,
                verbose_name="numéro de réservation",
            ),
        ),
        migrations.AddField(
            model_name="appointment",
            name="hold_expires_at",
            field=models.DateTimeField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="appointment",
            name="hold_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="next_free_refreshed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="practitioner",
            name="next_free_start",
            field=models.DateTimeField(
                blank=True, db_index=True, null=True, verbose_name="prochaine disponibilité"
            ),
        ),
        migrations.AlterField(
            model_name="appointment",
            name="status",
            field=models.CharField(
                choices=[
                    ("held", "créneau retenu"),
                    ("confirmed", "confirmé"),
                    ("cancelled", "annulé"),
                    ("done", "honoré"),
                    ("no_show", "absence"),
                ],
                default="confirmed",
                max_length=12,
                verbose_name="statut",
            ),
        ),
        migrations.RunPython(_on_postgresql(WITH_HOLDS), _on_postgresql(WITHOUT_HOLDS)),
    ]
