"""PostgreSQL safety net: no two active appointments of a practitioner overlap (buffer included).

The booking service locks the practitioner's row and checks the slot before inserting; this
exclusion constraint is what still holds if a code path ever forgets to. It is PostgreSQL-only
(GiST over a time range, with btree_gist for the practitioner's equality), so the migration does
nothing on SQLite, where a booking runs in one IMMEDIATE transaction that serialises writers.
Creating the btree_gist extension needs a role allowed to (the owner of the database or a
superuser); in production create it once beforehand if the application's role cannot.
"""

from django.db import migrations

CONSTRAINT = "appointment_no_overlapping_active_span"

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking_appointment
    ADD CONSTRAINT {CONSTRAINT}
    EXCLUDE USING gist (
        practitioner_id WITH =,
        tstzrange(blocked_start, blocked_end, '[)') WITH &&
    )
    WHERE (status IN ('confirmed', 'done', 'no_show'));
"""

DROP = f"ALTER TABLE booking_appointment DROP CONSTRAINT IF EXISTS {CONSTRAINT};"


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
