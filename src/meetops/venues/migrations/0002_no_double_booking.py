"""No double booking, in the database: a PostgreSQL exclusion constraint.

Two holding bookings (pending or confirmed) of one room may not overlap in
their buffered interval. SQLite has no such constraint; there the booking
service serialises writers (IMMEDIATE transactions) and re-checks overlap.
The constraint is added with vendor-conditional SQL so that the migration
also runs on SQLite and needs no `django.contrib.postgres` in INSTALLED_APPS.
"""

from django.db import migrations

CONSTRAINT = "venues_booking_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE venues_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist ("
        " room_id WITH =, tstzrange(effective_start, effective_end, '[)') WITH &&"
        ") WHERE (status IN ('pending', 'confirmed'))"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE venues_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("venues", "0001_initial")]
    operations = [migrations.RunPython(add_constraint, drop_constraint)]
