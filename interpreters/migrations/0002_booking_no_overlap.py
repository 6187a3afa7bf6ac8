"""No interpreter holds two overlapping bookings: an exclusion constraint, on PostgreSQL only.

The constraint compares the blocked time (the 15-minute on-site buffer included) of the
confirmed and completed bookings of each interpreter, so it holds under concurrent requests.
SQLite has no exclusion constraints: there the service checks inside an IMMEDIATE transaction.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE interpreters_interpreterbooking
  ADD CONSTRAINT booking_no_overlap
  EXCLUDE USING gist (
    interpreter_id WITH =,
    tstzrange(blocked_from, blocked_until, '[)') WITH &&
  )
  WHERE (status IN ('completed', 'confirmed'));
"""

DROP = "ALTER TABLE interpreters_interpreterbooking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("interpreters", "0001_interpreter_bookings")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
